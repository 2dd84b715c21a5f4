"""Empathy and validation, acknowledgement and appreciation, with their tricky look-alikes."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

# A known miss of the fine-tuned behaviour model, listed rather than hidden: the fine-tuned behaviour model hears
# empathy in "that doesn't make sense" after an upsetting story (0.42-0.43, threshold 0.5: one form may pass).
MODEL_MISS = pytest.mark.xfail(reason="known miss of the fine-tuned behaviour model", strict=False)
CUSTOMER = "It was a birthday present for my daughter and it never came. She was so upset."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "kind"),
    [
        ("Oh no, that must have been so frustrating.", "empathy"),
        ("I can see why that would be upsetting.", "empathy"),
        ("That makes sense.", "empathy"),
        ("I'd be upset too, especially with it being her birthday.", "empathy"),
        ("I see what you mean.", "acknowledgement"),
        ("Thank you for your patience.", "appreciation"),
        ("Thanks for explaining that so clearly.", "appreciation"),
    ],
)
def test_empathy_family(form, rep, kind):
    """Feelings named, points acknowledged and thanks given are each found."""
    assert kind in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_cannot_see_why_is_not_empathy(form):
    """'I can't see why that would matter' rejects the feeling: dismissive, not empathy."""
    kinds = rep_kinds(CUSTOMER, "I can't see why that would matter.", form)
    assert "empathy" not in kinds
    assert "dismissive" in kinds


@pytest.mark.parametrize("form", FORMS)
def test_yes_but_cancels_acknowledgement(form):
    """'I understand, but that's the policy' is dismissive, not an acknowledgement."""
    kinds = rep_kinds(CUSTOMER, "I understand, but that's the policy.", form)
    assert "acknowledgement" not in kinds
    assert "dismissive" in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep", [pytest.param("That doesn't make sense.", marks=MODEL_MISS), "I see here the order shipped."]
)
def test_look_alikes_are_not_empathy(form, rep):
    """A negated validation and reading from the screen earn no empathy credit."""
    assert not rep_kinds(CUSTOMER, rep, form) & {"empathy", "appreciation", "acknowledgement"}


@pytest.mark.parametrize("form", FORMS)
def test_thanks_for_calling_greets_unless_it_recognises_acting_promptly(form):
    """'Thanks for calling Acme' is a greeting or a sign-off, not appreciation; thanks for calling straight away
    recognises what the customer did."""
    thanked = {"appreciation", "acknowledgement", "empathy"}
    assert not rep_kinds("Hello?", "Hi, thanks for calling North Star, this is Sam.", form) & thanked
    assert (
        not rep_kinds("Great, that's all sorted then. Bye!", "Thanks for calling, have a lovely evening.", form)
        & thanked
    )
    assert "appreciation" in rep_kinds(CUSTOMER, "Thanks for calling straight away, that helps me.", form)


@pytest.mark.parametrize("form", FORMS)
def test_bare_thanks_is_not_empathy(form):
    """A bare 'thank you' for what the customer told is at most an acknowledgement (the labelling guide counts
    thanks for information as one), never empathy."""
    assert "empathy" not in rep_kinds(CUSTOMER, "Thank you.", form)
