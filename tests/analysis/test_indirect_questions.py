"""Indirect questions: a yes/no frame around a wh-question ('can I ask what…') asks the customer to explain."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

CUSTOMER = "The replacement never came and I've been chasing it all week."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "Can I ask what the replacement was for?",
        "Could I ask you how this has affected your week?",
        "Would you mind telling me what happened when you called?",
        "I'd like to understand what the delay has cost you.",
    ],
)
def test_indirect_wh_questions_are_heard_as_asking_for_more(form, rep):
    """Each indirect question is a clarifying (open) question, typed or as speech recognition gives it."""
    assert "clarifying_question" in rep_kinds(CUSTOMER, rep, form=form)


@pytest.mark.parametrize("form", FORMS)
def test_plain_yes_no_request_stays_closed(form):
    """'Can I ask you to hold?' asks for nothing to be explained."""
    kinds = rep_kinds(CUSTOMER, "Can I ask you to hold for a moment?", form=form)
    assert "clarifying_question" not in kinds and "open_question" not in kinds
