"""Open the sessions database: WAL, foreign keys, private file, migrated (after a backup) or refused if newer."""

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from coach_app import paths
from coach_app.errors import StorageError
from coach_app.storage.migrations import MIGRATION_SET, migrations

BUSY_TIMEOUT_MS = 10_000
KNOWN_STEPS: tuple[str, ...] = tuple(m.name for m in migrations.pending(Database(memory=True)))


LOW_DISK_BYTES = 16 * 1024**2  # below this much free space a failed write is taken as a full disk


def open_db(path: str | os.PathLike | None = None) -> Database:
    """A new connection for the calling thread to a migrated database (default: the user's library).

    Use it as `with open_db() as db:`, which closes the connection at the end of the block.
    """
    path = Path(path) if path is not None else paths.db_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        _refuse_newer(path)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    with contextlib.suppress(PermissionError):
        os.chmod(path, 0o600)
    db: Database | None = None
    try:
        db = Database(path)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db, path)
    except BaseException as exc:
        if db is not None:
            db.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise _unusable(path, exc) from None
        raise
    return db


@contextlib.contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One write transaction that takes the write lock up front, so concurrent writers wait instead of failing.

    Inside an enclosing `writing` block it joins that transaction, so several steps commit together.
    """
    if db.conn.in_transaction:
        yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise StorageError(_write_failure(db, exc)) from exc


def _write_failure(db: Database, exc: sqlite3.OperationalError) -> str:
    """A sentence for a failed write: nothing was changed, and what to do about it."""
    where = db.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()[0]
    text = str(exc)
    if "locked" in text or "busy" in text:
        advice = "another Listening Coach window or command kept it busy; close it and try again"
    elif "full" in text:
        advice = "the disk is full; free some space and try again"
    elif "readonly" in text:
        advice = "the file is read-only; check its permissions"
    else:
        advice = "check the disk, or restore a backup copy if the problem persists"
    return f"Could not save to the sessions database {where} ({text}); nothing was changed: {advice}."


def now_iso() -> str:
    """The current UTC time as stored in the database (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _applied_steps(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'").fetchone()
    if not exists:
        return []
    rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])
    return [name for (name,) in rows]


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    """The right advice for a database that cannot be opened: only real damage calls for moving it away."""
    text = str(exc).lower()
    if "full" in text or shutil.disk_usage(path.parent).free < LOW_DISK_BYTES:
        return StorageError(
            f"The disk holding the sessions database {path} is full ({exc}): free some space and try again; "
            "the database itself is fine."
        )
    if "disk i/o" in text:
        return StorageError(
            f"A disk error stopped the sessions database {path} from being written ({exc}): check there is free "
            "space and no file-size limit, then try again; the database itself is not damaged by this."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError(
            f"Cannot write the sessions database {path} ({exc}): check you may write to {path.parent}; "
            "the database itself is fine."
        )
    return StorageError(
        f"Cannot use the sessions database {path} ({exc}): it looks damaged; move it away to start a new library, "
        "or restore a backup copy."
    )


def _refuse_newer(path: Path) -> None:
    """Read the applied steps without writing anything; a step this app does not know means a newer app made it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            applied = _applied_steps(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    unknown = [name for name in applied if name not in KNOWN_STEPS]
    if unknown:
        raise StorageError(
            f"The sessions database {path} was made by a newer version of Listening Coach (schema step "
            f"{unknown[-1]}): update the app to open it; it was not changed."
        )


def _migrate(db: Database, path: Path) -> None:
    pending = migrations.pending(db)
    if not pending:
        return
    if _applied_steps(db.conn):
        _backup(db, path.with_name(f"{path.name}.before-{pending[0].name}.bak"))
    db.conn.execute("BEGIN IMMEDIATE")  # one migrating process at a time; all steps or none
    try:
        migrations.apply(db)
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _backup(db: Database, target: Path) -> None:
    """Copy the database as it is now with SQLite's online backup, readable only by the user."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    dest = sqlite3.connect(target)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
