"""The customer state machine, driven by hand-built findings exactly as the analysis would report them."""

import pytest
from scenario_data import valid_scenario_dict

from coach_app.core import Finding
from coach_app.scenarios.loader import scenario_from_dict
from coach_app.scenarios.simulator import Customer


def found(*kinds: str) -> list[Finding]:
    return [Finding(kind, 1, 0.0, 1.0, "quote", "reason", "tip") for kind in kinds]


@pytest.fixture
def customer() -> Customer:
    return Customer(scenario_from_dict(valid_scenario_dict(), "test.toml"))


def test_opening_line_starts_in_persona_mood(customer):
    """The call opens with the scenario's opening line and the persona's starting mood."""
    reply = customer.opening()
    assert reply.text == "My parcel is late."
    assert reply.mood_name == "annoyed"


def test_empathy_calms_by_one_level(customer):
    """An empathetic turn raises the mood one level and the customer goes on with the next fact."""
    reply = customer.react(found("empathy"), "That must be frustrating.")
    assert reply.mood == 0
    assert reply.text == "Thanks. It was due on Monday."


def test_stacked_listening_phrases_still_rise_one_level(customer):
    """Empathy, reflection and apology in one turn calm no more than one of them does."""
    reply = customer.react(found("empathy", "reflection", "apology", "acknowledgement"), "...")
    assert reply.mood == 0


def test_interruption_escalates_and_outweighs_listening(customer):
    """Cutting the customer off drops the mood two levels, even with empathy in the same turn."""
    reply = customer.react(found("interruption", "empathy"), "I understand, but")
    assert reply.mood == -3
    assert reply.text == "Excuse me?"


@pytest.mark.parametrize("kind", ["judgemental", "dismissive", "blame_shifting", "rushing", "closed_question"])
def test_poor_listening_kinds_escalate(customer, kind):
    """Judgement, dismissal, blame, rushing and closed questions each lower the mood."""
    assert customer.react(found(kind), "...").mood < -1


def test_open_question_on_topic_reveals_hidden_need(customer):
    """An open question touching the need's topic reveals it with the need's own line."""
    reply = customer.react(found("open_question"), "what else is going on for you")
    assert reply.revealed == ("gift",)
    assert reply.text == "It was a gift for my son."
    assert customer.revealed == ["gift"]


def test_open_question_off_topic_or_closed_reveals_nothing(customer):
    """An off-topic open question, or a closed one on topic, keeps the need hidden."""
    assert customer.react(found("open_question"), "What is your order number?").revealed == ()
    assert customer.react(found("closed_question"), "Is there anything else?").revealed == ()
    assert customer.revealed == []


def test_need_stays_hidden_when_turn_also_judges(customer):
    """A customer who feels judged doesn't open up, even to a good question."""
    reply = customer.react(found("open_question", "judgemental"), "Calm down. What else is going on?")
    assert reply.revealed == ()


def test_needs_reveal_in_order_and_by_their_own_kinds(customer):
    """A need that requires another stays hidden until that one is out, and only its unlocking kinds open it."""
    assert customer.react(found("reflection"), "So it sounds like it was urgent.").revealed == ()
    assert customer.react(found("open_question"), "What else matters here?").revealed == ("gift",)
    assert customer.react(found("open_question"), "What is the date?").revealed == ()
    assert customer.react(found("reflection"), "So it's a present for your son.").revealed == ("deadline",)


def test_min_mood_gates_revealing():
    """A need with `min_mood` is revealed only once the customer has calmed to that level."""
    data = valid_scenario_dict()
    data["hidden_needs"][0]["min_mood"] = "calm"
    customer = Customer(scenario_from_dict(data, "test.toml"))
    assert customer.react(found("open_question"), "What else is going on?").revealed == ()
    customer.react(found("empathy"), "I'm sorry, that sounds stressful.")
    assert customer.mood == 1
    assert customer.react(found("open_question"), "What else is going on?").revealed == ("gift",)


def test_plan_with_agreement_check_resolves_only_after_required_needs(customer):
    """A plan checked for agreement resolves the call only once the needs it must meet are known."""
    early = customer.react(found("action_plan", "agreement_check"), "I'll resend it today. Does that work?")
    assert not early.resolved
    assert early.text == "That doesn't help with the party."
    customer.react(found("open_question"), "What else is going on?")
    customer.react(found("reflection"), "So this is a present for your son.")
    done = customer.react(found("agreement_check"), "Shall I do that, then?")
    assert done.resolved and done.ended
    assert done.text == "Thank you, that's perfect."
    assert customer.outcome().hidden_needs_found == 2


def test_customer_does_not_repeat_a_line_while_others_are_unused(customer):
    """Escalated reactions cycle through every line before any repeats."""
    customer.mood = 3
    said = [customer.react(found("rushing"), "Anything else?").text for _ in range(3)]
    assert len(set(said)) == 3


def test_customer_hangs_up_when_pushed_past_furious(customer):
    """Once furious, another escalation ends the call with the escalated closing line."""
    customer.react(found("dismissive"), "That's the policy.")
    reply = customer.react(found("judgemental"), "Calm down.")
    assert reply.ended and not reply.resolved
    assert reply.text == "I'm done. Goodbye."
    assert customer.outcome().hung_up
    with pytest.raises(ValueError):
        customer.react(found("empathy"), "Sorry!")


def test_scenario_mood_effects_override_defaults():
    """A scenario can make a kind count more, e.g. acknowledgement calming a customer who needs to vent."""
    data = valid_scenario_dict()
    data["reactions"]["mood_effects"] = {"closed_question": 0}
    customer = Customer(scenario_from_dict(data, "test.toml"))
    assert customer.react(found("closed_question"), "Was it the blue one?").mood == -1
