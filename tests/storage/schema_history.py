"""Build databases as each earlier app version left them: migrated up to (not including) a given step."""

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from coach_app.storage.db import KNOWN_STEPS
from coach_app.storage.migrations import migrations


def build_at_step(path: Path, next_step: str) -> None:
    """A database with every step before `next_step` applied and one session stored the way that schema allows."""
    db = Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before=next_step)
    db.execute("INSERT INTO people (name, role, created_at) VALUES ('Old Rep', 'rep', '2025-01-01T00:00:00+00:00')")
    db.execute(
        "INSERT INTO sessions (started_at, person_id, title, source, duration_s, rubric_version, overall, "
        "transcript_sha256) VALUES ('2025-01-01T10:00:00+00:00', 1, 'old call', 'practice', 60, 'v0', 55, 'abc')"
    )
    db.execute(
        "INSERT INTO turns (session_id, idx, speaker, start_s, end_s, text) "
        "VALUES (1, 0, 'customer', 0, 4, 'my parcel never arrived')"
    )
    db.close()


def earlier_steps() -> list[str]:
    """Every step that an older database may be waiting for (the first one needs the core tables to exist)."""
    return list(KNOWN_STEPS[1:])


def applied_steps(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()
