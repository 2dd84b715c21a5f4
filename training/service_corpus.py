"""The labelled service-turn corpus as the training script and the benchmark read it, and its held-out split.

`.venv/bin/python training/service_corpus.py` writes `data/service_turns/split.json`: about a fifth of the
conversations, drawn within each quality by domain and a seeded hash of the conversation id, that training never
sees. A split never moves a conversation once made: the file records the parts it covers, their held-out calls are
kept as they are, and each new part is split on its own by the same rule. Rows come from
`data/service_turns/part_*/*.jsonl` with their recognised form from `data/service_turns/asr/` (written by
`training/asr_form.py`).
"""

import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach_app.core import Transcript, Turn  # noqa: E402

CORPUS = REPO / "data" / "service_turns"
SPLIT_FILE = "split.json"
HELD_OUT_SHARE = 0.2
SEED = "listening-coach-split-1"


@dataclass(frozen=True)
class Row:
    """One rep turn with the customer turn before it, in typed and recognised form, and its labels."""

    conv: str
    part: str
    domain: str
    english: str
    quality: str
    turn: int
    customer: str
    rep: str
    customer_asr: str
    rep_asr: str
    labels: frozenset[str]
    concern_resolved: bool | None  # None where the writer did not record it (parts r and s)

    def texts(self, form: str) -> tuple[str, str]:
        """(customer, rep) in the "typed" or "asr" form."""
        return (self.customer, self.rep) if form == "typed" else (self.customer_asr, self.rep_asr)


def load_rows(root: Path = CORPUS) -> list[Row]:
    """Every corpus row in file and conversation order, joined with its recognised form."""
    rows = []
    for path in sorted(root.glob("part_*/*.jsonl")):
        asr_path = root / "asr" / path.parent.name / path.name
        if not asr_path.is_file():
            raise SystemExit(f"{asr_path} is missing: run training/asr_form.py first")
        typed = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        spoken = [json.loads(line) for line in asr_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if [(r["conv"], r["turn"]) for r in typed] != [(r["conv"], r["turn"]) for r in spoken]:
            raise SystemExit(f"{asr_path} does not match {path}: rerun training/asr_form.py")
        for r, s in zip(typed, spoken, strict=True):
            rows.append(
                Row(
                    r["conv"],
                    path.parent.name,
                    r["domain"],
                    r["english"],
                    r["quality"],
                    r["turn"],
                    r["customer"],
                    r["rep"],
                    s["customer_asr"],
                    s["rep_asr"],
                    frozenset(r["labels"]),
                    r.get("concern_resolved"),
                )
            )
    return rows


def conversations(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows grouped by conversation, in turn order."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.conv].append(row)
    return {conv: sorted(turns, key=lambda r: r.turn) for conv, turns in grouped.items()}


def transcript(rows: list[Row], form: str) -> tuple[Transcript, list[int]]:
    """One conversation as a transcript (customer turn, rep turn, …; times from word counts) and the index of each
    row's rep turn in it."""
    turns: list[Turn] = []
    rep_indices = []
    clock = 0.0
    for row in rows:
        customer, rep = row.texts(form)
        for speaker, text in (("customer", customer), ("rep", rep)):
            if speaker == "customer" and not text.strip():
                continue
            duration = max(0.6, 0.36 * len(text.split()))
            clock += 0.7
            if speaker == "rep":
                rep_indices.append(len(turns))
            turns.append(Turn(speaker, round(clock, 2), round(clock + duration, 2), text))
            clock += duration
    return Transcript(tuple(turns)), rep_indices


def make_split(rows: list[Row]) -> list[str]:
    """Held-out conversation ids: within each quality, conversations ordered by domain then a seeded hash, every
    fifth one, so each quality loses a fifth and the held-out calls spread over the domains."""
    by_quality: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        by_quality[row.quality].add((row.domain, row.conv))
    held_out = []
    for pairs in by_quality.values():
        ranked = sorted(pairs, key=lambda p: (p[0], hashlib.sha256(f"{SEED}/{p[1]}".encode()).hexdigest()))
        held_out += [conv for _, conv in ranked[2 :: round(1 / HELD_OUT_SHARE)]]
    return sorted(held_out)


def extend_split(rows: list[Row], parts: list[str], held_out: list[str]) -> tuple[list[str], list[str]]:
    """(parts, held-out ids) covering every part in `rows`: the given split kept as it is, and each part it does not
    cover yet split on its own by `make_split`."""
    parts, held_out = list(parts), list(held_out)
    for part in sorted({row.part for row in rows} - set(parts)):
        held_out += make_split([row for row in rows if row.part == part])
        parts.append(part)
    return sorted(parts), sorted(held_out)


def read_split(root: Path = CORPUS) -> frozenset[str]:
    return frozenset(json.loads((root / SPLIT_FILE).read_text(encoding="utf-8"))["held_out"])


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    rows = load_rows(root)
    split_path = root / SPLIT_FILE
    previous = json.loads(split_path.read_text(encoding="utf-8")) if split_path.is_file() else {}
    parts, held_out = extend_split(rows, previous.get("parts", []), previous.get("held_out", []))
    convs = {row.conv for row in rows}
    payload = {
        "about": "Conversations held out from training (grouped split, ~20% per part, quality and domain, seeded "
        "hash); made by training/service_corpus.py, which keeps the held-out calls of the parts listed and splits "
        "each new part on its own.",
        "parts": parts,
        "held_out": held_out,
    }
    split_path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"held out {len(held_out)} of {len(convs)} conversations ({sum(r.conv in held_out for r in rows)} turns)")


if __name__ == "__main__":
    main()
