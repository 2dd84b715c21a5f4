"""The library commands through the real entry point: save, list, show, search, report, export/import, delete."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
COACH_APP = Path(sys.executable).parent / "coach-app"


def _save(capsys, name: str, rep: str = "Sam") -> int:
    assert main(["analyze", str(SAMPLES / name), "--save", "--rep", rep, "--tag", "sample"]) == 0
    return int(capsys.readouterr().out.strip())


def test_save_then_list_through_installed_command(coach_home):
    """`analyze --save` prints the new id and `sessions list --json` shows it with the agreed keys."""
    env = {"COACH_APP_HOME": str(coach_home), "PATH": "/usr/bin:/bin"}
    sample = SAMPLES / "birthday_gift_good.json"
    saved = subprocess.run(
        [str(COACH_APP), "analyze", str(sample), "--save", "--title", "Drone"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert saved.returncode == 0, saved.stderr
    session_id = int(saved.stdout.strip())
    listed = subprocess.run(
        [str(COACH_APP), "sessions", "list", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["title"], r["rep"]) for r in rows] == [(session_id, "Drone", "Me")]
    assert {"id", "started_at", "rep", "title", "overall"} <= set(rows[0])
    assert 0 <= rows[0]["overall"] <= 100


def test_show_search_comment_and_delete(capsys):
    """A saved session can be shown, found by its words and comments, and deleted."""
    session_id = _save(capsys, "telecom_complaint_poor_asr.json")
    assert main(["sessions", "comment", str(session_id), "Mind the interruptions", "--at", "12"]) == 0
    capsys.readouterr()
    assert main(["sessions", "show", str(session_id)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Session {session_id}: ") and "Overall: " in out and "Mind the interruptions" in out
    assert main(["sessions", "show", str(session_id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == session_id and shown["findings"] and shown["comments"][0]["at_s"] == 12.0
    assert main(["sessions", "tag", str(session_id), "telecom", "review"]) == 0
    capsys.readouterr()
    assert main(["sessions", "list", "--tag", "review", "--json"]) == 0
    assert [r["tags"] for r in json.loads(capsys.readouterr().out)] == [["review", "telecom"]]
    assert main(["sessions", "search", "interruptions", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["session_id"] == session_id and hits[0]["in"] == "comment"
    assert main(["sessions", "delete", str(session_id)]) == 0
    capsys.readouterr()
    assert main(["sessions", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_speakers_can_be_swapped_and_one_turn_reassigned(capsys):
    """`sessions speakers` swaps rep and customer or gives one turn to the other speaker, and re-scores."""
    session_id = _save(capsys, "telecom_complaint_good.json")
    assert main(["sessions", "show", str(session_id), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["sessions", "speakers", str(session_id), "--swap"]) == 0
    assert "re-scored" in capsys.readouterr().out
    assert main(["sessions", "show", str(session_id), "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    flip = {"rep": "customer", "customer": "rep"}
    assert [t["speaker"] for t in after["transcript"]["turns"]] == [
        flip[t["speaker"]] for t in before["transcript"]["turns"]
    ]
    assert after["overall"] < before["overall"]  # the customer's words are no model of active listening
    assert main(["sessions", "speakers", str(session_id), "--turn", "0", "--speaker", "customer"]) == 0
    assert main(["sessions", "speakers", str(session_id), "--turn", "0"]) == 2
    assert "--speaker" in capsys.readouterr().err


def test_unknown_session_is_a_clear_error(capsys):
    """Asking for a session that does not exist exits 2 with one sentence naming the id."""
    assert main(["sessions", "show", "42"]) == 2
    err = capsys.readouterr().err
    assert "No stored session has id 42" in err and "Traceback" not in err


def test_progress_with_goal_png_and_reports(capsys, tmp_path):
    """`progress` adds a goal, prints JSON, writes PNG charts and HTML/PDF reports."""
    for name in ("birthday_gift_poor.json", "birthday_gift_good.json"):
        _save(capsys, name, rep="Ana")
    charts = tmp_path / "charts"
    args = [
        "progress",
        "--rep",
        "Ana",
        "--goal",
        "2+ reflections per call",
        "--png",
        str(charts),
        "--json",
        "--html",
        str(tmp_path / "p.html"),
        "--pdf",
        str(tmp_path / "p.pdf"),
    ]
    assert main(args) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sessions"] == 2 and info["goals"][0]["metric"] == "reflections"
    assert sorted(p.name for p in charts.iterdir()) == ["behaviours.png", "radar.png", "trend.png"]
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert "Progress of Ana" in (tmp_path / "p.html").read_text()
    assert main(["progress", "--rep", "Nobody"]) == 2


def test_report_export_import_and_rescore(capsys, tmp_path, monkeypatch):
    """A session report is written, a bundle moves a session to another library once, and rescoring runs."""
    session_id = _save(capsys, "subscription_cancel_poor.json")
    assert main(["report", str(session_id), "--html", str(tmp_path / "r.html")]) == 0
    assert main(["report", str(session_id), "--pdf", str(tmp_path / "r.pdf")]) == 0
    assert "subscription cancel poor" in (tmp_path / "r.html").read_text()
    assert main(["export", str(session_id), str(tmp_path / "s.zip")]) == 0
    monkeypatch.setenv("COACH_APP_HOME", str(tmp_path / "trainer"))
    capsys.readouterr()
    assert main(["import", str(tmp_path / "s.zip"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"session_id": 1, "duplicate": False}
    assert main(["import", str(tmp_path / "s.zip")]) == 0
    assert "Already in the library" in capsys.readouterr().out
    assert main(["rescore", "--all"]) == 0
    assert capsys.readouterr().out.startswith("Rescored 1 sessions")


def test_transcript_notes_are_shown_and_reported(capsys, tmp_path):
    """A transcript saved with a note (e.g. from `coach-app transcribe`) shows it in `sessions show` and reports."""
    note = "Only one voice was heard in call.wav: every turn is given to the rep."
    data = json.loads((SAMPLES / "telecom_complaint_poor_asr.json").read_text()) | {"notes": [note]}
    (tmp_path / "call.json").write_text(json.dumps(data))
    assert main(["analyze", str(tmp_path / "call.json"), "--save", "--rep", "Sam"]) == 0
    session_id = int(capsys.readouterr().out.strip())
    assert main(["sessions", "show", str(session_id)]) == 0
    assert f"Note: {note}" in capsys.readouterr().out
    assert main(["sessions", "show", str(session_id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["transcript"]["notes"] == [note]
    assert main(["report", str(session_id), "--html", str(tmp_path / "r.html")]) == 0
    assert f"<b>Note:</b> {note}" in (tmp_path / "r.html").read_text()


@pytest.mark.parametrize("argv", [["report", "1"], ["rescore"]])
def test_required_options_are_enforced(argv):
    """`report` needs --html or --pdf and `rescore` needs --all."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
