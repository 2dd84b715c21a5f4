"""`coach-app analyze` through the real entry point: readable scorecard, JSON contract, clean errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "telecom_complaint_poor_asr.json"
COACH_APP = Path(sys.executable).parent / "coach-app"


def test_json_output_through_installed_command():
    """The installed console script prints exactly metrics, findings and scores."""
    result = subprocess.run([str(COACH_APP), "analyze", str(SAMPLE), "--json"], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"metrics", "findings", "scores", "breakdown"}
    assert data["metrics"]["interruptions"] == 2
    assert 0 <= data["scores"]["overall"] <= 100 and "empathy" in data["scores"]
    assert any(f["kind"] == "blame_shifting" for f in data["findings"])


def test_readable_scorecard(capsys):
    """The default output shows the overall score, dimensions with timed, quoted evidence, tips and metrics."""
    assert main(["analyze", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Overall: ")
    assert "Respect and patience: " in out
    assert "00:" in out and "Why: " in out and "Tip: " in out
    assert "Key metrics:" in out and "Interruptions: 2" in out


def test_custom_rubric_changes_scores(tmp_path, capsys):
    """--rubric uses the given file."""
    from coach_app.paths import resource

    rubric = tmp_path / "strict.toml"
    rubric.write_text(
        resource("rubrics", "default.toml").read_text().replace("interruption = -14", "interruption = -60")
    )
    main(["analyze", str(SAMPLE), "--json"])
    default = json.loads(capsys.readouterr().out)["scores"]["turn_taking"]
    main(["analyze", str(SAMPLE), "--json", "--rubric", str(rubric)])
    assert json.loads(capsys.readouterr().out)["scores"]["turn_taking"] < default


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON"),
        ('{"turns": []}', "empty"),
        ('{"turns": [{"speaker": "bot", "start": 0, "end": 1, "text": "hi"}]}', "unknown speaker"),
        ('{"turns": [{"speaker": "rep", "start": 2, "end": 1, "text": "hi"}]}', "before start"),
    ],
)
def test_bad_transcripts_exit_2_with_one_line(tmp_path, content, message):
    """Bad input exits 2 with one line on stderr naming the problem, and no traceback."""
    path = tmp_path / "t.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = subprocess.run([str(COACH_APP), "analyze", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_rubric_exits_2(tmp_path, capsys):
    """A broken rubric is reported in one line naming the file."""
    rubric = tmp_path / "r.toml"
    rubric.write_text("version = 1\n")
    assert main(["analyze", str(SAMPLE), "--rubric", str(rubric)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(rubric) in err[0]


def test_long_evidence_lists_are_shortened(tmp_path, capsys):
    """A dimension with many findings shows the first few and says how many more --json lists."""
    turns = []
    for i in range(12):
        start = i * 10.0
        turns.append(
            {"speaker": "customer", "start": start, "end": start + 6, "text": "and then the engineer never came"}
        )
        turns.append(
            {"speaker": "rep", "start": start + 3, "end": start + 8, "text": "Okay, what's the account number?"}
        )
    path = tmp_path / "interrupting.json"
    path.write_text(json.dumps({"turns": turns}), encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "… and 4 more (all are listed with --json)" in out
