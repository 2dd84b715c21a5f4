"""Benchmark: save (and load) a one-hour session with word timings; database size per hour of conversation.

Run: .venv/bin/python bench/storage_save.py   (target: save ≤ 0.2 s; figures are noisy on a shared 2-core machine)
"""

import statistics
import tempfile
import time
from pathlib import Path

from coach_app.analysis import analyze
from coach_app.core import Transcript, Turn, Word
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, save_session
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
TURNS = 1000
HOUR_S = 3600.0
RUNS = 7


def hour_long_transcript(max_words: int | None = None) -> Transcript:
    """The sample calls' turns repeated and re-timed to fill an hour, every turn with word timings.

    `max_words` trims each turn: 10 gives ~160 words per minute, a real conversation's pace; None keeps the
    samples' long turns (~400 words per minute, a worst case).
    """
    source = [t for path in sorted(SAMPLES.glob("*.json")) for t in load_transcript(path).turns]
    slot = HOUR_S / TURNS
    turns = []
    for i in range(TURNS):
        text = " ".join(f"{source[i % len(source)].text} call {i}".split()[-(max_words or 10**6) :])
        tokens = text.split()
        start = i * slot
        step = slot * 0.85 / len(tokens)
        words = tuple(Word(w, start + k * step, start + (k + 0.9) * step, 0.93) for k, w in enumerate(tokens))
        turns.append(Turn(source[i % len(source)].speaker, start, start + slot * 0.85, text, words))
    return Transcript(tuple(turns))


def measure(transcript: Transcript) -> None:
    words = sum(len(t.words) for t in transcript.turns)
    scorecard = analyze(transcript)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "coach.db"
        db = open_db(path)
        save_session(db, transcript, scorecard, "Warm Up", "warm-up")
        db.execute("DELETE FROM sessions")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
        empty_bytes = path.stat().st_size
        saves, save_cpu, loads = [], [], []
        for i in range(RUNS):
            start, cpu = time.perf_counter(), time.process_time()
            session_id = save_session(db, transcript, scorecard, "Sam", f"hour {i}")
            saves.append(time.perf_counter() - start)
            save_cpu.append(time.process_time() - cpu)
            start = time.perf_counter()
            load_session(db, session_id)
            loads.append(time.perf_counter() - start)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        per_hour = (path.stat().st_size - empty_bytes) / RUNS
        db.close()
    print(f"one-hour session: {TURNS} turns, {words} words with timings, {len(scorecard.findings)} findings")
    print(
        f"  save: median {statistics.median(saves) * 1000:.0f} ms wall, {statistics.median(save_cpu) * 1000:.0f} ms "
        f"CPU; max {max(saves) * 1000:.0f} ms wall  (target ≤ 200 ms)"
    )
    print(f"  load: median {statistics.median(loads) * 1000:.0f} ms")
    print(f"  database size per hour of conversation: {per_hour / 1024**2:.2f} MB (turns, words, FTS, findings)")


def main() -> None:
    print("Realistic pace (~160 words per minute):")
    measure(hour_long_transcript(max_words=10))
    print("Worst case (the samples' long turns, ~400 words per minute):")
    measure(hour_long_transcript())
    print("(timings are noisy: 2 cores shared with other work; CPU time is the steadier figure)")


if __name__ == "__main__":
    main()
