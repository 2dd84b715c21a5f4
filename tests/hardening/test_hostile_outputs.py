"""Output paths that are not regular files are refused, and a full disk or file-size limit leaves nothing behind."""

import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hostile_files import device, fifo, no_hang

from coach_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "birthday_gift_good.json"
COACH_APP = (sys.executable, "-m", "coach_app")  # this checkout's code, whatever is installed


@pytest.fixture
def saved_session(tmp_path, capsys) -> int:
    """A stored session with a one-second recording, saved through the CLI."""
    audio = tmp_path / "call.wav"
    sf.write(audio, np.zeros(16000, dtype=np.int16), 16000)
    assert main(["analyze", str(SAMPLE), "--save", "--rep", "Sam", "--audio", str(audio)]) == 0
    session_id = int(capsys.readouterr().out.strip())
    return session_id


OUTPUTS = {
    "export": lambda sid, out: ["export", str(sid), out],
    "report --html": lambda sid, out: ["report", str(sid), "--html", out],
    "report --pdf": lambda sid, out: ["report", str(sid), "--pdf", out],
    "sessions list --csv": lambda sid, out: ["sessions", "list", "--csv", out],
    "progress --html": lambda sid, out: ["progress", "--html", out],
    "progress --pdf": lambda sid, out: ["progress", "--pdf", out],
}
TARGETS = {
    "fifo": fifo,
    "device": device,
    "link to a file": lambda path: (
        (path.with_name("real.txt").write_text("keep me"), path.symlink_to("real.txt")) and path
    ),
    "folder": lambda path: (path.mkdir(), path)[1],
}


def _fingerprint(path: Path) -> tuple:
    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), info.st_ino, os.readlink(path) if path.is_symlink() else None


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_non_regular_output_is_refused_and_left_alone(saved_session, tmp_path, capsys, command, target):
    """Each output command refuses a FIFO, device, link or folder as target, exits 2 and leaves it as it was."""
    path = TARGETS[target](tmp_path / "out")
    before = _fingerprint(path)
    with no_hang():
        status = main(OUTPUTS[command](saved_session, str(path)))
    err = capsys.readouterr().err
    assert status == 2
    assert str(path) in err and "Traceback" not in err
    assert _fingerprint(path) == before
    if target == "link to a file":
        assert (tmp_path / "real.txt").read_text() == "keep me"
    assert not list(tmp_path.glob(".out*")), "a temporary file was left behind"


def test_transcribe_out_refuses_a_fifo(tmp_path, capsys):
    """`transcribe --out` a FIFO is refused up front (before minutes of transcription) with exit 2, and kept."""
    audio = tmp_path / "call.wav"
    sf.write(audio, np.zeros(16000, dtype=np.int16), 16000)
    out = fifo(tmp_path / "t.json")
    with no_hang():
        status = main(["transcribe", str(audio), "--out", str(out)])
    assert status == 2
    assert "named pipe" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(out).st_mode)


def test_regular_output_is_replaced_privately(saved_session, tmp_path):
    """A regular file target is replaced whole, readable only by the user."""
    out = tmp_path / "list.csv"
    out.write_text("old")
    assert main(["sessions", "list", "--csv", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("id,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _limited(limit_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return apply


def test_file_size_limit_during_analyze_save_audio(coach_home, tmp_path):
    """Past the file-size limit, `analyze --save --audio` names the file, leaves no partial copy, saves nothing."""
    big = tmp_path / "long.wav"
    sf.write(big, np.zeros(16000 * 60, dtype=np.int16), 16000)  # ~1.9 MB
    env = {"COACH_APP_HOME": str(coach_home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    subprocess.run([*COACH_APP, "sessions", "list"], env=env, check=True, capture_output=True, timeout=120)
    done = subprocess.run(
        [*COACH_APP, "analyze", str(SAMPLE), "--save", "--audio", str(big)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited(1 << 20),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "move it away" not in done.stderr
    assert "recordings" in done.stderr and str(big) in done.stderr and "limit" in done.stderr
    recordings = coach_home / "data" / "recordings"
    assert not recordings.exists() or not list(recordings.iterdir()), "a partial recording was left behind"
    listed = subprocess.run([*COACH_APP, "sessions", "list", "--json"], env=env, capture_output=True, timeout=120)
    assert listed.stdout.strip() == b"[]"


def test_file_size_limit_during_export(saved_session, coach_home, tmp_path):
    """An export cut short by the file-size limit names the bundle, advises, and leaves no partial file."""
    recording = next((coach_home / "data" / "recordings").iterdir())
    sf.write(recording, np.random.default_rng(1).integers(-999, 999, 16000 * 40, dtype=np.int16), 16000)
    out = tmp_path / "out" / "bundle.zip"
    out.parent.mkdir()
    env = {"COACH_APP_HOME": str(coach_home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [*COACH_APP, "export", str(saved_session), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited(256 << 10),
    )
    assert done.returncode == 2, done.stderr
    assert str(out) in done.stderr and "limit" in done.stderr and "Traceback" not in done.stderr
    assert list(out.parent.iterdir()) == [], "a partial bundle was left behind"


def test_full_disk_message_gives_free_space_advice(tmp_path):
    """A write that fails for lack of space says the disk is full and to free space, naming the file."""
    from coach_app.errors import FileError
    from coach_app.files import write_failure

    target = tmp_path / "report.pdf"
    message = str(write_failure(target, OSError(28, "No space left on device"), FileError))
    assert str(target) in message and "disk is full" in message and "free some space" in message
    assert shutil.disk_usage(tmp_path)  # the folder itself is fine


def test_full_disk_while_opening_the_library_gives_the_right_advice(coach_home):
    """A database that cannot grow (file-size limit, like a full disk) is not called damaged: free space instead."""
    env = {"COACH_APP_HOME": str(coach_home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the limit would cut a bytecode cache file short
    done = subprocess.run(
        [*COACH_APP, "sessions", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(8 << 10),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "move it away" not in done.stderr
    assert "free" in done.stderr and "space" in done.stderr and "coach.db" in done.stderr
