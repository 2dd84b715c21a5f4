"""How much audio a `kill -9` costs: record from a PulseAudio null sink, SIGKILL at random moments, measure the file.

Run: `.venv/bin/python bench/kill_recording.py [TRIALS]` (needs pulseaudio, as installed by `setup.sh --test`).
For each trial it prints the meter's last reading before the kill, what the file's header said as left (what a
player sees without repair), and what recovery kept. The wall clock minus the kept audio estimates the loss: it
also counts the device's start-up, and the moment the recorder's first line is read can lag (a negative value).
Timings are noisy on a shared machine.
"""

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pulse_server import REP_DEVICE, start_pulse_server  # noqa: E402

from coach_app.audio import recovery  # noqa: E402

METER = re.compile(r"recording\s+([\d.]+) s")


def trial(env: dict[str, str], home: Path, kill_after_s: float) -> tuple[float, float, float, float]:
    """(meter at kill, header as left, recovered, wall clock from start to kill), all in seconds."""
    command = [sys.executable, "-c", "from coach_app.cli import main; raise SystemExit(main())", "record"]
    with subprocess.Popen(
        [*command, "--device", REP_DEVICE], env={**env, "COACH_APP_HOME": str(home)}, stderr=subprocess.PIPE, text=True
    ) as process:
        process.stderr.readline()  # "Recording to ..."
        started = time.monotonic()
        meter_s = 0.0
        for line in process.stderr:
            if match := METER.search(line):
                meter_s = float(match.group(1))
            if time.monotonic() - started >= kill_after_s:
                break
        process.send_signal(signal.SIGKILL)
        wall_s = time.monotonic() - started
    [partial] = (home / "data" / "recordings").glob("*.partial.wav")
    header_s = sf.info(partial).frames / 16000
    [found] = recovery.find_partial_recordings(partial.parent)
    return meter_s, header_s, found.duration_s, wall_s


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_pulse_server(Path(tmp) / "pulse")
        try:
            env = {**os.environ, **server.env}
            print(f"{'kill at':>8} {'meter':>7} {'header':>7} {'kept':>7} {'header lag':>10} {'wall - kept':>11}")
            lags, gaps = [], []
            for number in range(trials):
                meter_s, header_s, kept_s, wall_s = trial(env, Path(tmp) / f"home{number}", rng.uniform(1.0, 4.0))
                lags.append(kept_s - header_s)
                gaps.append(wall_s - kept_s)
                print(f"{wall_s:8.2f} {meter_s:7.2f} {header_s:7.2f} {kept_s:7.2f} {lags[-1]:10.3f} {gaps[-1]:11.3f}")
            print(f"max header lag {max(lags):.3f} s (audio a player misses before repair; recovery restores it)")
            print(f"max wall-clock minus kept {max(gaps):.3f} s (estimated audio lost, device start-up included)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
