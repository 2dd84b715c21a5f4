"""Benchmark: voice-delivery analysis of a 10-minute stereo call, and importing the real Korean model (folder, zip).

Run: .venv/bin/python bench/delivery_and_models.py   (figures are noisy on a shared 2-core machine)
"""

import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import speech  # noqa: E402 - the tests' espeak-ng dialogue builder
from model_trees import KOREAN_MODEL, zip_folder  # noqa: E402

from coach_app.audio import delivery  # noqa: E402
from coach_app.core import Transcript, Turn, Word  # noqa: E402

CALL_S = 600.0


def ten_minute_call(folder: Path) -> tuple[Path, Transcript]:
    """Tile the tests' short call to ten minutes (rep left, customer right), with evenly spread word timings."""
    tracks, truth = speech.place(speech.CALL)
    period = len(tracks["rep"]) / speech.SAMPLERATE
    copies = int(CALL_S // period)
    stereo = np.tile(np.stack([tracks["rep"], tracks["customer"]], axis=1), (copies, 1))
    path = folder / "ten-minutes.wav"
    sf.write(path, stereo, speech.SAMPLERATE, subtype="PCM_16")
    turns = []
    for copy in range(copies):
        for true in truth:
            start, end = true.start_s + copy * period, true.end_s + copy * period
            words = true.text.split()
            step = (end - start) / len(words)
            timed = tuple(Word(w, start + i * step, start + (i + 1) * step) for i, w in enumerate(words))
            turns.append(Turn(true.speaker, start, end, true.text, timed))
    return path, Transcript(tuple(turns))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, transcript = ten_minute_call(folder)
        duration_s = sf.info(path).duration
        started = time.perf_counter()
        findings = delivery.delivery_findings(path, transcript, rep_channel="left")
        elapsed = time.perf_counter() - started
        rep_turns = sum(t.speaker == "rep" for t in transcript.turns)
        kinds = Counter(finding.kind for finding in findings)
        print(f"delivery: {duration_s:.0f} s stereo call, {rep_turns} rep turns, findings {dict(kinds)}")
        print(f"delivery: {elapsed:.2f} s ({elapsed / duration_s:.4f}x real time)")

        os.environ["COACH_APP_HOME"] = str(folder / "home")
        from coach_app.transcription import models

        started = time.perf_counter()
        models.import_model(KOREAN_MODEL, name="from-folder")
        print(f"import folder (real Korean model, 252 MB): {time.perf_counter() - started:.2f} s")
        archive = zip_folder(KOREAN_MODEL, folder / "ko.zip", "from-zip")
        started = time.perf_counter()
        models.import_model(archive)
        print(f"import stored zip (same model, includes SHA-256): {time.perf_counter() - started:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (whole run): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
