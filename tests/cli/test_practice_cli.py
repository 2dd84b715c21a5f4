"""`coach-app practice SCENARIO --text` through the real entry point: scripted, typed, JSON and errors."""

import json
import subprocess
import sys
from pathlib import Path

from coach_app.cli import main
from coach_app.transcript_io import transcript_from_dict

SCRIPTS = Path(__file__).parent.parent / "scenarios" / "scripts"
COACH_APP = Path(sys.executable).parent / "coach-app"


def test_scripted_json_has_exactly_the_contract_keys(capsys):
    """`--script --json` prints only the outcome, a valid shared-format transcript and the rubric scores."""
    script = SCRIPTS / "birthday-gift.good.txt"
    assert main(["practice", "birthday-gift", "--text", "--script", str(script), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"hidden_needs_found", "hidden_needs_total", "final_mood", "resolved", "transcript", "scores"}
    assert (out["hidden_needs_found"], out["hidden_needs_total"], out["resolved"]) == (2, 2, True)
    assert out["final_mood"] in ("calm", "content", "delighted")
    transcript = transcript_from_dict(out["transcript"])
    speakers = [t.speaker for t in transcript.turns]
    assert speakers[0] == "customer" and speakers.count("rep") == 4 and speakers[-1] == "customer"
    for before, after in zip(transcript.turns, transcript.turns[1:], strict=False):
        assert after.start_s > before.end_s  # no cut-ins in this script: every turn waits for the last one
    assert set(out["scores"]) >= {"overall", "empathy"}


def test_scripted_readable_run_prints_customer_and_summary(capsys):
    """Without --json the customer's lines appear as the call goes, then the outcome and the scores."""
    script = SCRIPTS / "streaming-cancel.poor.txt"
    assert main(["practice", "streaming-cancel", "--text", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Jill (annoyed): Hi, I'd like to cancel")
    assert "Hidden needs uncovered: 0 of 2" in out and "Resolved: no" in out and "Overall listening score:" in out


def test_typed_practice_through_the_console_script(tmp_path):
    """The installed `coach-app` reads typed lines from stdin and keeps stdout clean JSON with --json."""
    typed = "I'm sorry to hear that. Can you tell me a bit more about what's been going on?\n"
    proc = subprocess.run(
        [str(COACH_APP), "practice", "birthday-gift", "--text", "--json"],
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        env={"COACH_APP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["hidden_needs_found"] == 1 and not out["resolved"]
    assert "Mike (annoyed): Hi. My order" in proc.stderr and "daughter's birthday" in proc.stderr


def test_errors_are_one_sentence_with_exit_status_2(tmp_path, capsys):
    """A missing script, an unknown scenario or a missing speech model exit 2 with one line on stderr."""
    assert main(["practice", "birthday-gift", "--text", "--script", str(tmp_path / "none.txt")]) == 2
    assert "script file" in capsys.readouterr().err
    assert main(["practice", "no-such-call", "--text"]) == 2
    assert "no-such-call" in capsys.readouterr().err
    assert main(["practice", "birthday-gift", "--model", str(tmp_path / "no-model")]) == 2
    err = capsys.readouterr().err
    assert "no-model" in err and err.count("\n") == 1
