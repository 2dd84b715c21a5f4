"""Corrections can be taken back and comments edited or deleted, in real SQLite files, with scores following."""

from pathlib import Path

import pytest

from coach_app.analysis import analyze
from coach_app.core import Finding
from coach_app.errors import StorageError
from coach_app.storage.corrections import add_missed_finding, reject_finding, undo_correction
from coach_app.storage.db import open_db
from coach_app.storage.sessions import add_comment, delete_comment, edit_comment, load_session, save_session
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "coach.db")
    yield database
    database.close()


@pytest.fixture
def session_id(db):
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    return save_session(db, transcript, analyze(transcript), rep="Sam", title="gift")


def test_undoing_the_only_rejection_restores_the_automatic_view(db, session_id):
    """Reject then undo: the finding counts again and the session shows its automatic scores, uncorrected."""
    before = load_session(db, session_id)
    empathy = next(f for f in before.findings if f.finding.kind == "empathy")
    reject_finding(db, empathy.id, author="Tess")
    (correction,) = load_session(db, session_id).corrections
    assert correction.author == "Tess" and correction.created_at
    assert undo_correction(db, correction.id) == before.summary.overall
    after = load_session(db, session_id)
    assert after.corrected is None and after.corrections == ()
    assert not next(f for f in after.findings if f.id == empathy.id).rejected
    assert after.summary.overall == before.summary.overall


def test_undoing_an_addition_removes_the_finding_and_keeps_other_corrections(db, session_id):
    """Undo a trainer-added finding: it is gone, the earlier rejection still stands and is still scored."""
    stored = load_session(db, session_id)
    empathy = next(f for f in stored.findings if f.finding.kind == "empathy")
    reject_finding(db, empathy.id, author="Tess")
    rep_turn = next(i for i, t in enumerate(stored.transcript.turns) if t.speaker == "rep")
    turn = stored.transcript.turns[rep_turn]
    added = add_missed_finding(
        db, session_id, Finding("summary", rep_turn, turn.start_s, turn.end_s, turn.text[:20], "r", "t"), author="Tess"
    )
    with_both = load_session(db, session_id)
    addition = next(c for c in with_both.corrections if c.finding_id == added)
    undo_correction(db, addition.id)
    after = load_session(db, session_id)
    assert all(f.id != added for f in after.findings)
    assert [c.action for c in after.corrections] == ["rejected"]
    assert after.corrected is not None and empathy.finding not in after.corrected.findings
    with pytest.raises(StorageError, match="No correction has id"):
        undo_correction(db, addition.id)


def test_comments_can_be_edited_and_deleted(db, session_id):
    """Editing keeps the pin and author; deleting returns the comment so it can be put back; bad ids are clear."""
    comment_id = add_comment(db, session_id, "Nice pause here", at_s=12.5, author="Tess")
    edit_comment(db, comment_id, "  Lovely pause before answering ")
    (comment,) = load_session(db, session_id).comments
    assert (comment.body, comment.at_s, comment.author) == ("Lovely pause before answering", 12.5, "Tess")
    with pytest.raises(StorageError, match="cannot be empty"):
        edit_comment(db, comment_id, "   ")
    removed = delete_comment(db, comment_id)
    assert removed.body == "Lovely pause before answering"
    assert load_session(db, session_id).comments == ()
    with pytest.raises(StorageError, match="No comment has id"):
        delete_comment(db, comment_id)
