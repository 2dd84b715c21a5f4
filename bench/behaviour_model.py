"""Benchmark the behaviour model inside the analysis: held-out accuracy, live and batch speed, load time, size, memory.

Run: `.venv/bin/python bench/behaviour_model.py` (after training/asr_form.py; reads data/service_turns and its
split.json). Accuracy: every held-out conversation is analysed (typed, then in speech-recognition form) and each
rep turn's finding kinds, mapped to the corpus labels, are compared with its labels. Timings are noisy on a busy
shared 2-core machine.
"""

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))

from service_corpus import conversations, load_rows, read_split, transcript  # noqa: E402

from coach_app.analysis import analyze, analyze_turn  # noqa: E402
from coach_app.analysis.behaviour import MODEL_DIR, shipped_model  # noqa: E402
from coach_app.analysis.behaviour_features import KIND_LABEL, LABELS  # noqa: E402
from coach_app.analysis.context import clear_caches  # noqa: E402
from coach_app.analysis.encoder import ENCODER_DIR, shipped_encoder  # noqa: E402
from coach_app.analysis.model_findings import loaded_models  # noqa: E402
from coach_app.core import Transcript  # noqa: E402
from coach_app.paths import resource  # noqa: E402


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def accuracy(calls: dict, form: str) -> None:
    """Per-label precision and recall of the analysis's findings against the held-out labels, and macro figures."""
    gold, predicted = [], []
    for rows in calls.values():
        call, rep_indices = transcript(rows, form)
        card = analyze(call)
        for row, index in zip(rows, rep_indices, strict=True):
            labels = {KIND_LABEL[f.kind] for f in card.findings if f.turn == index and f.kind in KIND_LABEL}
            predicted.append(labels or {"none"})
            gold.append(set(row.labels))
    print(f"\n== held-out split, {form} form: {len(gold)} rep turns in {len(calls)} conversations")
    print(f"{'label':16} {'precision':>9} {'recall':>7} {'support':>8}")
    precisions, recalls = [], []
    for label in (*LABELS, "none"):
        tp = sum(label in g and label in p for g, p in zip(gold, predicted, strict=True))
        support = sum(label in g for g in gold)
        said = sum(label in p for p in predicted)
        precision, recall = tp / max(said, 1), tp / max(support, 1)
        precisions.append(precision)
        recalls.append(recall)
        print(f"{label:16} {precision:9.3f} {recall:7.3f} {support:8d}")
    print(
        f"macro precision {statistics.fmean(precisions):.3f}, macro recall {statistics.fmean(recalls):.3f}, "
        f"lowest recall {min(recalls):.3f}"
    )


def live_latency(calls: dict) -> None:
    """analyze_turn on every rep turn as it arrives, each turn's text new to the encoder (worst case)."""
    times = []
    for rows in calls.values():
        call, rep_indices = transcript(rows, "asr")
        for index in rep_indices:
            start = time.perf_counter()
            analyze_turn(call, index)
            times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"\nlive analyze_turn, {len(times)} rep turns: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")


def long_transcript(calls: dict) -> None:
    """A one-hour, 1,000-turn transcript made of held-out calls end to end, analysed cold."""
    turns = []
    clock = 0.0
    for rows in calls.values():
        call, _ = transcript(rows, "typed")
        for turn in call.turns:
            turns.append(type(turn)(turn.speaker, turn.start_s + clock, turn.end_s + clock, turn.text))
        clock = turns[-1].end_s + 1.0
        if len(turns) >= 1000:
            break
    long_call = Transcript(tuple(turns[:1000]))
    shipped_encoder()._cache.clear()
    shipped_model()._pooled.clear()
    clear_caches()
    start = time.perf_counter()
    analyze(long_call)
    print(f"1,000-turn transcript ({long_call.turns[-1].end_s / 60:.0f} min): {time.perf_counter() - start:.1f} s")


def main() -> None:
    rss_before = _rss_mb()
    start = time.perf_counter()
    models = loaded_models()
    load_s = time.perf_counter() - start
    if models is None:
        raise SystemExit("the behaviour model or the encoder cannot be loaded: see coach-app analyze's notice")
    encoder_mb = sum(p.stat().st_size for p in resource("models", ENCODER_DIR).iterdir()) / 1e6
    model_mb = sum(p.stat().st_size for p in resource("models", MODEL_DIR).iterdir()) / 1e6
    print(f"model load (sentence encoder + fine-tuned behaviour encoder): {load_s:.2f} s")
    print(f"sentence encoder files {encoder_mb:.1f} MB, behaviour model files {model_mb:.1f} MB")
    print(f"RSS after load {_rss_mb():.0f} MB (before {rss_before:.0f} MB)")
    rows = load_rows()
    held_out = read_split()
    calls = {conv: r for conv, r in conversations(rows).items() if conv in held_out}
    for form in ("typed", "asr"):
        accuracy(calls, form)
    shipped_encoder()._cache.clear()
    shipped_model()._pooled.clear()
    live_latency(calls)
    long_transcript(calls)


if __name__ == "__main__":
    main()
