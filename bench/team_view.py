"""Benchmark: the team view (one row per rep, calibration) over 300 sessions of 20 reps.

Run: .venv/bin/python bench/team_view.py [--sessions 300] [--reps 20]   (target ≤ 0.5 s; noisy on a shared machine)
"""

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from coach_app.analysis import analyze
from coach_app.storage.corrections import reject_finding
from coach_app.storage.db import open_db, writing
from coach_app.storage.sessions import save_session
from coach_app.storage.team import team_view
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RUNS = 5


def populate(db, sessions: int, reps: int, rng: random.Random) -> None:
    """`sessions` real analysed sample calls spread over `reps` reps and 90 days, with a few findings marked wrong."""
    samples = [load_transcript(path) for path in sorted(SAMPLES.glob("*.json"))]
    scored = [(transcript, analyze(transcript)) for transcript in samples]
    start = datetime(2026, 1, 1, 9)
    with writing(db):
        for n in range(sessions):
            transcript, scorecard = rng.choice(scored)
            when = (start + timedelta(hours=rng.uniform(0, 90 * 24))).isoformat(timespec="seconds")
            save_session(db, transcript, scorecard, f"Rep {n % reps:02d}", f"call {n}", started_at=when)
    ids = [row[0] for row in db.execute("SELECT id FROM findings ORDER BY id")]
    for finding_id in rng.sample(ids, min(30, len(ids))):
        reject_finding(db, finding_id, author="Trainer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "coach.db")
        populate(db, args.sessions, args.reps, random.Random(7))
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            team = team_view(db)
            times.append(time.perf_counter() - started)
        db.close()
    print(f"team view over {args.sessions} sessions of {len(team.reps)} reps, {len(team.calibration)} finding kinds")
    print(
        f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms of {RUNS} runs "
        "(target <= 500 ms)"
    )


if __name__ == "__main__":
    main()
