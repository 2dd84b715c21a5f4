"""Benchmark the utterance classifier: model load time and per-utterance time (mean, p95), typed and recognised.

Run: `.venv/bin/python bench/utterance_classifier.py [FILE.csv]` (default: data/annomi/listening-dev.csv).
Timings are noisy on a shared 2-core machine.
"""

import csv
import statistics
import sys
import time
from pathlib import Path

from coach_app.analysis.utterance_features import asr_normalise
from coach_app.analysis.utterances import classify, shipped_model

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "annomi" / "listening-dev.csv"


def per_utterance_ms(pairs: list[tuple[str, str]]) -> list[float]:
    times = []
    for text, prev in pairs:
        start = time.perf_counter()
        classify(text, prev)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    with path.open(newline="", encoding="utf-8") as handle:
        pairs = [(r["utterance_text"], r["prev_client_text"]) for r in csv.DictReader(handle)]
    start = time.perf_counter()
    shipped_model()
    print(f"model load: {(time.perf_counter() - start) * 1000:.0f} ms")
    for variant, variant_pairs in (
        ("typed", pairs),
        ("recognised", [(asr_normalise(t), asr_normalise(p)) for t, p in pairs]),
    ):
        times = per_utterance_ms(variant_pairs)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{variant:10} {len(times)} utterances: mean {statistics.fmean(times):.2f} ms, p95 {p95:.2f} ms, "
            f"max {max(times):.2f} ms per utterance"
        )


if __name__ == "__main__":
    main()
