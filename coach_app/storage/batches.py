"""Batch imports in the database: each file's checksum and state, so a rerun skips what is done and retries the rest.

A file counts as imported while a `done` item with its checksum still points at a session; saving a session and
marking its item done happen in one transaction, so a crash leaves either both or neither.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from coach_app.core import Scorecard, Transcript
from coach_app.storage.db import now_iso, writing
from coach_app.storage.sessions import save_session

STATES = ("queued", "done", "failed", "skipped")


@dataclass(frozen=True)
class PlannedFile:
    """A file found for a batch: its checksum (None if unreadable), its rep, and why it cannot be imported if so."""

    path: str
    rep: str
    checksum: str | None
    problem: str | None = None


@dataclass(frozen=True)
class BatchItem:
    """One file of a batch as stored: `error` says why it failed or was skipped; `notes`, what to check about how
    a saved file was transcribed (its session's transcript notes)."""

    id: int
    batch_id: int
    path: str
    rep: str
    checksum: str | None
    state: str
    error: str | None
    session_id: int | None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "rep": self.rep,
            "state": self.state,
            "session_id": self.session_id,
            "error": self.error,
            "checksum": self.checksum,
            "notes": list(self.notes),
        }


def imported_session(db: Database, checksum: str) -> int | None:
    """The session a file with this checksum was imported as, if it still exists."""
    row = db.execute(
        "SELECT session_id FROM batch_items WHERE checksum = ? AND state = 'done' AND session_id IS NOT NULL LIMIT 1",
        [checksum],
    ).fetchone()
    return row[0] if row else None


def plan_batch(db: Database, files: Iterable[PlannedFile], tags: Iterable[str] = ()) -> int:
    """Record a new batch in one transaction: files already imported or repeated are skipped, problems failed."""
    with writing(db):
        batch_id = db.execute(
            "INSERT INTO batches (created_at, tags_json) VALUES (?, ?)", [now_iso(), json.dumps(sorted(set(tags)))]
        ).lastrowid
        first_path: dict[str, str] = {}
        for planned in files:
            state, error, session_id = "queued", planned.problem, None
            if planned.problem is not None:
                state = "failed"
            elif planned.checksum in first_path:
                state, error = "skipped", f"the same recording as {first_path[planned.checksum]} (same checksum)"
            elif (session_id := imported_session(db, planned.checksum)) is not None:
                state, error = "skipped", f"already imported as session {session_id}"
            if planned.checksum is not None:
                first_path.setdefault(planned.checksum, planned.path)
            db.execute(
                "INSERT INTO batch_items (batch_id, path, rep, checksum, state, error, session_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [batch_id, planned.path, planned.rep, planned.checksum, state, error, session_id, now_iso()],
            )
    return batch_id


def batch_items(db: Database, batch_id: int) -> list[BatchItem]:
    """A batch's files in the order they were found; saved ones with their session's transcript notes."""
    rows = db.execute(
        "SELECT i.id, i.batch_id, i.path, i.rep, i.checksum, i.state, i.error, i.session_id, "
        "CASE WHEN i.state = 'done' THEN s.transcript_notes_json END FROM batch_items i "
        "LEFT JOIN sessions s ON s.id = i.session_id WHERE i.batch_id = ? ORDER BY i.id",
        [batch_id],
    )
    return [BatchItem(*row[:-1], tuple(json.loads(row[-1])) if row[-1] else ()) for row in rows]


def batch_tags(db: Database, batch_id: int) -> tuple[str, ...]:
    (tags_json,) = db.execute("SELECT tags_json FROM batches WHERE id = ?", [batch_id]).fetchone()
    return tuple(json.loads(tags_json))


def save_result(
    db: Database,
    item: BatchItem,
    transcript: Transcript,
    scorecard: Scorecard,
    *,
    title: str,
    audio_path: str | None,
    started_at: str | None,
) -> BatchItem:
    """Save a scored file as a session and mark its item done, in one transaction.

    If another run imported the same recording meanwhile, the item is skipped instead: never two sessions.
    """
    with writing(db):
        existing = imported_session(db, item.checksum) if item.checksum else None
        if existing is not None:
            return _set_state(db, item, "skipped", f"already imported as session {existing}", existing)
        session_id = save_session(
            db,
            transcript,
            scorecard,
            item.rep,
            title,
            audio_path=audio_path,
            source="imported_call",
            started_at=started_at,
            tags=batch_tags(db, item.batch_id),
        )
        return _set_state(db, item, "done", None, session_id, transcript.notes)


def mark_failed(db: Database, item: BatchItem, error: str) -> BatchItem:
    with writing(db):
        return _set_state(db, item, "failed", error, None)


def mark_skipped(db: Database, items: Iterable[BatchItem], reason: str) -> None:
    """Give up on queued items (the user cancelled the batch), saying why."""
    with writing(db):
        for item in items:
            _set_state(db, item, "skipped", reason, None)


def _set_state(
    db: Database,
    item: BatchItem,
    state: str,
    error: str | None,
    session_id: int | None,
    notes: tuple[str, ...] = (),
) -> BatchItem:
    db.execute(
        "UPDATE batch_items SET state = ?, error = ?, session_id = ?, updated_at = ? WHERE id = ?",
        [state, error, session_id, now_iso(), item.id],
    )
    return BatchItem(item.id, item.batch_id, item.path, item.rep, item.checksum, state, error, session_id, notes)
