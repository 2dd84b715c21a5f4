"""Frozen records shared by every part of the app; times are seconds (`start_s`, `end_s`)."""

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["rep", "customer"]
SPEAKERS: tuple[Speaker, ...] = ("rep", "customer")


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing and the recogniser's confidence (1.0 for typed text)."""

    text: str
    start_s: float
    end_s: float
    conf: float = 1.0


@dataclass(frozen=True)
class Turn:
    """One speaker's stretch of speech; turns of different speakers may overlap in time. `speaker_conf` (0–1) is
    how sure the voice separation of a one-track recording is of the speaker; None where the speaker is known."""

    speaker: Speaker
    start_s: float
    end_s: float
    text: str
    words: tuple[Word, ...] = ()
    speaker_conf: float | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Transcript:
    """A conversation as timed, speaker-labelled turns, in the order they were given. `notes` are what the user
    should check about how it was transcribed (e.g. only one voice was heard), shown wherever the session is."""

    turns: tuple[Turn, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The shared JSON transcript format (see README)."""
        out = []
        for turn in self.turns:
            item = {"speaker": turn.speaker, "start": turn.start_s, "end": turn.end_s, "text": turn.text}
            if turn.words:
                item["words"] = [
                    {"word": w.text, "start": w.start_s, "end": w.end_s, "conf": w.conf} for w in turn.words
                ]
            if turn.speaker_conf is not None:
                item["speaker_conf"] = turn.speaker_conf
            out.append(item)
        return {"turns": out, "notes": list(self.notes)} if self.notes else {"turns": out}


@dataclass(frozen=True)
class Finding:
    """One detected behaviour with its evidence: where, what was said, why it matters, what to try."""

    kind: str
    turn: int
    start_s: float
    end_s: float
    quote: str
    reason: str
    tip: str

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "turn": self.turn,
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "quote": self.quote,
            "reason": self.reason,
            "tip": self.tip,
        }


@dataclass(frozen=True)
class ScoreItem:
    """What one finding did to a dimension's score: whole points, after the rubric's decay (0 for a repeat)."""

    finding: int  # index into the scorecard's findings
    kind: str
    turn: int
    points: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "turn": self.turn, "points": self.points}


@dataclass(frozen=True)
class DimensionScore:
    """A 0–100 score for one rubric dimension and the findings (indices into the scorecard's list) behind it.

    `base` plus the items' points, clamped to 0–100, is exactly `score`; a score kept from before breakdowns were
    recorded has no base (None) and no items."""

    dimension: str
    label: str
    score: int
    weight: float
    evidence: tuple[int, ...]
    explanation: str
    tip: str = ""
    base: int | None = None
    items: tuple[ScoreItem, ...] = ()

    def breakdown(self) -> dict:
        """The `breakdown` contract for this dimension: base, each finding's points, and the score."""
        base = self.score if self.base is None else self.base
        return {"base": base, "items": [item.to_dict() for item in self.items], "score": self.score}


@dataclass(frozen=True)
class Scorecard:
    """Everything the analysis says about one conversation."""

    metrics: dict
    findings: tuple[Finding, ...]
    dimensions: tuple[DimensionScore, ...]
    overall: int
    rubric_version: str = ""
    extras: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The `analyze --json` contract: exactly `metrics`, `findings`, `scores` and `breakdown`."""
        scores = {"overall": self.overall}
        scores.update({d.dimension: d.score for d in self.dimensions})
        return {
            "metrics": dict(self.metrics),
            "findings": [f.to_dict() for f in self.findings],
            "scores": scores,
            "breakdown": {d.dimension: d.breakdown() for d in self.dimensions},
        }
