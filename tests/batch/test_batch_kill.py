"""`coach-app batch` killed with SIGKILL at random moments, then rerun: each file is saved exactly once."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import time

import psutil
from batch_files import coach, copy_samples, use_test_model, write_calls

KILLS = 5


def saved_per_file(home) -> dict[str, int]:
    """Sessions per imported file; checks integrity, foreign keys and that every session is whole."""
    db = sqlite3.connect(home / "data" / "coach.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for (session_id,) in db.execute("SELECT id FROM sessions"):
            assert db.execute("SELECT count(*) FROM scores WHERE session_id = ?", [session_id]).fetchone()[0] > 0
        assert (
            db.execute("SELECT count(*) FROM sessions").fetchone()[0]
            == db.execute("SELECT count(*) FROM batch_items WHERE state = 'done'").fetchone()[0]
        ), "a session without its batch item marked done, or the reverse"
        counts: dict[str, int] = {}
        for path, n in db.execute("SELECT path, count(*) FROM batch_items WHERE state = 'done' GROUP BY path"):
            counts[path] = n
        return counts
    finally:
        db.close()


def _wait_for_workers(process: subprocess.Popen, limit_s: float = 120) -> None:
    """Until the batch has started its worker processes (or ended)."""
    deadline = time.monotonic() + limit_s
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if psutil.Process(process.pid).children():
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.1)


def test_sigkill_at_random_moments_then_rerun_saves_each_file_once(tmp_path, tmp_path_factory):
    """Kill the whole batch (parent and workers) at random points; the rerun finishes and nothing is doubled."""
    home = tmp_path / "home"
    use_test_model(home)
    folder = tmp_path / "calls"
    # Transcripts sort first and score in a moment, so kills land while results are being saved.
    files = write_calls(folder / "2-recordings", 3, tmp_path_factory) + copy_samples(folder / "1-transcripts")
    chance = random.Random(20261207)
    killed = 0
    for _ in range(KILLS):
        process = coach(
            "batch", str(folder), "--workers", "2", home=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for_workers(process)  # a random moment of the work itself, however long start-up takes here
        time.sleep(chance.uniform(0.0, 3.0))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(120)
        counts = saved_per_file(home)
        assert all(n == 1 for n in counts.values()), counts
    assert killed >= 2, "too few kills landed while the batch was running"
    final = coach("batch", str(folder), "--json", home=home, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = final.communicate(timeout=300)
    assert final.returncode == 0
    states = [json.loads(line)["state"] for line in out.decode().splitlines()]
    assert len(states) == len(files) and set(states) <= {"done", "skipped"}
    assert saved_per_file(home) == {str(p.resolve()): 1 for p in files}


def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path, tmp_path_factory):
    """SIGINT to the batch's process group (Ctrl-C in a terminal) ends it with status 130 and a sound library."""
    home = tmp_path / "home"
    use_test_model(home)
    # Transcripts sort first and score in a moment, so kills land while results are being saved.
    files = write_calls(tmp_path / "calls", 3, tmp_path_factory)
    process = coach("batch", str(tmp_path / "calls"), home=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not psutil.Process(process.pid).children() and time.monotonic() < deadline:
        time.sleep(0.2)  # Ctrl-C while the workers run, not while Python is still starting
    time.sleep(1.0)
    assert process.poll() is None, "the batch ended before Ctrl-C"
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "interrupted" in err.decode()
    assert all(n == 1 for n in saved_per_file(home).values())
    assert coach("batch", str(tmp_path / "calls"), home=home, stdout=subprocess.DEVNULL).wait(300) == 0
    assert saved_per_file(home) == {str(p.resolve()): 1 for p in files}
