"""The transcript view marks turns whose speaker the voice separation was unsure of."""

from coach_app.core import Transcript, Turn
from coach_app.ui.widgets.transcript_view import UNSURE_MARK, UNSURE_TIP, TranscriptView


def test_uncertain_speaker_turns_are_marked_with_a_tooltip(qtbot):
    """Only the turn below the confidence limit gets the mark and the "speaker uncertain" tooltip."""
    view = TranscriptView()
    qtbot.addWidget(view)
    transcript = Transcript(
        (
            Turn("customer", 0.0, 2.0, "my parcel is late", speaker_conf=0.55),
            Turn("rep", 2.5, 4.0, "sorry about that", speaker_conf=0.95),
            Turn("customer", 4.5, 5.0, "thanks"),
        )
    )
    view.set_conversation(transcript, ())
    text = view.toPlainText()
    assert text.count(UNSURE_MARK) == 1 and text.index(UNSURE_MARK) < text.index("sorry")
    tips = set()
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if UNSURE_MARK in fragment.text():
                tips.add(fragment.charFormat().toolTip())
            fragments += 1
        block = block.next()
    assert tips == {UNSURE_TIP} and "speaker uncertain" in UNSURE_TIP
