"""Judgemental, dismissive and rushing language, patience, and phrases quoted back from the customer."""

import pytest
from dialogue_helpers import FORMS, last_turn_kinds, rep_kinds

CUSTOMER = "This is the third time I've called and it still isn't fixed."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "kind"),
    [
        ("Calm down, please.", "judgemental"),
        ("Obviously you haven't restarted the router.", "judgemental"),
        ("Like I said, it's been logged.", "judgemental"),
        ("That's the policy.", "dismissive"),
        ("There's nothing I can do.", "dismissive"),
        ("Can we speed this up? I just need the account number.", "rushing"),
        ("Anything else?", "rushing"),
        ("Take your time.", "patience"),
    ],
)
def test_judgement_family(form, rep, kind):
    """Each phrase family is found after an unresolved complaint."""
    assert kind in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_take_your_time_is_not_judgemental(form):
    """'Take your time' is patience, the opposite of 'calm down'."""
    kinds = rep_kinds(CUSTOMER, "No rush, take your time.", form)
    assert "patience" in kinds
    assert not kinds & {"judgemental", "dismissive", "rushing"}


@pytest.mark.parametrize("form", FORMS)
def test_obviously_quoted_from_customer_is_not_judgemental(form):
    """Repeating the customer's own 'obviously' is reflecting, not judging."""
    kinds = rep_kinds("The box was obviously damaged in transit.", "So the box was obviously damaged in transit.", form)
    assert "judgemental" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("customer", "rep"),
    [
        (CUSTOMER, "I'm sorry. Is there anything else bothering you about this?"),
        ("Great, thanks, that's sorted then.", "Lovely. Anything else I can help with today?"),
        (CUSTOMER, "I've booked an engineer for Friday morning and credited your account. Anything else?"),
    ],
)
def test_anything_else_that_does_not_close_down(form, customer, rep):
    """An inviting 'anything else', or one after the concern is settled or dealt with, is not rushing."""
    assert "rushing" not in rep_kinds(customer, rep, form)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("customer", "rep"),
    [
        (
            "So my parcel's still missing and nobody can tell me where it is?",
            "The depot will have it somewhere, just keep an eye on the tracking. Anything else?",
        ),
        (
            "I've been overcharged twice now and I want it sorted.",
            "You'd need to raise that with billing on the website. Was there anything else?",
        ),
        (
            "The heating's off again and I've got a newborn at home.",
            "Engineers are busy this week, you can try calling back Monday. Anything else today?",
        ),
    ],
)
def test_anything_else_after_a_brush_off_is_rushing(form, customer, rep):
    """'Anything else?' after a sentence that passes the problem back, with nothing done, still closes it down."""
    assert "rushing" in rep_kinds(customer, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_calm_down_after_earlier_customer_turns(form):
    """Judgement is found in a later turn of a longer call too."""
    kinds = last_turn_kinds(
        ("customer", "Hi, my internet is down."),
        ("rep", "Okay, what's your account number?"),
        ("customer", "It's 1234 and this is ridiculous!"),
        ("rep", "You need to calm down."),
        form=form,
    )
    assert "judgemental" in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "judges"),
    [
        ("Would you calm down and let me finish?", True),
        ("Just settle down, sir.", True),
        ("Once things calm down at the depot, how would you like us to keep you posted?", False),
        ("What do you like to do when you settle down after work?", False),
    ],
)
def test_calm_down_judges_only_as_a_command(form, rep, judges):
    """Telling the customer to calm down judges them; saying when someone or something calms down does not."""
    assert ("judgemental" in rep_kinds(CUSTOMER, rep, form)) is judges
