"""The trainer-editable scoring rubric (TOML): thresholds, dimensions, weights, points per finding kind, tips."""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coach_app.errors import RubricError
from coach_app.paths import resource
from coach_app.scoring.kinds import KINDS
from coach_app.toml_files import read_toml
from coach_app.values import is_finite_number


@dataclass(frozen=True)
class Thresholds:
    """Timing limits the analysis flags against (seconds, words per minute, fraction of talk)."""

    min_pause_s: float = 0.4
    dead_air_s: float = 5.0
    monologue_s: float = 45.0
    wpm_max: float = 175.0
    max_rep_talk_share: float = 0.65


@dataclass(frozen=True)
class VoiceThresholds:
    """When the rep's recorded voice becomes a delivery finding (the rushed-turn limit is `Thresholds.wpm_max`).
    Defaults were set on espeak-ng speech and common guidance on conversational speech; tune them on real calls.

    - calm_min_wpm, calm_max_wpm: the rep's overall pace in this range, with no fast turn, is unhurried.
    - raised_db: a stretch this far above the rep's median loudness is a raised voice.
    - swings_db: phrase loudness spread (90th − 10th percentile) within a turn above this is unsteady.
    - monotone_st: a pitch range (5th–95th percentile) below this many semitones is flat.
    - lively_st: a pitch range of at least this many semitones is lively and varied.
    """

    calm_min_wpm: float = 100.0
    calm_max_wpm: float = 160.0
    raised_db: float = 6.0
    swings_db: float = 10.0
    monotone_st: float = 3.0
    lively_st: float = 8.0


@dataclass(frozen=True)
class Dimension:
    """One scored skill: starts at `base`, gains or loses `points[kind]` per finding with diminishing returns."""

    key: str
    label: str
    weight: float
    base: float
    tip: str
    points: dict[str, float]
    decay: float = 0.5
    penalty_decay: float = 0.8


@dataclass(frozen=True)
class Rubric:
    version: str
    thresholds: Thresholds
    dimensions: tuple[Dimension, ...]
    source: str = ""
    voice: VoiceThresholds = VoiceThresholds()


MAX_WEIGHT = 1000.0  # weights are relative (1.0 is typical); far larger ones overflow the weighted average
MAX_LIMIT = 1e6  # no threshold (seconds, words per minute, decibels, semitones) is anywhere near this
_DIMENSION_KEYS = {"label", "weight", "base", "tip", "points", "decay", "penalty_decay"}


def load_rubric(path: str | os.PathLike | None = None) -> Rubric:
    """Read and validate a rubric; None means the shipped resources/rubrics/default.toml."""
    if path is None:
        return _default_rubric()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_rubric() -> Rubric:
    return _load(resource("rubrics", "default.toml"))


def _load(path: Path) -> Rubric:
    return rubric_from_dict(read_toml(path, RubricError, "rubric"), str(path))


def rubric_from_dict(data: dict, source: str) -> Rubric:
    """Validate parsed TOML; every problem raises RubricError naming `source` and the key."""
    _only(data, {"version", "thresholds", "voice", "dimensions"}, source, "")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RubricError(f'{source}: key "version" must be a non-empty string, e.g. version = "my-rubric-1".')
    thresholds = _thresholds(_table(data, "thresholds", source), source)
    voice = _voice(_table(data, "voice", source) if "voice" in data else {}, source)
    dims = _table(data, "dimensions", source)
    if not dims:
        raise RubricError(f'{source}: "dimensions" is empty: add at least one [dimensions.NAME] table.')
    dimensions = tuple(_dimension(key, value, source) for key, value in dims.items())
    return Rubric(version.strip(), thresholds, dimensions, source, voice)


def _thresholds(table: dict, source: str) -> Thresholds:
    defaults = Thresholds()
    names = set(defaults.__dataclass_fields__)
    _only(table, names, source, "thresholds")
    values = {}
    for name in names:
        if name not in table:
            raise RubricError(f'{source}: missing key "thresholds.{name}": add it (default {getattr(defaults, name)}).')
        values[name] = _number(table[name], source, f"thresholds.{name}", low=0.0)
    if values["max_rep_talk_share"] > 1:
        raise RubricError(f'{source}: key "thresholds.max_rep_talk_share" must be a fraction from 0 to 1.')
    return Thresholds(**values)


def _voice(table: dict, source: str) -> VoiceThresholds:
    """The optional [voice] table: any key left out keeps its default (rubrics written before it still load)."""
    defaults = VoiceThresholds()
    _only(table, set(defaults.__dataclass_fields__), source, "voice")
    values = {name: _number(value, source, f"voice.{name}", low=0.0) for name, value in table.items()}
    limits = VoiceThresholds(**values)
    if limits.calm_min_wpm > limits.calm_max_wpm:
        raise RubricError(f'{source}: key "voice.calm_min_wpm" must not be above "voice.calm_max_wpm".')
    if limits.monotone_st > limits.lively_st:
        raise RubricError(f'{source}: key "voice.monotone_st" must not be above "voice.lively_st".')
    return limits


def _dimension(key: str, table: object, source: str) -> Dimension:
    where = f"dimensions.{key}"
    if not isinstance(table, dict):
        raise RubricError(f'{source}: "{where}" must be a table ([{where}]).')
    _only(table, _DIMENSION_KEYS, source, where)
    for name in ("label", "tip"):
        if not isinstance(table.get(name), str) or not table[name].strip():
            raise RubricError(f'{source}: key "{where}.{name}" must be a non-empty string.')
    points = _table(table, "points", source, where)
    for kind, value in points.items():
        if kind not in KINDS:
            raise RubricError(
                f'{source}: key "{where}.points.{kind}" is not a finding kind: use one of {", ".join(sorted(KINDS))}.'
            )
        _number(value, source, f"{where}.points.{kind}", low=-100.0, high=100.0)
    return Dimension(
        key=key,
        label=table["label"].strip(),
        weight=_number(table.get("weight"), source, f"{where}.weight", low=0.0, high=MAX_WEIGHT, positive=True),
        base=_number(table.get("base"), source, f"{where}.base", low=0.0, high=100.0),
        tip=table["tip"].strip(),
        points={kind: float(value) for kind, value in points.items()},
        decay=_number(table.get("decay", 0.5), source, f"{where}.decay", low=0.0, high=1.0),
        penalty_decay=_number(table.get("penalty_decay", 0.8), source, f"{where}.penalty_decay", low=0.0, high=1.0),
    )


def _table(data: dict, key: str, source: str, parent: str = "") -> dict:
    full = f"{parent}.{key}" if parent else key
    value = data.get(key)
    if not isinstance(value, dict):
        raise RubricError(f'{source}: missing or invalid table "{full}": add a [{full}] table.')
    return value


def _only(table: dict, allowed: set[str], source: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            full = f"{where}.{key}" if where else key
            raise RubricError(f'{source}: unknown key "{full}": use one of {", ".join(sorted(allowed))}.')


def _number(value: object, source: str, key: str, low: float, high: float = MAX_LIMIT, positive=False) -> float:
    """A finite number within [low, high] (above 0 if `positive`); NaN, infinities and huge values are refused."""
    if not is_finite_number(value, low, high) or (positive and value <= 0):  # type: ignore[operator]
        limits = f"above 0 and at most {high:g}" if positive else f"from {low:g} to {high:g}"
        shown = repr(value) if len(repr(value)) < 24 else f"{repr(value)[:20]}…"
        raise RubricError(f'{source}: key "{key}" must be a number {limits} (got {shown}).')
    return float(value)  # type: ignore[arg-type]
