"""Tests of `coach-app eval-utterances`: figures through the real entry point and clear errors for bad CSVs."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach_app.analysis.utterances import LABELS, classify
from coach_app.cli import main
from coach_app.cli.evaluate import label_metrics

COACH_APP = Path(sys.executable).with_name("coach-app")
ROWS = [
    ("What would make this right for you?", "I'm just fed up with the whole thing.", "open_question"),
    ("Can you tell me more about what happened with the delivery?", "It never came.", "open_question"),
    ("Is your account number 1234?", "I can give you my details.", "closed_question"),
    ("Did you try restarting it?", "The router keeps dropping out.", "closed_question"),
    (
        "So if I'm hearing you right, the drone was meant for Saturday.",
        "I ordered the drone for my son's birthday on Saturday and it still hasn't come.",
        "reflection",
    ),
    ("I will call you back on Friday with the refund.", "Okay, thanks.", "other"),
]


def write_csv(path: Path, rows, header=("transcript_id", "utterance_text", "prev_client_text", "label")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(("t1", *row) if len(header) == 4 else row)
    return path


def test_json_figures_match_the_classifier(tmp_path, capsys):
    """--json prints exactly macro_f1 and per-label precision/recall/f1/support computed from classify()."""
    path = write_csv(tmp_path / "service.csv", ROWS)
    assert main(["eval-utterances", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"macro_f1", "per_label"}
    assert set(report["per_label"]) == set(LABELS)
    for figures in report["per_label"].values():
        assert set(figures) == {"precision", "recall", "f1", "support"}
    expected = label_metrics([label for *_, label in ROWS], [classify(text, prev).label for text, prev, _ in ROWS])
    assert report == expected
    assert report["per_label"]["closed_question"]["support"] == 2


def test_label_metrics_by_hand():
    """Precision, recall, F1 and macro-F1 agree with a hand computation, with 0 for labels never predicted."""
    gold = ["open_question", "open_question", "reflection", "other"]
    predicted = ["open_question", "reflection", "reflection", "reflection"]
    metrics = label_metrics(gold, predicted)
    assert metrics["per_label"]["open_question"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert metrics["per_label"]["reflection"] == {"precision": 1 / 3, "recall": 1.0, "f1": 0.5, "support": 1}
    assert metrics["per_label"]["other"]["f1"] == 0.0
    assert metrics["per_label"]["closed_question"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 0.5) / 4)


def test_text_report_through_the_installed_command(tmp_path):
    """The real `coach-app` executable prints a per-label table and macro-F1, ignoring extra columns."""
    path = write_csv(tmp_path / "service.csv", ROWS)
    done = subprocess.run([str(COACH_APP), "eval-utterances", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for label in LABELS:
        assert label in done.stdout
    assert "macro-F1" in done.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("utterance_text,label\nHow are you?,open_question\n", "prev_client_text"),
        ("", "utterance_text"),
        ("utterance_text,prev_client_text,label\nHi,,greeting\n", "greeting"),
        ("utterance_text,prev_client_text,label\n", "no labelled rows"),
    ],
)
def test_bad_csv_gives_one_clear_error(tmp_path, capsys, content, expected):
    """A missing column, an empty file, an unknown label or no rows exit 2 with a sentence naming the file."""
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["eval-utterances", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err
    assert "Traceback" not in err


def test_missing_and_binary_files_give_clear_errors(tmp_path, capsys):
    """A file that does not exist or is not UTF-8 text exits 2 with an error naming it."""
    binary = tmp_path / "junk.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    for path in (tmp_path / "absent.csv", binary):
        assert main(["eval-utterances", str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
