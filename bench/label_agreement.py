"""How far two human labellers agree on the held-out rep turns, beside how far the shipped analysis agrees with each.

Run: `.venv/bin/python bench/label_agreement.py` (after training/asr_form.py). Reads the corpus and
`data/service_turns/second_labels.jsonl` (a second labeller's blind labels for the turns of some held-out calls).
Each comparison takes its first labels as the reference and prints, per label, the reference's support, the other
side's precision and recall, and Cohen's kappa; then the macro precision and recall over the 14 labels and the share
of turns whose label sets are identical. The analysis reads each call whole, typed, as `bench/behaviour_model.py`
scores it.
"""

import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))

from behaviour_model import analysed_labels  # noqa: E402
from service_corpus import CORPUS, conversations, load_rows  # noqa: E402

from coach_app.analysis.behaviour_features import LABELS  # noqa: E402

SECOND_LABELS = CORPUS / "second_labels.jsonl"


def read_second_labels(path: Path = SECOND_LABELS) -> dict[tuple[str, int], set[str]]:
    """(conversation, turn) → the second labeller's labels."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(line["conv"], line["turn"]): set(line["labels"]) for line in lines}


def kappa(reference: list[bool], other: list[bool]) -> float:
    """Cohen's kappa of two yes/no labellings of the same turns (1.0 when both say the same and chance could not)."""
    n = len(reference)
    observed = sum(r == o for r, o in zip(reference, other, strict=True)) / n
    yes_r, yes_o = sum(reference) / n, sum(other) / n
    chance = yes_r * yes_o + (1 - yes_r) * (1 - yes_o)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def compare(title: str, reference: list[set[str]], other: list[set[str]]) -> None:
    """Per-label support, precision, recall and kappa of `other` against `reference`; macro figures; exact matches."""
    print(f"\n== {title}: {len(reference)} rep turns")
    print(f"{'label':16} {'support':>7} {'precision':>9} {'recall':>7} {'kappa':>6}")
    precisions, recalls = [], []
    for label in (*LABELS, "none"):
        said_r = [label in r for r in reference]
        said_o = [label in o for o in other]
        both = sum(r and o for r, o in zip(said_r, said_o, strict=True))
        precision, recall = both / max(sum(said_o), 1), both / max(sum(said_r), 1)
        precisions.append(precision)
        recalls.append(recall)
        print(f"{label:16} {sum(said_r):7d} {precision:9.3f} {recall:7.3f} {kappa(said_r, said_o):6.3f}")
    identical = sum(r == o for r, o in zip(reference, other, strict=True)) / len(reference)
    print(
        f"macro precision {statistics.fmean(precisions):.3f}, macro recall {statistics.fmean(recalls):.3f}, "
        f"identical label sets {identical:.1%}"
    )


def main() -> None:
    second = read_second_labels()
    calls = {conv: rows for conv, rows in conversations(load_rows()).items() if (conv, rows[0].turn) in second}
    rows = [row for call in calls.values() for row in call]
    if {(row.conv, row.turn) for row in rows} != set(second):
        raise SystemExit(f"{SECOND_LABELS} does not cover whole corpus calls")
    corpus = [set(row.labels) for row in rows]
    human = [second[row.conv, row.turn] for row in rows]
    model = [labels for call in calls.values() for labels in analysed_labels(call, "typed")]
    print(f"{len(calls)} held-out calls labelled twice")
    compare("second labeller against the corpus labels", corpus, human)
    compare("shipped analysis (typed) against the corpus labels", corpus, model)
    compare("shipped analysis (typed) against the second labeller", human, model)


if __name__ == "__main__":
    main()
