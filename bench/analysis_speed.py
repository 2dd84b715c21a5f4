"""Benchmark: analyse a one-hour, 1,000-turn role-play, and time analyze_turn and the utterance classifier per turn.

Run: .venv/bin/python bench/analysis_speed.py   (figures are noisy on a shared 2-core machine)
"""

import json
import os
import statistics
import time
from pathlib import Path

from coach_app.analysis import analyze, analyze_turn
from coach_app.analysis.behaviour import shipped_model
from coach_app.analysis.context import clear_caches
from coach_app.analysis.encoder import shipped_encoder
from coach_app.analysis.utterances import classify
from coach_app.core import Transcript, Turn, Word
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
TURNS = 1000
HOUR_S = 3600.0


def hour_long_transcript() -> Transcript:
    """Repeat the sample calls' turns, re-timed to fill an hour, half with word timings; each text is made unique
    (a trailing 'call N') so no turn is answered from a cache."""
    source = [t for path in sorted(SAMPLES.glob("*.json")) for t in load_transcript(path).turns]
    slot = HOUR_S / TURNS
    turns = []
    for i in range(TURNS):
        turn = source[i % len(source)]
        text = f"{turn.text} call {i}"
        start = i * slot
        step = (slot * 0.85) / len(text.split())
        words = tuple(Word(w, start + k * step, start + (k + 0.9) * step) for k, w in enumerate(text.split()))
        turns.append(Turn(turn.speaker, start, start + slot * 0.85, text, words if i % 2 else ()))
    return Transcript(tuple(turns))


def cold() -> None:
    """Forget every cached turn text, label, sentence embedding and behaviour-model pair, so the analysis starts
    cold."""
    clear_caches()
    shipped_encoder().cache.clear()
    shipped_model().cache.clear()


def main() -> None:
    transcript = hour_long_transcript()
    analyze(transcript)  # warm-up: loads lexicons, rubric and the classifier once
    runs, cpu = [], []
    for _ in range(3):
        cold()
        start, start_cpu = time.perf_counter(), time.process_time()
        card = analyze(transcript)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    cold()
    per_turn = []
    rep_indices = [i for i, t in enumerate(transcript.turns) if t.speaker == "rep"]
    for index in rep_indices:  # in order, as live feedback analyses each turn when it completes
        start = time.perf_counter()
        analyze_turn(transcript, index)
        per_turn.append(time.perf_counter() - start)
    rep_texts = [t.text for t in transcript.turns if t.speaker == "rep"][:300]
    start = time.perf_counter()
    for text in rep_texts:
        classify(text, "my order never arrived")
    classify_ms = (time.perf_counter() - start) / len(rep_texts) * 1000
    figures = {
        "turns": TURNS,
        "duration_s": HOUR_S,
        "findings": len(card.findings),
        "analyze_s_best_of_3": round(min(runs), 3),
        "analyze_cpu_s_best_of_3": round(min(cpu), 3),
        "analyze_turn_ms_median_rep_turn": round(statistics.median(per_turn) * 1000, 2),
        "analyze_turn_ms_max": round(max(per_turn) * 1000, 2),
        "classify_ms_per_utterance": round(classify_ms, 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(figures, indent=2))
    print("targets: analyze ≤ 10 s, a rep turn ≤ 25 ms median; timings are noisy on this shared 2-core machine")


if __name__ == "__main__":
    main()
