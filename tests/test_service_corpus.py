"""The labelled service-turn corpus is well formed and its held-out split never moves a call once made."""

import hashlib
import importlib.util
import json
from pathlib import Path

from coach_app.analysis.behaviour_features import LABELS as MODEL_LABELS

REPO = Path(__file__).resolve().parent.parent
SPLIT = json.loads((REPO / "data" / "service_turns" / "split.json").read_text(encoding="utf-8"))
FIRST_PARTS = ["part_a", "part_b"]  # split together, before split.json recorded its parts
# sha256 of their 132 held-out ids, one a line: the benchmark's figures and the shipped model depend on them
FIRST_HELD_OUT_SHA256 = "a0669619b94d4a1e6b95b52d652637fb96e0e158e4d2d04b39a33a4a7cd94936"
LABELS = {*MODEL_LABELS, "none"}


def _corpus_module():
    spec = importlib.util.spec_from_file_location("service_corpus", REPO / "training" / "service_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus_module()
ROWS = corpus.load_rows()


def test_every_row_is_labelled_by_the_guide_and_calls_are_whole():
    for row in ROWS:
        assert row.labels and row.labels <= LABELS, row
        assert "none" not in row.labels or row.labels == {"none"}, row
        assert row.conv.startswith(f"{row.part.removeprefix('part_')}-{row.domain}-"), row
    for conv, turns in corpus.conversations(ROWS).items():
        assert [row.turn for row in turns] == list(range(1, len(turns) + 1)), conv
        assert len({(row.domain, row.english, row.quality) for row in turns}) == 1, conv


def test_split_file_covers_every_part_and_is_current():
    assert SPLIT["parts"] == sorted({row.part for row in ROWS})
    assert corpus.extend_split(ROWS, SPLIT["parts"], SPLIT["held_out"]) == (SPLIT["parts"], SPLIT["held_out"])


def test_a_new_part_is_split_on_its_own_and_earlier_calls_stay_put():
    first_held_out = [conv for conv in SPLIT["held_out"] if conv[0] in "ab"]
    assert hashlib.sha256("\n".join(first_held_out).encode()).hexdigest() == FIRST_HELD_OUT_SHA256
    parts, held_out = corpus.extend_split(ROWS, FIRST_PARTS, first_held_out)
    assert (parts, held_out) == (SPLIT["parts"], SPLIT["held_out"])
    for part in set(parts) - set(FIRST_PARTS):
        rows = [row for row in ROWS if row.part == part]
        own = corpus.make_split(rows)
        assert own == sorted(conv for conv in held_out if conv in {row.conv for row in rows})
        assert 0.15 <= len(own) / len({row.conv for row in rows}) <= 0.25


def test_second_labels_name_real_turns_with_the_guides_labels():
    lines = (REPO / "data" / "service_turns" / "second_labels.jsonl").read_text(encoding="utf-8").splitlines()
    second = [json.loads(line) for line in lines]
    turns = {(row.conv, row.turn) for row in ROWS}
    assert len({(line["conv"], line["turn"]) for line in second}) == len(second)
    for line in second:
        assert (line["conv"], line["turn"]) in turns, line
        labels = set(line["labels"])
        assert labels and labels <= LABELS and len(labels) == len(line["labels"]), line
        assert "none" not in labels or labels == {"none"}, line
