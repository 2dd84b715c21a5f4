"""Killing `coach-app` with SIGKILL while it imports or saves, many times, never corrupts or half-fills the library."""

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

COACH = str(Path(sys.executable).with_name("coach-app"))
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
KILLS = 16


def coach(*args: str, home: Path) -> subprocess.Popen:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "COACH_APP_HOME": str(home)}
    return subprocess.Popen([COACH, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_bundle(home: Path) -> Path:
    """A real bundle, with a recording, exported from a session in its own profile."""
    home.mkdir()
    audio = home / "call.wav"
    sf.write(audio, (np.random.default_rng(0).normal(0, 3000, 16000 * 20)).astype(np.int16), 16000)
    sample = SAMPLES / "telecom_complaint_good.json"
    assert coach("analyze", str(sample), "--save", "--audio", str(audio), home=home).wait(60) == 0
    bundle = home / "call.zip"
    assert coach("export", "1", str(bundle), home=home).wait(60) == 0
    return bundle


def check_library(home: Path) -> int:
    """The database passes integrity and foreign-key checks, and every stored session is complete (a database killed
    before its first migration has no tables yet: it counts as empty)."""
    db_path = home / "data" / "coach.db"
    if not db_path.exists():
        return 0
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return 0  # killed after the new file was made, before its first migration: the next start migrates it
        sessions = db.execute("SELECT id, audio_path FROM sessions").fetchall()
        for session_id, audio in sessions:
            assert db.execute("SELECT count(*) FROM turns WHERE session_id = ?", [session_id]).fetchone()[0] > 0
            assert db.execute("SELECT count(*) FROM scores WHERE session_id = ?", [session_id]).fetchone()[0] > 0
            if audio:
                assert (home / "data" / "recordings" / Path(audio).name).is_file(), f"session {session_id} lost audio"
        return len(sessions)
    finally:
        db.close()


def test_sigkill_during_import_and_save_leaves_a_sound_library(tmp_path):
    """16 kills at random moments of `import` and `analyze --save`; afterwards every check passes and work resumes."""
    bundle = make_bundle(tmp_path / "source")
    home = tmp_path / "library"
    chance = random.Random(20261125)
    samples = sorted(SAMPLES.glob("*.json"))
    killed = 0
    for round_number in range(KILLS):
        if round_number % 2:
            process = coach("import", str(bundle), home=home)
        else:
            process = coach("analyze", str(chance.choice(samples)), "--save", home=home)
        time.sleep(chance.uniform(0.2, 1.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(60)
        check_library(home)
    assert killed >= KILLS // 2, "too few kills landed while the program was running"
    before = check_library(home)
    assert coach("import", str(bundle), home=home).wait(60) == 0
    assert coach("analyze", str(samples[0]), "--save", home=home).wait(60) == 0
    assert check_library(home) >= before + 1
