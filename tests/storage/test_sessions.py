"""Saving, loading, listing, tagging and deleting sessions in a real database file."""

import os
import stat

import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.errors import StorageError
from coach_app.storage.db import open_db
from coach_app.storage.sessions import (
    add_comment,
    delete_session,
    list_sessions,
    load_session,
    save_session,
    set_tags,
)


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "lib" / "coach.db")
    yield database
    database.close()


def test_round_trip_keeps_transcript_and_scorecard(db):
    """A saved session loads back with identical turns, words, findings, dimensions and metrics."""
    transcript = make_transcript(8)
    scorecard = make_scorecard(transcript)
    session_id = save_session(db, transcript, scorecard, rep="Sam", title="Late drone", scenario="late-delivery")
    stored = load_session(db, session_id)
    assert stored.transcript == transcript
    assert stored.automatic == scorecard
    assert stored.corrected is None
    assert stored.summary.rep == "Sam"
    assert stored.summary.scenario == "late-delivery"
    assert stored.summary.duration_s == pytest.approx(transcript.turns[-1].end_s)
    assert isinstance(stored.automatic.metrics["interruptions"], int)


def test_list_filters_and_orders_newest_first(db):
    """Listing filters by rep, date range and tag, newest first."""
    t = make_transcript(4)
    a = save_session(db, t, make_scorecard(t, 50), "Sam", "one", started_at="2026-01-01T10:00:00+00:00")
    b = save_session(db, t, make_scorecard(t, 60), "Ana", "two", started_at="2026-01-02T10:00:00+00:00")
    c = save_session(db, t, make_scorecard(t, 70), "Sam", "three", started_at="2026-01-03T10:00:00+00:00", tags=("x",))
    assert [s.id for s in list_sessions(db)] == [c, b, a]
    assert [s.id for s in list_sessions(db, rep="Sam")] == [c, a]
    assert [s.id for s in list_sessions(db, since="2026-01-02", until="2026-01-03")] == [b]
    assert [s.id for s in list_sessions(db, tag="x")] == [c]
    set_tags(db, a, ["x", "y"])
    assert list_sessions(db, rep="Sam")[1].tags == ("x", "y")


def test_delete_removes_rows_and_audio(db, tmp_path):
    """Deleting a session removes its turns, words, comments and the audio copied into the library."""
    outside = tmp_path / "call.wav"
    outside.write_bytes(b"RIFF" + b"\0" * 100)
    t = make_transcript(4)
    session_id = save_session(db, t, make_scorecard(t), "Sam", "with audio", audio_path=outside)
    stored = load_session(db, session_id)
    audio = tmp_path / "lib" / stored.summary.audio_path
    assert audio.is_file() and audio != outside
    assert stat.S_IMODE(audio.stat().st_mode) == 0o600
    add_comment(db, session_id, "good pause here", at_s=3.0, author="Trainer Tess")
    delete_session(db, session_id)
    assert not audio.exists()
    assert outside.exists()
    for table in ("sessions", "turns", "words", "findings", "scores", "metrics", "comments"):
        assert db[table].count == 0, table
    with pytest.raises(StorageError, match="No stored session has id"):
        load_session(db, session_id)


def test_database_files_are_private(tmp_path):
    """The database and its write-ahead log are readable and writable by the user only."""
    path = tmp_path / "private.db"
    db = open_db(path)
    t = make_transcript(2)
    save_session(db, t, make_scorecard(t), "Sam", "private")
    for name in ("private.db", "private.db-wal", "private.db-shm"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    db.close()


def test_comments_are_pinned_and_ordered(db):
    """Comments come back ordered by time, with author and pin."""
    t = make_transcript(4)
    session_id = save_session(db, t, make_scorecard(t), "Sam", "c")
    add_comment(db, session_id, "later", at_s=9.5, author="Tess")
    add_comment(db, session_id, "earlier", turn=1)
    comments = load_session(db, session_id).comments
    assert [c.body for c in comments] == ["earlier", "later"]
    assert comments[1].author == "Tess" and comments[1].at_s == 9.5
    with pytest.raises(StorageError, match="cannot be empty"):
        add_comment(db, session_id, "   ")
