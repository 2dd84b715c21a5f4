"""`coach-app transcribe` writes a valid transcript, shows progress, and says how to get a model when none is found."""

import signal
import subprocess
import sys

from coach_app.cli import main
from coach_app.transcript_io import load_transcript


def test_transcribe_writes_a_transcript(greeting, model_path, tmp_path, capsys):
    """Transcribing a stereo file with the rep on the right writes the turns with the speakers that way round."""
    out = tmp_path / "call.json"
    code = main(
        [
            "transcribe",
            str(greeting.stereo_path),
            "--model",
            str(model_path),
            "--rep-channel",
            "right",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    transcript = load_transcript(out)
    assert [t.speaker for t in transcript.turns] == ["rep", "customer"]
    assert all(t.words for t in transcript.turns)
    assert "Wrote 2 turns" in captured.out and "100%" in captured.err


def test_no_model_installed_says_how_to_get_one(greeting, tmp_path, monkeypatch, capsys):
    """Without --model and with no model anywhere, the error names the install and import commands."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("VOSK_MODEL_PATH", raising=False)
    code = main(["transcribe", str(greeting.stereo_path), "--out", str(tmp_path / "t.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert "coach-app models install vosk-model-small-en-us-0.15" in err and "coach-app models import FILE.zip" in err
    assert not (tmp_path / "t.json").exists()


def test_ctrl_c_stops_cleanly(call, model_path, tmp_path):
    """Ctrl-C (SIGINT) during a transcription ends the command with status 130, a message and no output file."""
    out = tmp_path / "call.json"
    command = [sys.executable, "-m", "coach_app", "transcribe", str(call.stereo_path), "--model", str(model_path)]
    process = subprocess.Popen(
        [*command, "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        bufsize=0,
        # a test run started in the background has SIGINT ignored, which children inherit; restore it as in a terminal
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = ""
    while "Transcribing" not in seen:  # the progress line shows once audio is being recognised
        char = process.stderr.read(1)
        assert char, f"coach-app ended before transcribing: {seen}"
        seen += char
    process.send_signal(signal.SIGINT)
    seen += process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert "interrupted" in seen and not out.exists()
