"""Opening databases of every age: new, empty, older (migrated after a backup), newer (refused), damaged."""

import hashlib
import sqlite3

import pytest
from schema_history import applied_steps, build_at_step, earlier_steps

from coach_app.errors import StorageError
from coach_app.storage.db import KNOWN_STEPS, open_db
from coach_app.storage.search import search_text
from coach_app.storage.sessions import list_sessions


def test_empty_file_is_migrated(tmp_path):
    """A zero-byte file becomes a fully migrated database without a backup (nothing to lose)."""
    path = tmp_path / "coach.db"
    path.write_bytes(b"")
    open_db(path).close()
    assert applied_steps(path) == list(KNOWN_STEPS)
    assert not list(tmp_path.glob("*.bak"))


@pytest.mark.parametrize("next_step", earlier_steps())
def test_older_schema_is_backed_up_then_migrated(tmp_path, next_step):
    """A database from an earlier version keeps its sessions, gains the new steps, and leaves a backup copy."""
    path = tmp_path / "coach.db"
    build_at_step(path, next_step)
    before = applied_steps(path)
    db = open_db(path)
    assert applied_steps(path) == list(KNOWN_STEPS)
    assert [s.title for s in list_sessions(db)] == ["old call"]
    assert search_text(db, "parcel")[0].session_id == 1
    db.close()
    backup = tmp_path / f"coach.db.before-{next_step}.bak"
    assert applied_steps(backup) == before
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT title FROM sessions").fetchall() == [("old call",)]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_newer_schema_is_refused_and_untouched(tmp_path):
    """A database with a schema step this app does not know is refused with a clear message and not modified."""
    path = tmp_path / "coach.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('coach_app', 'm999_future', 'x')"
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StorageError, match="newer version of Listening Coach.*m999_future.*not changed"):
        open_db(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "coach.db-wal").exists()


def test_damaged_file_gives_clear_error(tmp_path):
    """A file that is not a SQLite database is reported by path, with what to do."""
    path = tmp_path / "coach.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match=r"coach\.db.*move it away"):
        open_db(path)


def test_released_steps_are_never_renamed_or_reordered():
    """Schema steps are append-only: the released names stay, in order, so older databases keep migrating."""
    released = (
        "m001_people_sessions",
        "m002_comments_corrections",
        "m003_tags_goals_settings",
        "m004_full_text_search",
        "m005_repair_unreadable_values",
        "m006_score_breakdown",
        "m007_batch_imports",
        "m008_speaker_confidence_voice_prints",
        "m009_transcript_notes",
    )
    assert KNOWN_STEPS[: len(released)] == released
