"""Reps phrase things many ways: detectors generalise beyond the seed phrases, and look-alikes stay unflagged."""

import pytest
from dialogue_helpers import FORMS, rep_kinds

CUSTOMER = "I've been waiting two weeks for my refund and nobody has called me back, it's really annoying."


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "kind"),
    [
        ("I hear how annoying this has been for you.", "empathy"),
        ("Two weeks with no call back, I'd be fed up as well.", "empathy"),
        ("That's not the experience we want you to have, I'm sorry.", "apology"),
        ("Honestly, that's on us and I'm sorry.", "apology"),
        ("What's been the hardest part of this for you?", "needs_question"),
        ("How did you find out the refund hadn't gone through?", "open_question"),
        ("Walk me through what happened when you called last time.", "clarifying_question"),
        ("When you say nobody called, did you get any emails?", "clarifying_question"),
        ("Right, so you've been chasing this for two weeks and heard nothing back.", "reflection"),
        ("Let me make sure I've got this right: the refund was promised but never arrived?", "reflection"),
        ("I'm going to process the refund now and you'll see it within five working days.", "action_plan"),
        ("I'll ring you back tomorrow before noon with an update.", "action_plan"),
        ("Would that be okay with you?", "agreement_check"),
        ("Look, I've told you twice already, it's processing.", "judgemental"),
        ("You're overreacting, it's only been two weeks.", "judgemental"),
        ("Refunds take fourteen days, that's just how it is.", "dismissive"),
        ("Let's not go into all that, what's the order number?", "rushing"),
        ("I appreciate you bearing with us.", "appreciation"),
        ("The bank must have lost it, you'll need to take it up with them.", "blame_shifting"),
    ],
)
def test_varied_phrasings_are_found(form, rep, kind):
    """Each behaviour is found in phrasings that are not in the seed articles."""
    assert kind in rep_kinds(CUSTOMER, rep, form)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("rep", "forbidden"),
    [
        ("I'll go ahead and check your account.", {"patience", "action_plan"}),
        ("It must have been sent to the old address.", {"empathy"}),  # guide: "must have" guesses may be blame
        ("I see the refund was issued on the 3rd.", {"acknowledgement"}),
        ("We can't see why it failed yet, I'm checking now.", {"dismissive"}),
        ("The policy says refunds take five days, and here's what I can do to speed it up.", {"dismissive"}),
        ("I know what happened: the bank rejected it.", {"clarifying_question", "open_question"}),
        ("Thanks.", {"appreciation"}),
        ("That will be sorted.", {"action_plan"}),
        ("You're right, that's not good enough.", {"dismissive", "judgemental"}),
        ("Anything else you'd like to tell me about it?", {"rushing"}),
        ("It isn't your fault at all.", {"blame_shifting"}),
        ("You didn't do anything wrong.", {"blame_shifting"}),
        ("I should have the details in a second.", {"apology"}),
    ],
)
def test_look_alikes_are_not_flagged(form, rep, forbidden):
    """Phrases that resemble a behaviour but are not it earn neither credit nor penalty."""
    assert not rep_kinds(CUSTOMER, rep, form) & forbidden
