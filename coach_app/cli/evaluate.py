"""`coach-app eval-utterances FILE.csv [--json]`: score the analysis's utterance detector against human labels."""

import argparse
import csv
import io
import json
from pathlib import Path

from coach_app.analysis.utterances import LABELS, classify_many
from coach_app.errors import CoachError
from coach_app.files import read_input_text

REQUIRED_COLUMNS = ("utterance_text", "prev_client_text", "label")
MAX_CSV_BYTES = 64 * 1024**2  # labelled sets are a few MB


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "eval-utterances",
        help="measure the question/reflection classifier on a labelled CSV",
        description="Classify every row of a CSV (columns utterance_text, prev_client_text, label; others ignored) "
        "with the detector the analysis uses (the shipped classifier, its questions typed by the question phrases), "
        "and print precision, recall and F1 per label and macro-F1.",
    )
    parser.add_argument("file", metavar="FILE.csv", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def read_labelled_rows(path: Path) -> list[tuple[str, str, str]]:
    """(utterance, previous customer utterance, label) rows; a bad file raises CoachError naming it."""
    try:
        text = read_input_text(path, "CSV file", MAX_CSV_BYTES)
        with io.StringIO(text, newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [name for name in REQUIRED_COLUMNS if name not in columns]
            if missing:
                raise CoachError(
                    f"{path} has no column {', '.join(repr(m) for m in missing)}; give a CSV whose header has "
                    f"{', '.join(REQUIRED_COLUMNS)}."
                )
            rows = [(r["utterance_text"] or "", r["prev_client_text"] or "", r["label"]) for r in reader]
    except csv.Error as exc:
        raise CoachError(f"Cannot read {path} as a UTF-8 CSV file ({exc}); check the path and the file.") from exc
    for number, (_, _, label) in enumerate(rows, start=2):
        if label not in LABELS:
            raise CoachError(f"{path} line {number} has label {label!r}; use one of {', '.join(LABELS)}.")
    if not rows:
        raise CoachError(f"{path} has no labelled rows; add rows below the header.")
    return rows


def label_metrics(gold: list[str], predicted: list[str]) -> dict:
    """Precision, recall, F1 and support per label, and their macro-averaged F1 (0 where undefined)."""
    per_label = {}
    for label in LABELS:
        true_pos = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        support = sum(g == label for g in gold)
        n_predicted = sum(p == label for p in predicted)
        precision = true_pos / n_predicted if n_predicted else 0.0
        recall = true_pos / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    macro_f1 = sum(m["f1"] for m in per_label.values()) / len(LABELS)
    return {"macro_f1": macro_f1, "per_label": per_label}


def run(args: argparse.Namespace) -> int:
    rows = read_labelled_rows(args.file)
    predicted = [result.label for result in classify_many([(text, prev) for text, prev, _ in rows])]
    metrics = label_metrics([label for _, _, label in rows], predicted)
    if args.json:
        print(json.dumps(metrics, indent=2))
        return 0
    print(f"{'label':16} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for label, m in metrics["per_label"].items():
        print(f"{label:16} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} {m['support']:8d}")
    print(f"macro-F1 {metrics['macro_f1']:.3f} over {len(rows)} utterances in {args.file}")
    return 0
