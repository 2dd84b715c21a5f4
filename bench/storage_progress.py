"""Benchmark: a rep's progress query plus its charts over 5,000 stored sessions.

Run: .venv/bin/python bench/storage_progress.py   (target ≤ 0.3 s; noisy on a shared 2-core machine)
"""

import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from coach_app.analysis import METRIC_KEYS
from coach_app.core import DimensionScore, Finding, Scorecard, Transcript, Turn
from coach_app.reports.charts import behaviour_figure, figure_bytes, radar_figure, trend_figure
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.db import open_db, writing
from coach_app.storage.goals import add_goal
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import insert_findings, save_session

SESSIONS = 5000
RUNS = 5


def populate(db, rng: random.Random) -> None:
    """5,000 ten-turn sessions over ~3 years for one rep, scores drifting upwards, a few trainer corrections."""
    dimensions = load_rubric().dimensions
    turns = tuple(
        Turn("customer" if i % 2 == 0 else "rep", i * 5.0, i * 5.0 + 4.0, f"turn {i} about the late parcel")
        for i in range(10)
    )
    transcript = Transcript(turns)
    finding = Finding("open_question", 1, 5.0, 9.0, "what happened", "open question", "keep asking")
    first = datetime(2023, 6, 1, 9)
    with writing(db):
        for n in range(SESSIONS):
            level = 35 + 40 * n / SESSIONS
            dims = tuple(
                DimensionScore(d.key, d.label, max(0, min(100, round(rng.gauss(level, 12)))), d.weight, (0,), "")
                for d in dimensions
            )
            metrics = {m: rng.randint(0, 4) for m in METRIC_KEYS} | {"median_response_latency_s": rng.uniform(0.2, 1.4)}
            card = Scorecard(metrics, (finding,), dims, round(statistics.fmean(d.score for d in dims)), "bench")
            started = (first + timedelta(hours=5 * n)).isoformat()
            session_id = save_session(db, transcript, card, "Sam", f"session {n}", started_at=started)
            if n % 50 == 0:
                insert_findings(db, session_id, [finding], origin="trainer")
    add_goal(db, "Sam", "median pause ≥ 0.8 s")
    add_goal(db, "Sam", "2+ reflections per call")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "coach.db")
        start = time.perf_counter()
        populate(db, random.Random(7))
        print(f"stored {SESSIONS} sessions in {time.perf_counter() - start:.1f} s")
        query, charts, rendered, cpu = [], [], [], []
        for _ in range(RUNS):
            t0, c0 = time.perf_counter(), time.process_time()
            progress = rep_progress(db, "Sam", today=date(2026, 11, 26))
            t1 = time.perf_counter()
            figures = [trend_figure(progress), radar_figure(progress), behaviour_figure(progress)]
            t2, c2 = time.perf_counter(), time.process_time()
            for fig in figures:
                figure_bytes(fig, "png", dpi=80)
            t3 = time.perf_counter()
            query.append(t1 - t0)
            charts.append(t2 - t1)
            rendered.append(t3 - t2)
            cpu.append(c2 - c0)
        db.close()
    q, c, r, p = (statistics.median(x) * 1000 for x in (query, charts, rendered, cpu))
    print(
        f"progress query: {q:.0f} ms; building 3 chart Figures: {c:.0f} ms; query + charts: {q + c:.0f} ms wall, "
        f"{p:.0f} ms CPU (target ≤ 300 ms)"
    )
    print(f"rendering the 3 charts to PNG (what the app's canvas or a report then does): {r:.0f} ms")
    print("(medians of 5 runs; wall times are noisy: 2 cores shared with other work; CPU time is the steadier figure)")


if __name__ == "__main__":
    main()
