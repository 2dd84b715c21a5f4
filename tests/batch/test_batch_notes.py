"""What to check about how a file was transcribed reaches the batch's output: `coach-app batch` prints each saved
file's notes (`--json`: its "notes" list) and lists them again in its summary; a file scored from bytes (on a
cluster) is named as the user knows it, not as its temporary copy."""

import json
import subprocess
from pathlib import Path

from batch_files import coach, copy_samples, use_test_model, write_short_call

from coach_app.batch.jobs import Scored, score_bytes
from coach_app.session import rubric_for


def test_batch_output_carries_each_files_notes(tmp_path):
    """A short recording (too little speech to tell voices apart) is saved with its note, in the JSON line and the
    summary; a transcript without notes has an empty list."""
    home = tmp_path / "home"
    use_test_model(home)
    short = write_short_call(tmp_path / "calls" / "short.wav")
    (transcript,) = copy_samples(tmp_path / "calls", 1)
    process = coach(
        "batch",
        str(tmp_path / "calls"),
        "--json",
        "--rep",
        "Sam",
        home=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    lines = {Path(line["path"]).name: line for line in map(json.loads, out.splitlines())}
    assert lines[short.name]["state"] == "done" and lines[short.name]["notes"]
    assert all(str(short.resolve()) in note for note in lines[short.name]["notes"])
    assert lines[transcript.name]["notes"] == []
    assert "Saved with notes" in err and lines[short.name]["notes"][0] in err


def test_a_file_sent_as_bytes_is_named_in_its_notes(tmp_path):
    """Scored from bytes in a temporary copy, the file's notes name it by the path it was sent as."""
    settings = use_test_model()
    short = write_short_call(tmp_path / "short.wav")
    outcome = score_bytes(1, str(short), short.read_bytes(), settings, rubric_for(settings))
    assert isinstance(outcome, Scored) and outcome.transcript.notes
    assert all(str(short) in note and "coach-batch-" not in note for note in outcome.transcript.notes)
