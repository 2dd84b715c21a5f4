"""Benchmark the behaviour model inside the analysis: held-out accuracy, live and batch speed, load time, size, memory.

Run: `.venv/bin/python bench/behaviour_model.py` (after training/asr_form.py; reads data/service_turns and its
split.json). Accuracy: every held-out conversation is analysed (typed, then in speech-recognition form) and each
rep turn's finding kinds, mapped to the corpus labels, are compared with its labels. Timings are noisy on a busy
shared 2-core machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))

from service_corpus import conversations, load_rows, read_split, transcript  # noqa: E402

from coach_app.analysis import TurnByTurn, analyze, analyze_turn, model_findings  # noqa: E402
from coach_app.analysis.behaviour import MODEL_DIR, shipped_model  # noqa: E402
from coach_app.analysis.behaviour_features import KIND_LABEL, LABELS  # noqa: E402
from coach_app.analysis.context import Conversation, clear_caches  # noqa: E402
from coach_app.analysis.encoder import ENCODER_DIR, shipped_encoder  # noqa: E402
from coach_app.analysis.model_findings import loaded_models  # noqa: E402
from coach_app.core import Transcript  # noqa: E402
from coach_app.paths import resource  # noqa: E402
from coach_app.scoring.rubric import load_rubric  # noqa: E402


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def analysed_labels(rows: list, form: str) -> list[set[str]]:
    """One conversation analysed whole: each rep turn's finding kinds mapped to corpus labels (`none` if none)."""
    call, rep_indices = transcript(rows, form)
    card = analyze(call)
    return [
        {KIND_LABEL[f.kind] for f in card.findings if f.turn == index and f.kind in KIND_LABEL} or {"none"}
        for index in rep_indices
    ]


def accuracy(calls: dict, form: str) -> None:
    """Per-label precision and recall of the analysis's findings against the held-out labels, and macro figures."""
    gold, predicted = [], []
    for rows in calls.values():
        predicted += analysed_labels(rows, form)
        gold += [set(row.labels) for row in rows]
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


def _cold() -> None:
    shipped_encoder().cache.clear()
    shipped_model().cache.clear()
    clear_caches()


def _timed(action) -> tuple[float, float]:
    """Wall and CPU seconds of `action()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def live_latency(calls: dict) -> None:
    """Every rep turn as it arrives, each turn's text new to the encoder: by `analyze_turn` (nudges: the rep turn
    and the customer turn before it encoded then), and by `TurnByTurn` (practice calls: the customer turn was
    encoded when it arrived, so only the rep turn is); wall and CPU milliseconds."""
    stateless, growing = [], []
    _cold()
    for rows in calls.values():
        call, rep_indices = transcript(rows, "asr")
        for index in rep_indices:
            stateless.append(_timed(lambda call=call, index=index: analyze_turn(call, index)))
    _cold()
    for rows in calls.values():
        call, _ = transcript(rows, "asr")
        live = TurnByTurn()
        for turn in call.turns:
            timed = _timed(lambda live=live, turn=turn: live.add(turn))
            if turn.speaker == "rep":
                growing.append(timed)
    print(f"\nlive rep turns ({len(stateless)}), load {os.getloadavg()[0]:.1f}:")
    for name, times in (("analyze_turn", stateless), ("TurnByTurn.add", growing)):
        wall, cpu = [t[0] * 1000 for t in times], [t[1] * 1000 for t in times]
        print(
            f"  {name}: median {statistics.median(wall):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
            f"p95 {statistics.quantiles(wall, n=20)[-1]:.1f} ms"
        )


def joined(calls: dict, seconds: float, turns_max: int) -> Transcript:
    """Held-out calls end to end (typed form), up to `seconds` long or `turns_max` turns."""
    turns = []
    clock = 0.0
    for rows in calls.values():
        call, _ = transcript(rows, "typed")
        for turn in call.turns:
            turns.append(type(turn)(turn.speaker, turn.start_s + clock, turn.end_s + clock, turn.text))
        clock = turns[-1].end_s + 1.0
        if len(turns) >= turns_max or clock >= seconds:
            break
    return Transcript(tuple(turns[:turns_max]))


def long_transcript(calls: dict) -> None:
    """A one-hour, 1,000-turn transcript made of held-out calls end to end, analysed cold; then where the time goes:
    encoding its turns, and the rest of the analysis (rules, classifiers, features, coaching, scoring)."""
    long_call = joined(calls, float("inf"), 1000)
    _cold()
    wall, cpu = _timed(lambda: analyze(long_call))
    minutes = long_call.turns[-1].end_s / 60
    print(f"1,000-turn transcript ({minutes:.0f} min): {wall:.1f} s ({cpu:.1f} s CPU), load {os.getloadavg()[0]:.1f}")
    _cold()
    conv = Conversation(long_call, load_rubric().thresholds)
    encoding = _timed(lambda: model_findings.prepare(conv))
    rest = _timed(lambda: analyze(long_call))
    print(
        f"  of which encoding {encoding[0]:.1f} s ({encoding[1]:.1f} s CPU), the rest {rest[0]:.1f} s "
        f"({rest[1]:.1f} s CPU)"
    )


def after_stop(calls: dict) -> None:
    """A 10-minute call whose turns were analysed as they arrived (as practice calls are, by `TurnByTurn`): the
    scorecard's time after Stop; and the same call analysed cold (a recording scored only after Stop)."""
    call = joined(calls, 600.0, 10**6)
    _cold()
    live = TurnByTurn()
    for turn in call.turns:
        live.add(turn)
    wall, cpu = _timed(lambda: analyze(call))
    _cold()
    cold_wall, cold_cpu = _timed(lambda: analyze(call))
    print(
        f"10-minute call ({len(call.turns)} turns), scorecard after Stop: {wall:.2f} s ({cpu:.2f} s CPU) with its "
        f"turns analysed as they arrived, {cold_wall:.2f} s ({cold_cpu:.2f} s CPU) cold; load "
        f"{os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    rss_before = _rss_mb()
    start = time.perf_counter()
    models = loaded_models()
    load_s = time.perf_counter() - start
    if models is None:
        raise SystemExit("the behaviour model or the encoder cannot be loaded: see coach-app analyze's notice")
    encoder_mb = sum(p.stat().st_size for p in resource("models", ENCODER_DIR).iterdir()) / 1e6
    model_mb = sum(p.stat().st_size for p in resource("models", MODEL_DIR).iterdir()) / 1e6
    print(
        f"model load (sentence encoder + fine-tuned behaviour encoder): {load_s:.2f} s; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"sentence encoder files {encoder_mb:.1f} MB, behaviour model files {model_mb:.1f} MB")
    print(f"RSS after load {_rss_mb():.0f} MB (before {rss_before:.0f} MB)")
    rows = load_rows()
    held_out = read_split()
    calls = {conv: r for conv, r in conversations(rows).items() if conv in held_out}
    for form in ("typed", "asr"):
        accuracy(calls, form)
    live_latency(calls)
    after_stop(calls)
    long_transcript(calls)


if __name__ == "__main__":
    main()
