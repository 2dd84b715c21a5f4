"""Question detection: open, clarifying and closed questions in typed and speech-recognition text."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

CUSTOMER = "My parcel never arrived and I'm really fed up."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "kind"),
    [
        ("Can you tell me a bit more about what happened?", "clarifying_question"),
        ("Okay. What happened next?", "clarifying_question"),
        ("How has this affected your plans for the weekend?", "open_question"),
        ("Did it arrive damaged?", "closed_question"),
        ("Right. Is the address on the order correct?", "closed_question"),
    ],
)
def test_question_types(form, rep, kind):
    """Each question is typed correctly whether punctuated or not."""
    assert kind in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_account_number_question_is_closed_not_open(form):
    """'What's your account number?' asks for one fact: closed, never open."""
    kinds = rep_kinds(CUSTOMER, "Okay. What's your account number?", form)
    assert "closed_question" in kinds
    assert "open_question" not in kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "I don't know what happened with the courier.",
        "What I'll do is send a new one out.",
        "We have it here and I will check it for you.",
    ],
)
def test_statements_are_not_questions(form, rep):
    """Statements that contain question words are not questions."""
    kinds = rep_kinds(CUSTOMER, rep, form)
    assert not kinds & {"open_question", "closed_question", "clarifying_question"}


def test_question_mid_turn_in_asr_text():
    """A question after a statement is found in unpunctuated text, quoted from its first word."""
    from dialogue_helpers import asr, conversation

    from coach_app.analysis import analyze_turn

    transcript = conversation(("customer", CUSTOMER), ("rep", "i'm sorry to hear that so what happened next"), form=asr)
    question = next(f for f in analyze_turn(transcript, 1) if f.kind == "clarifying_question")
    assert question.quote == "what happened next"
    assert question.start_s > transcript.turns[1].start_s  # narrowed to the words by their timings
