"""The simulated customer hears by meaning and in context: needs open to on-topic turns in any wording, a warm
plan never escalates, and a plan checked in the rep's own words resolves the call."""

import re
from pathlib import Path

import pytest
from scenario_data import valid_scenario_dict

from coach_app.core import Finding
from coach_app.scenarios.catalog import list_scenarios
from coach_app.scenarios.hearing import asks_agreement, hear
from coach_app.scenarios.loader import scenario_from_dict
from coach_app.scenarios.model import CALM_MOOD
from coach_app.scenarios.simulator import Customer
from coach_app.scenarios.text_driver import run_text_practice

NATURAL = Path(__file__).parent / "natural"


def found(*kinds: str) -> list[Finding]:
    return [Finding(kind, 1, 0.0, 1.0, "quote", "reason", "tip") for kind in kinds]


def customer_without_topic_words() -> Customer:
    """The test scenario with topic terms no natural turn contains, so only meaning can open the needs."""
    data = valid_scenario_dict()
    for need in data["hidden_needs"]:
        need["topics"] = ["zzzz"]
    return Customer(scenario_from_dict(data, "test.toml"))


def test_need_opens_to_an_open_question_on_its_topic_in_other_words():
    """An open question about the need's subject reveals it although it shares no topic term."""
    customer = customer_without_topic_words()
    assert customer.react(found("open_question"), "What is the weather like where you are?").revealed == ()
    assert customer.react(found("open_question"), "Tell me about the gift, who was it for?").revealed == ("gift",)


def test_need_opens_to_a_reflection_of_its_meaning():
    """A reflection that restates the need in the rep's own words reveals it."""
    customer = customer_without_topic_words()
    customer.react(found("open_question"), "Tell me about the gift, who was it for?")
    reply = customer.react(found("reflection"), "So it has to be with you before his party on Saturday.")
    assert reply.revealed == ("deadline",)


def test_saying_the_need_in_other_words_reveals_it():
    """A turn that puts the hidden need itself into words opens it even when no finding calls it a reflection."""
    customer = customer_without_topic_words()
    customer.react(found("open_question"), "Tell me about the gift, who was it for?")
    assert customer.react(found("empathy"), "And his party is on Saturday, so it must be there by then.").revealed == (
        "deadline",
    )


@pytest.mark.parametrize("invitation", ["Anything else about it I should know?", "Is anything else worrying you?"])
def test_an_invitation_to_say_more_asks_about_needs(invitation):
    """'Anything else I should know?' asks what matters, whatever the analysis calls its wording (nothing, or
    rushing), and opens a need it touches; a plain 'anything else?' does not."""
    assert hear(frozenset({"rushing"}), invitation, False).kinds == {"needs_question"}
    customer = Customer(scenario_from_dict(valid_scenario_dict(), "test.toml"))
    assert customer.react(found(), "Anything else?").revealed == ()
    assert customer.react(found(), invitation).revealed == ("gift",)


@pytest.mark.parametrize(("understanding", "reflects"), [("empathy", True), ("acknowledgement", True), ("", False)])
def test_earlier_words_given_back_with_understanding_reflect(understanding, reflects):
    """The customer's words from a turn or two back, given back with empathy or an acknowledgement, are heard as a
    reflection; reused on their own (a refusal can do that) they are not."""
    kinds = frozenset({"customer_words", understanding} - {""})
    heard = hear(kinds, "So your son's party is on Saturday, no wonder you're upset.", False)
    assert ("reflection" in heard.kinds) is reflects


def test_a_question_about_the_need_is_not_heard_as_hurrying():
    """A question about what matters to the customer invites them to say it, whatever pace the analysis heard."""
    customer = customer_without_topic_words()
    before = customer.mood
    reply = customer.react(found("open_question", "rushing"), "Tell me about the gift, who was it for?")
    assert reply.revealed == ("gift",) and reply.mood > before


def test_a_question_about_one_sentence_of_the_need_opens_it():
    """A question about one part of what the customer would say opens the need, though the whole reveal says more."""
    data = valid_scenario_dict()
    data["hidden_needs"][0].update(
        reveal="It was a present for my son. His party is on Saturday and he has been asking every day.",
        topics=["zzzz"],
    )
    customer = Customer(scenario_from_dict(data, "test.toml"))
    assert customer.react(found("open_question"), "When is the party?").revealed == ("gift",)


def test_closed_question_beside_listening_does_not_lower_the_mood():
    """'That sounds stressful. Was it the blue one?' calms: the yes/no question is outweighed by the empathy."""
    customer = Customer(scenario_from_dict(valid_scenario_dict(), "test.toml"))
    before = customer.mood
    assert (
        customer.react(found("empathy", "closed_question"), "That sounds stressful. Was it the blue one?").mood > before
    )


@pytest.mark.parametrize("slip", ["rushing", "closed_question", "vague_promise"])
def test_warm_concrete_plan_never_escalates(slip):
    """A plan turn with a closing question the analysis calls rushing or closed keeps the customer's mood."""
    customer = Customer(scenario_from_dict(valid_scenario_dict(), "test.toml"))
    before = customer.mood
    reply = customer.react(
        found("action_plan", "empathy", slip), "I'll send a new one today, it's with you by noon. Anything else?"
    )
    assert reply.mood >= before
    assert reply.text not in {line.text for line in customer.scenario.reactions.escalated}


def test_plan_checked_in_own_words_resolves_once_needs_are_known():
    """After a plan, 'Which would you prefer?' checks it by meaning and resolves the call when the needs are out."""
    customer = Customer(scenario_from_dict(valid_scenario_dict(), "test.toml"))
    customer.react(found("open_question"), "What else is going on?")
    customer.react(found("reflection"), "So this is a present for your son.")
    customer.react(found("action_plan"), "I'll send a new one by courier today, it'll be there Friday.")
    assert not customer.react(found("closed_question"), "Can I take your postcode?").resolved
    assert customer.react(found("closed_question"), "Which would you prefer, Friday or Saturday?").resolved


def test_a_question_about_the_plan_just_made_checks_it():
    """Straight after a plan, a yes/no question about one of its steps checks it; a question on something else not."""
    plan = "I'll send a replacement by courier today, it'll be with you by noon tomorrow, and I'm refunding the fee."
    assert asks_agreement("Is noon tomorrow okay for the courier?", plan)
    assert not asks_agreement("Do you still have the original box?", plan)
    assert not asks_agreement("Is noon tomorrow okay for the courier?")  # no plan on the table: no check


def test_spoken_checks_are_heard_at_either_end_of_the_turn():
    """Unpunctuated (as speech is recognised), a check may open the turn or close it after other words."""
    plan = "i'll send a replacement by courier today it'll be with you by noon tomorrow and i'm refunding the fee"
    assert asks_agreement("is noon tomorrow okay for the courier and is this the best number to text you on", plan)
    assert asks_agreement("i'll text you the tracking as soon as it's booked is that alright", plan)
    assert not asks_agreement("can i take your postcode and the name on the order please", plan)


@pytest.mark.parametrize(
    ("question", "checks"),
    [
        ("Would that be alright with you?", True),
        ("Does that cover what you need before Friday, or is anything else worrying you?", True),
        ("would that suit you", True),
        ("Are you sure you clicked pay twice?", False),
        ("Can I take your account number?", False),
        ("Is there anything else I can help with today?", False),
    ],
)
def test_plan_checks_are_heard_by_meaning(question, checks):
    """Questions asking whether the plan suits the customer are checks; fact and closing questions are not."""
    assert asks_agreement(question) is checks


def test_hear_keeps_the_findings_when_nothing_excuses_them():
    """Judgement on a plan turn still counts; a lone closed question still counts."""
    assert "judgemental" in hear(frozenset({"action_plan", "judgemental"}), "Calm down. I'll call today.", False).kinds
    assert hear(frozenset({"closed_question"}), "Did you check?", False).kinds == {"closed_question"}


def natural_scripts(kind: str) -> list[Path]:
    return sorted(NATURAL.glob(f"*.{kind}.txt"))


def play(path: Path, recognised: bool = False):
    scenario = next(s for s in list_scenarios() if s.id == path.name.split(".")[0])
    lines = path.read_text(encoding="utf-8").splitlines()
    if recognised:  # as speech recognition gives it: lower case, no punctuation
        lines = [" ".join(re.sub(r"[^a-z0-9' ]+", " ", line.lower()).split()) for line in lines]
    return run_text_practice(scenario, lines).outcome


@pytest.mark.parametrize("recognised", [False, True], ids=["typed", "recognised"])
@pytest.mark.parametrize("path", natural_scripts("strong"), ids=lambda p: p.name)
def test_natural_strong_script_uncovers_all_needs_and_resolves(path, recognised):
    """A strong rep in everyday words, typed or recognised, uncovers every hidden need and resolves the call."""
    outcome = play(path, recognised)
    assert outcome.hidden_needs_found == outcome.hidden_needs_total
    assert outcome.resolved and outcome.final_mood >= CALM_MOOD


@pytest.mark.parametrize("path", natural_scripts("poor"), ids=lambda p: p.name)
def test_natural_poor_script_neither_uncovers_nor_resolves(path):
    """A poor rep in everyday words leaves needs hidden and the call unresolved."""
    outcome = play(path)
    assert outcome.hidden_needs_found < outcome.hidden_needs_total and not outcome.resolved
