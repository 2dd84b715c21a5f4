"""The library stays consistent under hostile conditions: unwritable folders on delete and import, bad stored values."""

import json
import sqlite3
from pathlib import Path

import numpy as np
import soundfile as sf
from hostile_files import unwritable
from schema_history import build_at_step

from coach_app.cli import main
from coach_app.storage.db import open_db
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import list_sessions, load_session

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "birthday_gift_good.json"


def _saved_with_audio(tmp_path: Path, capsys) -> int:
    audio = tmp_path / "call.wav"
    sf.write(audio, np.zeros(16000, dtype=np.int16), 16000)
    assert main(["analyze", str(SAMPLE), "--save", "--rep", "Sam", "--audio", str(audio)]) == 0
    return int(capsys.readouterr().out.strip())


def test_delete_with_unwritable_recordings_keeps_session_and_recording(tmp_path, capsys, coach_home):
    """If the recording cannot be removed, delete fails before changing anything; once allowed, it removes both."""
    session_id = _saved_with_audio(tmp_path, capsys)
    recordings = coach_home / "data" / "recordings"
    recording = next(recordings.iterdir())
    with unwritable(recordings):
        status = main(["sessions", "delete", str(session_id)])
        err = capsys.readouterr().err
    assert status == 2 and str(recording) in err and "nothing was deleted" in err
    assert [s.id for s in list_sessions(open_db())] == [session_id]
    assert recording.exists()
    assert main(["sessions", "delete", str(session_id)]) == 0
    assert list_sessions(open_db()) == [] and list(recordings.iterdir()) == []


def test_import_into_unwritable_library_says_permissions_not_disk_space(tmp_path, capsys, coach_home):
    """A bundle import that cannot write the recordings folder says to check permissions, not free disk space."""
    session_id = _saved_with_audio(tmp_path, capsys)
    bundle = tmp_path / "s.zip"
    assert main(["export", str(session_id), str(bundle)]) == 0
    assert main(["sessions", "delete", str(session_id)]) == 0
    capsys.readouterr()
    with unwritable(coach_home / "data" / "recordings"):
        status = main(["import", str(bundle)])
    err = capsys.readouterr().err
    assert status == 2 and "permissions" in err and "disk space" not in err
    assert list_sessions(open_db()) == []


def test_bad_values_already_stored_are_repaired_so_progress_and_reports_work(tmp_path, capsys, coach_home):
    """A library written before the checks, holding "not a date" and a comment at inf, opens and reports cleanly."""
    db_path = coach_home / "data" / "coach.db"
    db_path.parent.mkdir(parents=True)
    build_at_step(db_path, "m005_repair_unreadable_values")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sessions SET started_at = 'not a date', extras_json = '{\"k\": 1}' WHERE id = 1")
        conn.execute(
            "INSERT INTO comments (session_id, body, at_s, created_at) VALUES (1, 'pinned', 1e999, '2025-01-01')"
        )
    db = open_db()
    progress = rep_progress(db, "Old Rep")
    assert progress.session_ids == (1,)
    stored = load_session(db, 1)
    assert json.loads(db.execute("SELECT extras_json FROM sessions").fetchone()[0]) == {
        "k": 1,
        "unreadable_started_at": "not a date",
    }
    assert stored.comments[0].at_s is None and stored.comments[0].body == "pinned"
    assert main(["progress", "--rep", "Old Rep", "--json"]) == 0
    assert main(["report", "1", "--html", str(tmp_path / "r.html")]) == 0
