"""Frozen records the sessions library returns: summaries, stored findings, comments, corrections, sessions."""

from dataclasses import dataclass

from coach_app.core import Finding, Scorecard, Transcript


@dataclass(frozen=True)
class SessionSummary:
    """One row of the sessions list; `overall` is the corrected score when a trainer corrected the findings."""

    id: int
    started_at: str
    rep: str
    title: str
    overall: int
    automatic_overall: int
    scenario: str | None
    source: str
    duration_s: float
    rubric_version: str
    audio_path: str | None
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "rep": self.rep,
            "title": self.title,
            "overall": self.overall,
            "automatic_overall": self.automatic_overall,
            "scenario": self.scenario,
            "source": self.source,
            "duration_s": round(self.duration_s, 2),
            "rubric_version": self.rubric_version,
            "audio_path": self.audio_path,
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored: produced by the analysis or added by a trainer, possibly marked wrong."""

    id: int
    finding: Finding
    origin: str
    rejected: bool


@dataclass(frozen=True)
class Comment:
    """A trainer's note pinned to a moment (`at_s`), a turn, or the whole session (neither)."""

    id: int
    session_id: int
    body: str
    at_s: float | None
    turn: int | None
    author: str | None
    created_at: str

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "body": self.body,
            "at_s": self.at_s,
            "turn": self.turn,
            "author": self.author,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Correction:
    """A trainer's label correction: a finding marked wrong (`rejected`) or a missed one `added`."""

    id: int
    finding_id: int
    action: str
    note: str
    author: str | None
    created_at: str


@dataclass(frozen=True)
class StoredSession:
    """A whole stored session: transcript, the analysis's scorecard, the trainer-corrected one if any, notes."""

    summary: SessionSummary
    transcript: Transcript
    automatic: Scorecard
    corrected: Scorecard | None
    findings: tuple[StoredFinding, ...]
    comments: tuple[Comment, ...]
    corrections: tuple[Correction, ...]

    @property
    def scorecard(self) -> Scorecard:
        """The view to show: corrected when a trainer corrected the findings, otherwise automatic."""
        return self.corrected or self.automatic


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: a transcript turn or a comment, with a highlighted snippet."""

    session_id: int
    title: str
    rep: str
    started_at: str
    source: str
    turn: int | None
    at_s: float | None
    snippet: str

    def to_dict(self) -> dict:
        return {
            "session_id": self.session_id,
            "title": self.title,
            "rep": self.rep,
            "started_at": self.started_at,
            "in": self.source,
            "turn": self.turn,
            "at_s": self.at_s,
            "snippet": self.snippet,
        }
