"""Perspective taking: asking what matters, and reusing the customer's words from earlier in the call."""

import pytest
from dialogue_helpers import FORMS, last_turn_kinds, rep_kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "What would a good outcome look like for you?",
        "What matters most to you here?",
        "What were you hoping to find on the platform?",
        "Is there anything else about this that's bothering you?",
    ],
)
def test_needs_questions(form, rep):
    """Questions about what matters to the customer are found."""
    assert "needs_question" in rep_kinds("I want to cancel.", rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_customer_words_carried_forward(form):
    """Bringing back the customer's earlier words (not just their last turn) is perspective taking."""
    kinds = last_turn_kinds(
        ("customer", "It was a drone for my daughter's birthday party."),
        ("rep", "Oh no."),
        ("customer", "Yes, and the tracking stopped."),
        ("rep", "I'll send a new drone today so it arrives before your daughter's party."),
        form=form,
    )
    assert "customer_words" in kinds


@pytest.mark.parametrize("form", FORMS)
def test_generic_service_words_are_not_perspective(form):
    """Reusing only words every call shares (order, refund, account) is not perspective taking."""
    kinds = last_turn_kinds(
        ("customer", "I want a refund for my order on this account."),
        ("rep", "Okay."),
        ("customer", "Yes please."),
        ("rep", "I'll refund the order to your account."),
        form=form,
    )
    assert "customer_words" not in kinds
    assert "needs_question" not in rep_kinds("I want to cancel.", "What's your account number?", form)
