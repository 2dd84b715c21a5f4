"""`coach-app analyze AUDIO` transcribes a recording and finds the interruption built into it."""

import json

from coach_app.cli import main
from coach_app.storage.db import open_db
from coach_app.storage.sessions import audio_file, get_summary


def test_analyze_a_stereo_recording_finds_the_interruption(call, model_path, capsys):
    """The rep talks over the customer once (0.9 s): the analysis of the audio reports exactly that interruption."""
    code = main(["analyze", str(call.stereo_path), "--model", str(model_path), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["metrics"]["interruptions"] == 1
    interruption = next(f for f in result["findings"] if f["kind"] == "interruption")
    rep_cuts_in = next(t for t in call.turns if t.speaker == "rep" and t.start_s > 10)
    assert abs(interruption["start_s"] - rep_cuts_in.start_s) <= 0.25


def test_analyze_audio_can_save_the_session_with_its_recording(greeting, model_path, capsys):
    """With --save, the transcribed recording is stored as a session that keeps the audio file."""
    code = main(["analyze", str(greeting.stereo_path), "--model", str(model_path), "--save", "--rep", "Sam", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    with open_db() as db:
        summary = get_summary(db, json.loads(captured.out)["session_id"])
        assert audio_file(db, summary.audio_path).read_bytes() == greeting.stereo_path.read_bytes()
