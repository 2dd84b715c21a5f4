"""How the analysis hears calls it was never built on: per-label precision/recall and scores by grade.

Two sets of calls written and labelled turn by turn by helpers that never saw the detectors, their lexicons, models
or training data, so these figures measure generalisation; nothing may train on them. Set 1, `data/heldout_calls/`:
one writer, labelled by the project's guide. Set 2, `data/heldout_calls_2/`: seven more writers, five of them given
only one line per label. Run: `.venv/bin/python bench/heldout_calls.py [--set 1|2] [--json]`.
"""

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach_app.analysis import analyze  # noqa: E402
from coach_app.transcript_io import transcript_from_dict  # noqa: E402

SETS = {"1": REPO / "data" / "heldout_calls", "2": REPO / "data" / "heldout_calls_2"}

# Which finding kinds stand for each turn label of the labelling guide (data/service_turns/LABELLING.md).
LABEL_KINDS: dict[str, frozenset[str]] = {
    "open_question": frozenset({"open_question", "clarifying_question", "needs_question"}),
    "closed_question": frozenset({"closed_question"}),
    "reflection": frozenset({"reflection"}),
    "summary": frozenset({"summary"}),
    "empathy": frozenset({"empathy"}),
    "acknowledgement": frozenset({"acknowledgement", "appreciation"}),
    "apology": frozenset({"apology"}),
    "action_plan": frozenset({"action_plan"}),
    "agreement_check": frozenset({"agreement_check"}),
    "judgemental": frozenset({"judgemental"}),
    "dismissive": frozenset({"dismissive"}),
    "blame_shifting": frozenset({"blame_shifting"}),
    "rushing": frozenset({"rushing"}),
}
GRADES = ("strong", "mixed", "poor")


def load_call(path: Path) -> tuple[dict, list[set[str] | None]]:
    """The call as the app reads it, and each turn's gold labels (None for customer turns)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    gold = [set(t["labels"]) - {"none"} if t["speaker"] == "rep" else None for t in data["turns"]]
    return data, gold


def evaluate(paths: list[Path]) -> dict:
    """Turn-level counts per label and each call's overall score."""
    tp, fp, fn = Counter(), Counter(), Counter()
    scores: dict[str, list[tuple[str, int]]] = {g: [] for g in GRADES}
    for path in paths:
        data, gold = load_call(path)
        card = analyze(transcript_from_dict(data, source=str(path)))
        found: dict[int, set[str]] = {}
        for f in card.findings:
            for label, kinds in LABEL_KINDS.items():
                if f.kind in kinds:
                    found.setdefault(f.turn, set()).add(label)
        for index, labels in enumerate(gold):
            if labels is None:
                continue
            predicted = found.get(index, set())
            for label in LABEL_KINDS:
                hit, truth = label in predicted, label in labels
                tp[label] += hit and truth
                fp[label] += hit and not truth
                fn[label] += truth and not hit
        scores[data["grade"]].append((path.name, card.overall))
    return {"tp": tp, "fp": fp, "fn": fn, "scores": scores}


def per_label(result: dict) -> dict[str, dict[str, float]]:
    rows = {}
    for label in LABEL_KINDS:
        tp, fp, fn = result["tp"][label], result["fp"][label], result["fn"][label]
        rows[label] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "support": tp + fn,
        }
    return rows


def summary(result: dict) -> dict:
    rows = per_label(result)
    scored = [r for r in rows.values() if r["support"]]
    means = {g: statistics.mean(s for _, s in v) for g, v in result["scores"].items() if v}
    strong = [s for _, s in result["scores"]["strong"]]
    poor = [s for _, s in result["scores"]["poor"]]
    return {
        "labels": rows,
        "macro_precision": statistics.mean(r["precision"] for r in scored),
        "macro_recall": statistics.mean(r["recall"] for r in scored),
        "grade_means": means,
        "strong_minus_mixed": means.get("strong", 0) - means.get("mixed", 0),
        "mixed_minus_poor": means.get("mixed", 0) - means.get("poor", 0),
        "every_strong_above_every_poor": bool(strong and poor and min(strong) > max(poor)),
        "scores": result["scores"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), help="one set only (default: both)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = {}
    for name in [args.set] if args.set else sorted(SETS):
        typed = sorted(p for p in SETS[name].glob("*.json") if not p.stem.endswith("_asr"))
        asr = sorted(SETS[name].glob("*_asr.json"))
        report[f"set {name}"] = {
            f"typed ({len(typed)} calls)": summary(evaluate(typed)),
            f"recognised ({len(asr)} calls)": summary(evaluate(asr)),
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, forms in report.items():
        for form, s in forms.items():
            print(f"\n== {name}, {form} ==")
            print(f"{'label':<17}{'precision':>10}{'recall':>8}{'n':>5}")
            for label, r in s["labels"].items():
                print(f"{label:<17}{r['precision']:>10.2f}{r['recall']:>8.2f}{r['support']:>5}")
            print(f"macro precision {s['macro_precision']:.2f}, macro recall {s['macro_recall']:.2f}")
            means = ", ".join(f"{g} {m:.1f}" for g, m in s["grade_means"].items())
            print(f"overall score means: {means}")
            print(
                f"strong − mixed {s['strong_minus_mixed']:+.1f}, mixed − poor {s['mixed_minus_poor']:+.1f}, "
                f"every strong above every poor: {s['every_strong_above_every_poor']}"
            )
            for grade in GRADES:
                print(f"  {grade:<7}" + " ".join(f"{score:>3}" for _, score in s["scores"][grade]))


if __name__ == "__main__":
    main()
