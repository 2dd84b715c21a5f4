"""Review: evidence under each score, corrections that change the score, comments, exports."""

import zipfile

from PySide6.QtCore import Qt

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.core import Finding
from coach_app.storage.sessions import add_comment, load_session, save_session
from coach_app.transcript_io import load_transcript
from coach_app.ui.missed_finding import MissedFindingDialog
from coach_app.ui.widgets.scorecard_tree import FINDING_ROLE

SAMPLE = paths.resources_root().parent / "data" / "samples" / "telecom_complaint_poor_asr.json"


def stored_sample(state) -> int:
    transcript = load_transcript(SAMPLE)
    return save_session(state.db, transcript, analyze(transcript), "Sam", "Telecom complaint")


def finding_row(review, kind: str):
    return next(row for row in review.scorecard.finding_items() if row.data(0, FINDING_ROLE).kind == kind)


def test_every_score_opens_to_its_evidence_and_findings_step_in_time_order(qtbot, window, state):
    """Each dimension lists its findings; F8 steps through them in time order and selects the transcript spot."""
    window.open_session(stored_sample(state))
    review = window.page("review")
    card = load_session(state.db, review.stored.summary.id).scorecard
    for top, dimension in enumerate(card.dimensions):
        item = review.scorecard.topLevelItem(top)
        assert item.text(1) == str(dimension.score)
        rows = [item.child(i) for i in range(item.childCount())]
        assert sum(isinstance(row.data(0, FINDING_ROLE), Finding) for row in rows) == len(dimension.evidence)
    starts = []
    for _ in range(3):
        qtbot.keyClick(review, Qt.Key.Key_F8)
        starts.append(review.scorecard.currentItem().data(0, FINDING_ROLE).start_s)
    assert starts == sorted(starts) and len(set(starts)) > 1
    assert review.timeline.position_s == starts[-1]


def test_marking_a_finding_wrong_raises_the_score(qtbot, window, state):
    """Rejecting an interruption re-scores in the background; the shown and stored overall both go up."""
    window.open_session(stored_sample(state))
    review = window.page("review")
    before = review.stored.summary.overall
    review.scorecard.setCurrentItem(finding_row(review, "interruption"))
    assert review.reject_button.isEnabled()
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        review.reject_button.click()
    after = load_session(state.db, review.stored.summary.id)
    assert after.summary.overall > before and after.summary.automatic_overall == before
    assert review.header.overall_label.text().startswith(str(after.summary.overall))
    assert "automatic" in review.header.overall_label.text()
    assert "1 marked wrong" in review.explanation.text()


def test_adding_a_missed_empathy_finding_raises_empathy(qtbot, window, state):
    """A trainer-added empathy finding is stored and the empathy score goes up."""
    window.open_session(stored_sample(state))
    review = window.page("review")
    empathy_before = next(d.score for d in review.stored.scorecard.dimensions if d.dimension == "empathy")
    review.timeline.set_position(21.0)
    review.ask_missed_finding()
    dialog = review.findChild(MissedFindingDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("empathy"))
    dialog.note.setText("Acknowledged the frustration")
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        dialog.accept()
    empathy_after = next(d.score for d in review.stored.scorecard.dimensions if d.dimension == "empathy")
    assert empathy_after > empathy_before
    added = [s for s in review.stored.findings if s.origin == "trainer"]
    assert len(added) == 1 and added[0].finding.reason == "Acknowledged the frustration"
    assert review.stored.transcript.turns[added[0].finding.turn].speaker == "rep"


def test_comments_pin_to_the_current_time_and_exports_are_written(qtbot, window, state, tmp_path):
    """A comment typed at a moment is stored with that time; HTML and bundle exports run in the background."""
    session_id = stored_sample(state)
    add_comment(state.db, session_id, "Whole-call note")
    window.open_session(session_id)
    review = window.page("review")
    review.timeline.set_position(12.5)
    qtbot.keyClicks(review.comments.edit, "Let them finish here")
    qtbot.mouseClick(review.comments.add_button, Qt.MouseButton.LeftButton)
    comments = load_session(state.db, session_id).comments
    assert [(c.body, c.at_s) for c in comments] == [("Whole-call note", None), ("Let them finish here", 12.5)]
    assert review.comments.list.count() == 2
    for name in ("report.html", "call.zip"):
        with qtbot.waitSignal(review.exported, timeout=30000) as done:
            review.export_to(tmp_path / name)
        assert done.args[0].endswith(name)
    assert "Let them finish here" in (tmp_path / "report.html").read_text()
    assert zipfile.is_zipfile(tmp_path / "call.zip")


def test_swapping_speakers_rescores_and_a_turn_can_be_reassigned(qtbot, window, state):
    """Swapping rep and customer re-analyses the call; changing one turn's speaker sticks; both are stored."""
    window.open_session(stored_sample(state))
    review = window.page("review")
    speakers = [turn.speaker for turn in review.stored.transcript.turns]
    before = review.stored.summary.overall
    with qtbot.waitSignal(state.sessions_changed, timeout=20000):
        review.swap_action.trigger()
    swapped = load_session(state.db, review.stored.summary.id)
    assert [turn.speaker for turn in swapped.transcript.turns] == [
        "customer" if speaker == "rep" else "rep" for speaker in speakers
    ]
    assert swapped.summary.overall != before
    assert review.header.overall_label.text().startswith(str(swapped.summary.overall))

    first = swapped.transcript.turns[0]
    review.timeline.set_position(first.start_s + 0.01)  # before any other turn starts
    with qtbot.waitSignal(state.sessions_changed, timeout=20000):
        review.reassign_action.trigger()
    fixed = load_session(state.db, review.stored.summary.id)
    assert fixed.transcript.turns[0].speaker == speakers[0]
    assert [t.speaker for t in fixed.transcript.turns[1:]] == [t.speaker for t in swapped.transcript.turns[1:]]
