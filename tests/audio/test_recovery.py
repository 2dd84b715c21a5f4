"""Interrupted recordings: kill -9 on a real recording process, then finding, repairing and keeping the file."""

import re
import signal
import subprocess
import sys
import time

import pytest
import soundfile as sf
from pulse_server import REP_DEVICE

from coach_app import paths
from coach_app.audio import recovery
from coach_app.audio.wavfile import CrashSafeWavWriter

CLI = [sys.executable, "-c", "from coach_app.cli import main; raise SystemExit(main())"]
ELAPSED = re.compile(r"recording\s+([\d.]+) s")


def start_recording(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "record", "--device", REP_DEVICE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def read_until_elapsed(process: subprocess.Popen, seconds: float) -> float:
    """Follow the recorder's meter lines (one per 0.25 s when not on a terminal) until `seconds` were written."""
    for line in process.stderr:
        match = ELAPSED.search(line)
        if match and float(match.group(1)) >= seconds:
            return float(match.group(1))
    raise AssertionError(f"the recorder ended early: {process.wait()} {process.stdout.read()}")


def test_kill_9_loses_at_most_half_a_second_and_recovery_keeps_it(pulse):
    """SIGKILL mid-recording leaves a playable partial WAV; recovery repairs it and keeps it as a recording."""
    with start_recording("--seconds", "60") as process:  # leaving the block waits and closes the pipes
        assert process.stderr.readline().startswith("Recording to ")
        started_at = time.monotonic()
        reported_s = read_until_elapsed(process, 2.0)
        process.send_signal(signal.SIGKILL)
        wall_s = time.monotonic() - started_at
    [partial] = paths.recordings_dir().glob("*.partial.wav")

    as_left = sf.info(partial)  # readable as it is, before any repair
    assert as_left.samplerate == 16000
    assert as_left.frames / 16000 >= reported_s - 0.5

    [found] = recovery.find_partial_recordings()
    assert found.path == partial
    assert found.duration_s >= as_left.frames / 16000 and found.duration_s >= reported_s - 0.005  # meter rounds
    kept = recovery.recover(found)
    assert kept == partial.with_name(partial.name.replace(".partial.wav", ".wav")) and not partial.exists()
    assert sf.info(kept).frames / 16000 == pytest.approx(found.duration_s)
    assert recovery.find_partial_recordings() == []
    print(
        f"kill -9 after the meter showed {reported_s:.2f} s: header said "
        f"{as_left.frames / 16000:.2f} s, repaired file has {found.duration_s:.2f} s; {wall_s:.2f} s of wall-clock "
        "time from start to kill (it includes the device's start-up)"
    )


def test_ctrl_c_stops_cleanly(pulse, tmp_path):
    """SIGINT (Ctrl-C) finishes the file under its final name and prints its path on stdout."""
    out = tmp_path / "take.wav"
    process = start_recording("--out", str(out))
    read_until_elapsed(process, 0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert stdout.strip() == str(out) and "Recording stopped:" in stderr
    assert sf.info(out).duration >= 0.5 and not (tmp_path / "take.partial.wav").exists()


def test_recovery_skips_live_and_unrepairable_files_and_never_deletes(tmp_path):
    """A recording still being written and a damaged leftover are both left in place; a stale one is found."""
    live = CrashSafeWavWriter(tmp_path / "live.partial.wav", 1, 16000)
    (tmp_path / "junk.partial.wav").write_bytes(b"RIFF")
    stale = tmp_path / "old.partial.wav"
    writer = CrashSafeWavWriter(stale, 1, 16000, sync_interval_s=3600)
    writer.close()
    with open(stale, "ab") as file:
        file.write(b"\x10\x00" * 16000)

    found = recovery.find_partial_recordings(tmp_path)

    assert [(p.path.name, p.duration_s) for p in found] == [("old.partial.wav", 1.0)]
    live.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.partial.wav", "live.partial.wav", "old.partial.wav"]


def test_recovered_name_never_overwrites_an_existing_recording(tmp_path):
    """If `name.wav` already exists the recovered file gets a new name instead."""
    (tmp_path / "take.wav").write_bytes(b"earlier recording")
    CrashSafeWavWriter(tmp_path / "take.partial.wav", 1, 16000).close()
    [found] = recovery.find_partial_recordings(tmp_path)
    assert recovery.recover(found).name == "take-recovered.wav"
    assert (tmp_path / "take.wav").read_bytes() == b"earlier recording"


def test_cli_recover_lists_and_keeps_partials(tmp_path):
    """`coach-app record --recover FOLDER` prints each kept file on stdout."""
    writer = CrashSafeWavWriter(tmp_path / "call.partial.wav", 2, 16000, sync_interval_s=3600)
    writer.close()
    with open(tmp_path / "call.partial.wav", "ab") as file:
        file.write(b"\x00\x01" * 32000)
    done = subprocess.run([*CLI, "record", "--recover", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "call.wav")
    assert "Recovered 1.0 s from call.partial.wav" in done.stderr
    assert sf.info(tmp_path / "call.wav").frames == 16000
    again = subprocess.run([*CLI, "record", "--recover", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert again.stdout == "" and "No interrupted recordings found." in again.stderr


def test_cli_lists_devices_and_records_a_set_length(pulse, tmp_path):
    """`--list-devices` shows the test microphones; `--seconds` records exactly that long and exits 0."""
    listing = subprocess.run([*CLI, "record", "--list-devices"], capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and REP_DEVICE in listing.stdout and "(default)" in listing.stdout
    out = tmp_path / "short.wav"
    done = subprocess.run(
        [*CLI, "record", "--device", REP_DEVICE, "--seconds", "0.5", "--channels", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    info = sf.info(out)
    assert (info.frames, info.channels) == (8000, 2)
    bad = subprocess.run(
        [*CLI, "record", "--device", "97", "--out", str(tmp_path / "new.wav")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "no microphone '97'" in bad.stderr and "Traceback" not in bad.stderr
