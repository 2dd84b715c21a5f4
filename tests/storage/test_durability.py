"""The database survives a writer killed at random moments, and readers run while a writer writes."""

import os
import random
import select
import signal
import threading
import time
from pathlib import Path

import crash_writer
import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.errors import StorageError
from coach_app.storage import db as db_module
from coach_app.storage.db import open_db
from coach_app.storage.search import search_text
from coach_app.storage.sessions import list_sessions, load_session, save_session

TURNS = 40


def _check_consistent(path: Path) -> int:
    """Integrity and foreign keys hold, the FTS index matches, and every stored session is complete."""
    db = open_db(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO turns_fts(turns_fts) VALUES ('integrity-check')")
        db.execute("INSERT INTO comments_fts(comments_fts) VALUES ('integrity-check')")
        incomplete = db.execute(
            "SELECT s.id FROM sessions s WHERE (SELECT count(*) FROM turns t WHERE t.session_id = s.id) != ? "
            "OR NOT EXISTS (SELECT 1 FROM scores sc WHERE sc.session_id = s.id)",
            [TURNS],
        ).fetchall()
        assert incomplete == []
        half_corrected = db.execute(
            "SELECT s.id FROM sessions s WHERE (s.corrected_overall IS NULL) = "
            "EXISTS (SELECT 1 FROM corrections c WHERE c.session_id = s.id)"
        ).fetchall()
        assert half_corrected == []
        return db["sessions"].count
    finally:
        db.close()


def _start_writer(path: Path) -> tuple[int, int]:
    """Fork a writer (already-imported code, so it starts in milliseconds); returns its pid and a ready pipe."""
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write until killed
        os.close(ready_read)
        try:
            crash_writer.main(str(path), on_ready=lambda: os.write(ready_write, b"r"))
        finally:
            os._exit(1)
    os.close(ready_write)
    return pid, ready_read


def test_killing_the_writer_never_corrupts_or_loses_commits(tmp_path):
    """30 SIGKILLs at random points (some during open/migration) leave a consistent database each time."""
    path = tmp_path / "coach.db"
    rng = random.Random(1234)
    committed: set[int] = set()
    for attempt in range(30):
        pid, ready = _start_writer(path)
        if attempt % 3:  # two kills in three land while writing; the rest anywhere from start-up on
            assert select.select([ready], [], [], 60)[0], "the writer never became ready"
            assert os.read(ready, 1) == b"r"
        time.sleep(rng.uniform(0.0, 0.3))  # the random moment of the crash
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)
        _check_consistent(path)
        db = open_db(path)
        ids = {s.id for s in list_sessions(db)}
        db.close()
        assert committed <= ids  # a writer only deletes its own new sessions, so nothing committed may vanish
        committed = ids
    assert len(committed) > 30, "the writer hardly committed anything"
    db = open_db(path)
    assert db["corrections"].count > 5, "the writer hardly corrected anything"
    db.close()


def test_readers_see_complete_sessions_while_a_writer_writes(tmp_path):
    """Readers on their own connections list, load and search without errors while another thread writes."""
    path = tmp_path / "coach.db"
    open_db(path).close()
    transcript = make_transcript(TURNS)
    first_saved, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        db = open_db(path)
        try:
            for n in range(40):
                save_session(db, transcript, make_scorecard(transcript), "Sam", f"s{n}")
                first_saved.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            first_saved.set()
            done.set()
            db.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert first_saved.wait(30)
    reader = open_db(path)
    reads = 0
    while not done.is_set() or reads < 5:
        summaries = list_sessions(reader)
        stored = load_session(reader, summaries[0].id)
        assert len(stored.transcript.turns) == TURNS
        assert search_text(reader, "courier")
        reads += 1
    writer.join()
    reader.close()
    assert errors == []
    assert reads >= 5


def test_two_writers_wait_for_each_other(tmp_path):
    """Two threads saving at once both succeed: the busy timeout and immediate transactions serialise them."""
    path = tmp_path / "coach.db"
    open_db(path).close()
    transcript = make_transcript(TURNS)
    errors: list[BaseException] = []

    def write(rep: str) -> None:
        db = open_db(path)
        try:
            for n in range(15):
                save_session(db, transcript, make_scorecard(transcript), rep, f"{rep} {n}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=write, args=(rep,)) for rep in ("Sam", "Ana")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _check_consistent(path) == 30


def test_a_writer_blocked_too_long_gets_a_clear_error(tmp_path, monkeypatch):
    """When another connection holds the write lock past the busy timeout, saving fails cleanly with nothing stored."""
    path = tmp_path / "coach.db"
    holder = open_db(path)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    blocked = open_db(path)
    holder.conn.execute("BEGIN IMMEDIATE")
    t = make_transcript(4)
    with pytest.raises(StorageError, match="nothing was changed: another .* kept it busy"):
        save_session(blocked, t, make_scorecard(t), "Sam", "blocked")
    holder.conn.execute("ROLLBACK")
    assert list_sessions(blocked) == []
    holder.close()
    blocked.close()
