"""Reflections (with and without openers) and summaries, in typed and speech-recognition text."""

import pytest
from dialogue_helpers import FORMS, last_turn_kinds, rep_kinds

CUSTOMER = "I paid for express delivery and the tracking stopped updating on Wednesday, and nobody answered my emails."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "So what I'm hearing is the tracking stopped and nobody got back to you.",
        "It sounds like you've been left in the dark.",
        "If I understand correctly, you paid extra and still heard nothing. Is that correct?",
        # a paraphrase with no opener: it restates the customer's content
        "Express delivery paid for, tracking stuck since Wednesday, and your emails unanswered.",
    ],
)
def test_reflections(form, rep):
    """Openers and plain paraphrases of the customer's last turn are reflections."""
    assert "reflection" in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "Let me check the system for you.",
        "So you can also pay by card next time.",
        "It's not our fault the tracking stopped, you should have checked the courier's site.",
    ],
)
def test_non_reflections(form, rep):
    """Unrelated statements, a 'so you' with no shared content, and blame that repeats words are not reflections."""
    assert "reflection" not in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_summary_with_opener(form):
    """'Just to recap…' followed by the points is a summary."""
    rep = "Just to recap: a new drone goes out today, arrives by Thursday, and I'll refund the delivery charge."
    assert "summary" in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_summary_without_opener_spans_several_turns(form):
    """A long turn that brings together points from three customer turns is a summary."""
    kinds = last_turn_kinds(
        ("customer", "The drone was a present for my daughter's birthday."),
        ("rep", "Oh no."),
        ("customer", "The tracking stopped on Wednesday and the parcel never came."),
        ("rep", "I see."),
        ("customer", "Her party with her friends is this Saturday."),
        (
            "rep",
            "Right, so the drone for your daughter's birthday never came after the tracking stopped on "
            "Wednesday, and you want it before her party on Saturday with her friends.",
        ),
        form=form,
    )
    assert "summary" in kinds


@pytest.mark.parametrize("form", FORMS)
def test_short_confirmation_is_not_a_summary(form):
    """'Just to confirm, yes.' is too short to be a summary."""
    assert "summary" not in rep_kinds(CUSTOMER, "Just to confirm, yes.", form)
