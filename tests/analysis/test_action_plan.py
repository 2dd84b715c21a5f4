"""Next steps with an owner and a time, vague promises, and checking agreement."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

CUSTOMER = "So what happens now? I need this fixed."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "I will call you on Friday to confirm it's fixed.",
        "I'll email you the tracking link by 3 pm today.",
        "An engineer will visit tomorrow morning.",
        "We'll look into it and I'll get back to you within 24 hours.",
    ],
)
def test_timed_commitments_are_action_plans(form, rep):
    """An owner plus an action plus a time is an action plan."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert "action_plan" in kinds
    assert "vague_promise" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("rep", ["Someone will get back to you.", "We'll look into it."])
def test_vague_promises(form, rep):
    """A promise with no owner or no time is vague, not an action plan."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert "vague_promise" in kinds
    assert "action_plan" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("rep", ["I'll check that for you.", "I worked on Friday."])
def test_no_plan(form, rep):
    """An immediate check or a past event is neither a plan nor a vague promise."""
    assert not rep_kinds(CUSTOMER, rep, form) & {"action_plan", "vague_promise"}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("rep", ["Does that work for you?", "How does that sound?", "Are you happy with that?"])
def test_agreement_checks(form, rep):
    """Checking the customer agrees with the plan is found."""
    assert "agreement_check" in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_not_an_agreement_check(form):
    """A statement about things working is not an agreement check."""
    assert "agreement_check" not in rep_kinds(CUSTOMER, "The new router works with that cable.", form)
