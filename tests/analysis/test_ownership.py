"""Apology with ownership versus blame-shifting and non-apologies."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

# A known miss of the fine-tuned behaviour model, listed rather than hidden: the fine-tuned behaviour model hears
# blame in "you should have received…" after a complaint.
MODEL_MISS = pytest.mark.xfail(reason="known miss of the fine-tuned behaviour model", strict=False)
CUSTOMER = "My order is a week late and nobody told me anything."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    ["I'm so sorry, we got that wrong.", "I apologise, that's on us.", "We should have kept you updated."],
)
def test_owning_apologies(form, rep):
    """Apologies that own the problem are found, and owning it is neither blame nor a judgement of the customer."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert "apology" in kinds
    assert "blame_shifting" not in kinds and "judgemental" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "Sorry, but that's not our fault.",
        "You should have checked the delivery address.",
        "That's the courier's problem, not ours.",
    ],
)
def test_blame_shifting(form, rep):
    """Blame and non-apologies are blame-shifting and never count as an apology."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert "blame_shifting" in kinds
    assert "apology" not in kinds


@pytest.mark.parametrize("form", FORMS)
def test_non_apology_is_dismissive(form):
    """'I'm sorry you feel that way' brushes the complaint aside (the labelling guide's `dismissive`): no apology."""
    kinds = rep_kinds(CUSTOMER, "I'm sorry you feel that way.", form)
    assert "dismissive" in kinds
    assert "apology" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep", [pytest.param("You should have received a confirmation email.", marks=MODEL_MISS), "I'm sorry to hear that."]
)
def test_not_blame_and_not_ownership(form, rep):
    """Information ('you should have received…') is not blame; 'sorry to hear' is empathy, not an owning apology."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert "blame_shifting" not in kinds
    assert "apology" not in kinds
