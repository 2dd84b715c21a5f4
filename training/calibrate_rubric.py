"""Calibrate the scoring rubric so scores rank reps as a trainer would, and print the figures.

The service-turn corpus (data/service_turns/part_*/) grades each conversation strong, mixed or poor. Every
conversation outside the held-out split (data/service_turns/split.json; without it, every fifth conversation is
held out) becomes a transcript with plausible timings, typed and in its speech-recognition form
(data/service_turns/asr/), and is analysed once. Scores are then a cheap function of each call's finding counts,
so a deterministic coordinate search over the rubric's numbers (bases, points, decays, weights; a new reward decay
rescales its dimension's rewards so that stuffing earns what it did) minimises how far calls fall outside their
band: strong ≥ 75, poor ≤ 45, mixed between, means at least 10 apart, every strong above
every poor. Phrase-stuffing must still not max a score: the scoring tests' stock-empathy call keeps empathy below
80, any one rewarded kind said thirty times in six variants (its rewards counted as in a short call) keeps every
dimension below 95, and no stuffed call reaches 60 overall.

The search starts from the authored numbers in training/rubric_start.toml, never from the file it writes, and
penalties keep the sizes given there, so a rerun on the same corpus and models writes the same file byte for byte.
The analysed findings are cached in build/calibration/, keyed by a hash of the corpus, the analysis code, lexicons
and models, so a rerun after a new behaviour model analyses the corpus again (in two processes: about 5 minutes on
two free cores) and otherwise only searches (about a minute).

Run: `.venv/bin/python training/calibrate_rubric.py [--write]` (--write updates resources/rubrics/default.toml).
"""

import argparse
import hashlib
import inspect
import json
import multiprocessing
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach_app.analysis import analyze  # noqa: E402
from coach_app.core import Transcript, Turn  # noqa: E402
from coach_app.scoring.rubric import Rubric, load_rubric  # noqa: E402
from coach_app.scoring.scorecard import MAX_SCALE, opportunity_scale  # noqa: E402

CORPUS = REPO / "data" / "service_turns"
RUBRIC = REPO / "resources" / "rubrics" / "default.toml"
START = Path(__file__).with_name("rubric_start.toml")
CACHE = REPO / "build" / "calibration"
WORKERS = 2  # the corpus is analysed in this many processes
GRADES = ("strong", "mixed", "poor")
STRONG_MIN, POOR_MAX, GAP = 75.0, 45.0, 10.0
STUFFED_DIMENSION_MAX, STUFFED_OVERALL_MAX = 79.0, 59.0  # the scoring tests' stock-empathy call
STUFFED_KIND_MAX = 94.0  # one rewarded kind said thirty times never maxes any dimension
STUFFED_VARIANTS = 6  # the stuffed calls' distinct phrasings of a kind (a repeated phrase earns nothing)
DECAY_MIN = 0.4  # a second finding of a kind still earns 40 % of the first: rejecting one counts below the ceiling
DECAYS = [round(DECAY_MIN + 0.05 * k, 2) for k in range(round((0.9 - DECAY_MIN) / 0.05) + 1)]
WORDS_PER_S, REP_PAUSE_S, CUSTOMER_PAUSE_S = 2.6, 0.8, 0.6
PASSES = 6
HEADROOM_WEIGHT = 1.0
RICH_REPEATS, RICH_MAX = 3, 110.0
HARSH_REPEATS, HARSH_MIN = 2, -10.0
CALL_LEVEL = ("voice_", "talk_share_")
# The corpus has text and grades but no real timing or voice: turn-taking and delivery keep the author's numbers.
FROZEN_DIMENSIONS = ("turn_taking", "delivery")  # kinds found once per call, which no phrase can stuff


# --- the corpus as calls -----------------------------------------------------------------------------------


def load_conversations() -> dict[str, tuple[str, list[dict]]]:
    """Conversation id → (quality, its rows in turn order); rows carry the speech-recognition form of both texts
    (`customer_asr`, `rep_asr`) where the corpus has it (data/service_turns/asr/)."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(CORPUS.glob("part_*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["conv"]].append(row)
    spoken = {}
    for path in sorted(CORPUS.glob("asr/part_*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                spoken[(row["conv"], row["turn"])] = row
    for conv, turns in rows.items():
        for row in turns:
            row.update({k: v for k, v in spoken.get((conv, row["turn"]), {}).items() if k.endswith("_asr")})
    return {conv: (turns[0]["quality"], sorted(turns, key=lambda r: r["turn"])) for conv, turns in sorted(rows.items())}


def held_out(conversations: list[str]) -> frozenset[str]:
    split = CORPUS / "split.json"
    if split.is_file():
        return frozenset(json.loads(split.read_text(encoding="utf-8"))["held_out"])
    return frozenset(conversations[4::5])


def transcript(rows: list[dict], form: str = "") -> Transcript:
    """Customer and rep turns timed by word count, with a considered pause before each reply; form "_asr" takes
    the speech-recognition texts."""
    turns, clock = [], 0.0
    for row in rows:
        customer, rep = row["customer" + form], row["rep" + form]
        for speaker, text, pause in (("customer", customer, CUSTOMER_PAUSE_S), ("rep", rep, REP_PAUSE_S)):
            if not text.strip():
                continue
            clock += pause
            duration = max(0.6, len(text.split()) / WORDS_PER_S)
            turns.append(Turn(speaker, round(clock, 2), round(clock + duration, 2), text))
            clock += duration
    return Transcript(tuple(turns))


def stuffed_transcript() -> Transcript:
    """Thirty complaints each answered by one of six stock empathy lines (the scoring tests' stuffing case)."""
    lines = [
        "That must be really frustrating.",
        "I can see why that would be upsetting.",
        "That sounds so stressful.",
        "I'd be upset too.",
        "No wonder you're annoyed.",
        "That makes sense.",
    ]
    turns = []
    for i in range(30):
        turns += [Turn("customer", i * 6.0, i * 6.0 + 2.0, f"It is still late, day {i}.")]
        turns += [Turn("rep", i * 6.0 + 3.0, i * 6.0 + 5.0, lines[i % len(lines)])]
    return Transcript(tuple(turns))


# --- scores as a function of finding counts ----------------------------------------------------------------

_WORD = re.compile(r"[a-z']+")


def counts(findings: list[tuple[str, str, int]], kinds: list[str], scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Per kind, from findings (kind, quote, turn): rewards with distinct quotes, each turn-level one counted as
    `scale` findings (scorecard.opportunity_scale), which is what rewards earn by, and all findings (what penalties
    count)."""
    unique = np.zeros(len(kinds))
    total = np.zeros(len(kinds))
    seen: set[tuple[str, str]] = set()
    where = {kind: i for i, kind in enumerate(kinds)}
    for kind, quote, turn in findings:
        if kind not in where:
            continue
        total[where[kind]] += 1
        key = (kind, " ".join(_WORD.findall(quote.lower())))
        if key not in seen:
            seen.add(key)
            unique[where[kind]] += scale if turn >= 0 else 1.0
    return unique, total


class Model:
    """The rubric's numbers as arrays, and the scores they give a set of calls."""

    NUMBERS = ("base", "weight", "decay", "penalty_decay", "points")

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.dims = [d.key for d in rubric.dimensions]
        self.kinds = sorted({kind for d in rubric.dimensions for kind in d.points})
        self.base = np.array([d.base for d in rubric.dimensions], dtype=float)
        self.weight = np.array([d.weight for d in rubric.dimensions], dtype=float)
        self.decay = np.array([d.decay for d in rubric.dimensions], dtype=float)
        self.penalty_decay = np.array([d.penalty_decay for d in rubric.dimensions], dtype=float)
        self.points = np.zeros((len(self.dims), len(self.kinds)))
        self.used = np.zeros_like(self.points, dtype=bool)
        for i, d in enumerate(rubric.dimensions):
            for kind, value in d.points.items():
                self.points[i, self.kinds.index(kind)] = value
                self.used[i, self.kinds.index(kind)] = True

    def state(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, name).copy() for name in self.NUMBERS)

    def restore(self, state: tuple[np.ndarray, ...]) -> None:
        for name, values in zip(self.NUMBERS, state, strict=True):
            setattr(self, name, values.copy())

    def dimension_scores(self, unique: np.ndarray, total: np.ndarray, clip: bool = True) -> np.ndarray:
        """calls × dimensions, as scoring.scorecard computes them (before rounding; unclamped with clip=False)."""
        positive = self.points > 0
        d = self.decay[:, None]
        p = self.penalty_decay[:, None]
        # n-th repeat worth decay^(n-1): the sum of a geometric series over each call's count
        gain = np.where(np.isclose(d, 1.0), unique[:, None, :], (1 - d[None] ** unique[:, None, :]) / (1 - d[None]))
        loss = np.where(np.isclose(p, 1.0), total[:, None, :], (1 - p[None] ** total[:, None, :]) / (1 - p[None]))
        delta = np.where(positive[None], self.points[None] * gain, self.points[None] * loss).sum(axis=2)
        raw = self.base[None] + delta
        return np.clip(raw, 0.0, 100.0) if clip else raw

    def overall(self, unique: np.ndarray, total: np.ndarray, exact: bool = False) -> np.ndarray:
        """Overall scores; `exact` rounds as the scorecard does (whole dimension scores, then the mean)."""
        dims = self.dimension_scores(unique, total)
        if exact:  # summed dimension by dimension, in the scorecard's order, so a mean of exactly .5 rounds alike
            weighted, weights = np.zeros(len(dims)), 0.0
            for i, weight in enumerate(self.weight.tolist()):
                weighted, weights = weighted + np.round(dims[:, i]) * weight, weights + weight
            return np.round(weighted / weights)
        return dims @ self.weight / self.weight.sum()


def stuffing_cases(model: Model, rubric: Rubric) -> tuple[np.ndarray, np.ndarray]:
    """Finding counts of stuffed calls: the stock-empathy call as analysed, and for every rewarded kind a rep can
    say a call with nothing but that kind, thirty times in six variants, its rewards counted as in the shortest
    calls (each variant MAX_SCALE findings)."""
    card = analyze(stuffed_transcript(), rubric)
    found = [(f.kind, f.quote, f.turn) for f in card.findings]
    unique, total = counts(found, model.kinds, opportunity_scale(card.metrics["rep_turns"]))
    rows_unique, rows_total = [unique], [total]
    for j, kind in enumerate(model.kinds):
        if (model.points[:, j] > 0).any() and not kind.startswith(CALL_LEVEL):
            rows_unique.append(np.eye(len(model.kinds))[j] * STUFFED_VARIANTS * MAX_SCALE)
            rows_total.append(np.eye(len(model.kinds))[j] * 30)
    return np.array(rows_unique), np.array(rows_total)


# --- the search --------------------------------------------------------------------------------------------


def relu(x):
    return np.maximum(x, 0.0)


def loss(model: Model, data: dict, start: Model) -> float:
    """How far the calls fall outside their bands, the grade means apart, stuffing capped; near the start."""
    scores = model.overall(data["unique"], data["total"])
    grade = data["grade"]
    strong, mixed, poor = scores[grade == 0], scores[grade == 1], scores[grade == 2]
    value = (relu(STRONG_MIN - strong) ** 2).mean() + (relu(poor - POOR_MAX) ** 2).mean()
    value += (relu(mixed - (STRONG_MIN - 3)) ** 2).mean() + (relu(POOR_MAX + 3 - mixed) ** 2).mean()
    value += (
        5 * relu(GAP + 2 - (strong.mean() - mixed.mean())) ** 2 + 5 * relu(GAP + 2 - (mixed.mean() - poor.mean())) ** 2
    )
    value += 2 * relu(poor.max() - strong.min() + 1) ** 2
    stuffed_dims = model.dimension_scores(data["stuffed_unique"], data["stuffed_total"])
    stuffed_overall = model.overall(data["stuffed_unique"], data["stuffed_total"])
    value += 100 * relu(stuffed_dims[0, model.dims.index("empathy")] - STUFFED_DIMENSION_MAX) ** 2
    value += 100 * relu(stuffed_dims[1:].max() - STUFFED_KIND_MAX) ** 2
    value += 100 * relu(stuffed_overall.max() - STUFFED_OVERALL_MAX) ** 2
    # headroom: a short call (rewards × MAX_SCALE) with every rewarded kind three times barely passes 100, so a
    # dimension is never so far past the top that a better call, or a trainer rejecting a finding, would not move it
    rich = model.dimension_scores(data["rich_unique"], data["rich_total"], clip=False)
    value += HEADROOM_WEIGHT * float((relu(rich - RICH_MAX) ** 2).sum())
    # and at the bottom: each penalised kind twice leaves every dimension near 0, not far below it
    harsh = model.dimension_scores(data["harsh_unique"], data["harsh_total"], clip=False)
    value += HEADROOM_WEIGHT * float((relu(HARSH_MIN - harsh) ** 2).sum())
    drift = ((model.points - start.points) / 20) ** 2
    value += 0.05 * (drift.sum() + (((model.base - start.base) / 20) ** 2).sum())
    return float(value)


def coordinates(model: Model, start: Model) -> list[tuple[str, int, int, list[float]]]:
    """Every number the search may move, with its candidate values. Rewards keep at least half their starting size
    (the rubric's author said the kind matters); penalties keep the size the file gives them (searching them let
    each rerun halve them again, and a trainer expects a put-down to cost what the rubric says); dimensions the
    corpus cannot judge stay as they are."""
    out = []
    for i, dim in enumerate(model.dims):
        if dim in FROZEN_DIMENSIONS:
            continue
        out.append(("base", i, -1, [float(b) for b in range(10, 91, 5)]))
        out.append(("weight", i, -1, [round(0.5 + 0.1 * k, 1) for k in range(16)]))
        out.append(("decay", i, -1, DECAYS))
        out.append(("penalty_decay", i, -1, [round(0.5 + 0.05 * k, 2) for k in range(10)]))
        for j in range(len(model.kinds)):
            first = start.points[i, j]
            if model.used[i, j] and first > 0:
                least = max(2, int(first // 2))
                out.append(("points", i, j, [float(v) for v in range(least, 41) if v % 2 == 0 or v == least]))
    return out


def stuffed_gain(decay: float) -> float:
    """What a rewarded kind said in every stuffing variant earns, in multiples of its points."""
    return float(np.sum(decay ** np.arange(STUFFED_VARIANTS)))


def move(model: Model, name: str, i: int, j: int, value: float) -> None:
    """Set one number. A new reward decay rescales the dimension's rewards so that a kind said in every stuffing
    variant earns what it did: a lower decay moves worth from repeats to a kind's first finding, which the corpus's
    short calls (7–12 rep turns, one summary or plan each) need, without letting stuffing earn more."""
    if name == "points":
        model.points[i, j] = value
        return
    if name == "decay":
        rewards = model.points[i] > 0
        model.points[i, rewards] = np.round(
            model.points[i, rewards] * stuffed_gain(model.decay[i]) / stuffed_gain(value)
        )
    getattr(model, name)[i] = value


def calibrate(model: Model, data: dict) -> Model:
    start = Model(model.rubric)
    best = loss(model, data, start)
    for _ in range(PASSES):
        improved = False
        for name, i, j, values in coordinates(model, start):
            kept = model.state()
            chosen = kept
            for value in values:
                model.restore(kept)
                move(model, name, i, j, value)
                trial = loss(model, data, start)
                if trial < best - 1e-9:
                    best, chosen, improved = trial, model.state(), True
            model.restore(chosen)
        if not improved:
            break
    return model


# --- figures and the rubric file ---------------------------------------------------------------------------


def figures(model: Model, data: dict) -> dict:
    scores = model.overall(data["unique"], data["total"], exact=True)
    by = {g: scores[data["grade"] == k] for k, g in enumerate(GRADES)}
    stuffed = model.dimension_scores(data["stuffed_unique"], data["stuffed_total"])
    return {
        "means": {g: round(float(by[g].mean()), 1) for g in GRADES},
        "strong>=75": f"{int((by['strong'] >= STRONG_MIN).sum())}/{len(by['strong'])}",
        "poor<=45": f"{int((by['poor'] <= POOR_MAX).sum())}/{len(by['poor'])}",
        "mixed between": f"{int(((by['mixed'] > POOR_MAX) & (by['mixed'] < STRONG_MIN)).sum())}/{len(by['mixed'])}",
        "min strong": int(by["strong"].min()),
        "max poor": int(by["poor"].max()),
        "stuffed": {
            "stock empathy call, empathy": round(float(stuffed[0, model.dims.index("empathy")])),
            "one kind thirty times, max dimension": round(float(stuffed[1:].max())),
            "max overall": round(float(model.overall(data["stuffed_unique"], data["stuffed_total"]).max())),
        },
        "each penalised kind twice, lowest unclamped dimension": round(
            float(model.dimension_scores(data["harsh_unique"], data["harsh_total"], clip=False).min())
        ),
        "every rewarded kind three times, highest unclamped dimension": round(
            float(model.dimension_scores(data["rich_unique"], data["rich_total"], clip=False).max())
        ),
    }


def write_rubric(model: Model, path: Path) -> None:
    """Update the numbers in the rubric file in place, keeping its comments and layout."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, dim = [], None
    values: dict[str, dict[str, str]] = {}
    for i, key in enumerate(model.dims):
        values[key] = {
            "base": str(int(round(model.base[i]))),
            "weight": f"{model.weight[i]:g}",
            "decay": f"{model.decay[i]:g}",
            "penalty_decay": f"{model.penalty_decay[i]:g}",
        }
    section = ""
    for line in lines:
        header = re.match(r"\[dimensions\.([a-z_]+)(\.points)?\]", line)
        if header:
            if dim and section == "dimension":
                out = _add_missing(out, values[dim])
            dim, section = header.group(1), "points" if header.group(2) else "dimension"
        elif line.startswith("["):
            if dim and section == "dimension":
                out = _add_missing(out, values[dim])
            dim, section = None, ""
        match = re.match(r"([a-z_]+)(\s*=\s*)(-?[0-9.]+)(.*)$", line)
        if dim and match:
            key = match.group(1)
            if section == "points":
                i, j = model.dims.index(dim), model.kinds.index(key)
                new = str(int(round(model.points[i, j])))
            else:
                new = values[dim].pop(key, None)
            if new is not None:
                line = f"{key}{match.group(2)}{new}{match.group(4)}"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _add_missing(out: list[str], pending: dict[str, str]) -> list[str]:
    """Decays the file left at their defaults are written before the dimension's points table."""
    extra = [f"{key} = {value}" for key, value in pending.items()]
    pending.clear()
    while out and not out[-1].strip():
        out.pop()
    return out + extra


SETS = ("train", "held-out", "held-out recognised")


def analysis_key(rubric: Rubric) -> str:
    """A hash of what the corpus findings depend on: corpus, analysis code, lexicons, models, thresholds, clock."""
    digest = hashlib.sha256()
    roots = (CORPUS, REPO / "coach_app" / "analysis", REPO / "resources" / "lexicons", REPO / "resources" / "models")
    for path in sorted(p for root in roots for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    digest.update(repr(rubric.thresholds).encode() + inspect.getsource(transcript).encode())
    digest.update(repr((WORDS_PER_S, REP_PAUSE_S, CUSTOMER_PAUSE_S)).encode())
    return digest.hexdigest()[:16]


def corpus_findings(conversations: dict, rubric: Rubric) -> dict[str, dict]:
    """Each conversation form's findings as (kind, quote, turn) and its rep turns, from build/calibration/ when this
    corpus was analysed with the same code, lexicons and models, else analysed now and cached."""
    path = CACHE / f"findings-{analysis_key(rubric)}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    jobs = [(conv + form, rows, form) for conv, (_, rows) in conversations.items() for form in forms(rows)]
    with multiprocessing.get_context("spawn").Pool(WORKERS, _start_worker, (rubric,)) as pool:
        found = dict(pool.imap(_analysed_call, jobs, chunksize=8))
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found), encoding="utf-8")
    return found


_worker_rubric: list[Rubric] = []


def _start_worker(rubric: Rubric) -> None:
    _worker_rubric.append(rubric)


def _analysed_call(job: tuple[str, list[dict], str]) -> tuple[str, dict]:
    key, rows, form = job
    card = analyze(transcript(rows, form), _worker_rubric[0])
    findings = [(f.kind, f.quote, f.turn) for f in card.findings]
    return key, {"findings": findings, "rep_turns": card.metrics["rep_turns"]}


def forms(rows: list[dict]) -> tuple[str, ...]:
    """The conversation's typed form, and its speech-recognition form where the corpus has one."""
    return ("", "_asr") if all("rep_asr" in row for row in rows) else ("",)


def analysed(conversations: dict, held: frozenset[str], found: dict, kinds: list[str]) -> dict[str, dict]:
    """Each conversation's finding counts and grade, typed and as recognised, split into the calibration set (both
    forms) and the held-out sets (one per form)."""
    sets: dict[str, dict] = {name: defaultdict(list) for name in SETS}
    for conv, (quality, rows) in conversations.items():
        for form in forms(rows):
            call = found[conv + form]
            unique, total = counts(call["findings"], kinds, opportunity_scale(call["rep_turns"]))
            part = sets[("held-out" + (" recognised" if form else "")) if conv in held else "train"]
            part["unique"].append(unique)
            part["total"].append(total)
            part["grade"].append(GRADES.index(quality))
    return {name: {key: np.array(value) for key, value in part.items()} for name, part in sets.items()}


def start_model(rubric: Rubric) -> Model:
    """The rubric with the authored starting numbers of training/rubric_start.toml (same dimensions and kinds)."""
    start = tomllib.loads(START.read_text(encoding="utf-8"))["dimensions"]
    dimensions = []
    for d in rubric.dimensions:
        numbers = start[d.key]
        if set(numbers["points"]) != set(d.points):
            raise SystemExit(f"{START.name}: [dimensions.{d.key}.points] must list the kinds of {RUBRIC.name}")
        dimensions.append(
            replace(
                d,
                base=float(numbers["base"]),
                weight=float(numbers["weight"]),
                decay=float(numbers["decay"]),
                penalty_decay=float(numbers["penalty_decay"]),
                points={kind: float(numbers["points"][kind]) for kind in d.points},
            )
        )
    if set(start) != {d.key for d in rubric.dimensions}:
        raise SystemExit(f"{START.name} must list the dimensions of {RUBRIC.name}")
    return Model(replace(rubric, dimensions=tuple(dimensions)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the calibrated numbers into the rubric file")
    args = parser.parse_args()
    conversations = load_conversations()
    held = held_out(list(conversations))
    rubric = load_rubric(RUBRIC)
    shipped, model = Model(rubric), start_model(rubric)
    data = analysed(conversations, held, corpus_findings(conversations, rubric), model.kinds)
    stuffed_unique, stuffed_total = stuffing_cases(model, rubric)
    penalised = np.array(
        [(model.points[:, j] < 0).any() and not k.startswith(CALL_LEVEL) for j, k in enumerate(model.kinds)]
    )
    rewarded = np.array(
        [(model.points[:, j] > 0).any() and not k.startswith(CALL_LEVEL) for j, k in enumerate(model.kinds)]
    )
    for part in data.values():
        part["stuffed_unique"], part["stuffed_total"] = stuffed_unique, stuffed_total
        part["rich_unique"] = (rewarded * RICH_REPEATS * MAX_SCALE)[None]
        part["rich_total"] = (rewarded * float(RICH_REPEATS))[None]
        part["harsh_unique"] = part["harsh_total"] = (penalised * float(HARSH_REPEATS))[None]
    sizes = ", ".join(f"{name} {len(part['grade'])}" for name, part in data.items())
    print(f"calls (typed and recognised forms of each conversation): {sizes}")
    before = {name: figures(shipped, part) for name, part in data.items()}
    calibrate(model, data["train"])
    after = {name: figures(model, part) for name, part in data.items()}
    print(json.dumps({"before": before, "after": after}, indent=1))
    for i, dim in enumerate(model.dims):
        points = {k: int(model.points[i, j]) for j, k in enumerate(model.kinds) if model.used[i, j]}
        print(
            f"{dim}: base {model.base[i]:.0f}, weight {model.weight[i]:g}, decay {model.decay[i]:g}, "
            f"penalty_decay {model.penalty_decay[i]:g}, points {points}"
        )
    if args.write:
        write_rubric(model, RUBRIC)
        load_rubric(RUBRIC)  # the written file must still validate
        print(f"wrote {RUBRIC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
