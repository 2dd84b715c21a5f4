"""Rep goals written the way people say them ("median pause ≥ 0.8 s", "2+ reflections per call")."""

import math
import re
from dataclasses import dataclass

from sqlite_utils import Database

from coach_app.errors import StorageError
from coach_app.storage.db import now_iso, writing
from coach_app.storage.sessions import person_id

# What people call a metric → the metric's key in the analysis output.
METRIC_ALIASES: dict[str, str] = {
    "median pause": "median_response_latency_s",
    "pause": "median_response_latency_s",
    "pause before replying": "median_response_latency_s",
    "reflection": "reflections",
    "open question": "open_questions",
    "closed question": "closed_questions",
    "summary": "summaries",
    "summaries": "summaries",
    "empathy statement": "empathy_statements",
    "empathy": "empathy_statements",
    "apology": "apologies",
    "apologies": "apologies",
    "action plan": "action_plans",
    "interruption": "interruptions",
    "filler word": "filler_words",
    "judgemental phrase": "judgemental_phrases",
    "talk share": "rep_talk_share",
    "words per minute": "rep_words_per_minute",
    "longest monologue": "longest_rep_monologue_s",
}
NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"^{NUMBER}\s*\+\s*(?P<what>.+?)$"), ">="),
    (re.compile(rf"^at least\s+{NUMBER}\s+(?P<what>.+?)$"), ">="),
    (re.compile(rf"^at most\s+{NUMBER}\s+(?P<what>.+?)$"), "<="),
    (re.compile(rf"^(?P<what>.+?)\s*(?:≥|>=|at least)\s*{NUMBER}\s*(?:s|sec|seconds|%)?$"), ">="),
    (re.compile(rf"^(?P<what>.+?)\s*(?:≤|<=|at most)\s*{NUMBER}\s*(?:s|sec|seconds|%)?$"), "<="),
)


@dataclass(frozen=True)
class Goal:
    """A target for one metric per session: `metric op target` (op is ">=" or "<=")."""

    id: int
    metric: str
    op: str
    target: float
    label: str

    def met_by(self, value: float | None) -> bool:
        if value is None or math.isnan(value):
            return False
        return value >= self.target if self.op == ">=" else value <= self.target


def parse_goal(text: str) -> tuple[str, str, float]:
    """(metric, op, target) from a goal such as "median pause ≥ 0.8 s" or "2+ reflections per call"."""
    cleaned = re.sub(r"\s+(?:per|each|every|a)\s+(?:call|session|conversation)$", "", text.strip().lower())
    for pattern, op in PATTERNS:
        match = pattern.match(cleaned)
        if match:
            metric = _metric(match["what"].strip())
            if metric:
                return metric, op, float(match["n"])
    raise StorageError(
        f"Cannot understand the goal {text!r}: write it like 'median pause ≥ 0.8 s' or '2+ reflections per call' "
        f"(known: {', '.join(sorted(set(METRIC_ALIASES)))})."
    )


def _metric(what: str) -> str | None:
    if what in METRIC_ALIASES.values():
        return what
    singular = re.sub(r"(?<=[a-z])s$", "", what)
    return METRIC_ALIASES.get(what) or METRIC_ALIASES.get(singular)


def add_goal(db: Database, rep: str, text: str) -> int:
    """Set a goal for a rep; returns its id."""
    metric, op, target = parse_goal(text)
    with writing(db):
        return db.execute(
            "INSERT INTO goals (person_id, metric, op, target, label, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [person_id(db, rep), metric, op, target, text.strip(), now_iso()],
        ).lastrowid


def list_goals(db: Database, rep: str) -> list[Goal]:
    """A rep's goals, oldest first."""
    return [
        Goal(*row)
        for row in db.execute(
            "SELECT g.id, g.metric, g.op, g.target, g.label FROM goals g JOIN people p ON p.id = g.person_id "
            "WHERE p.name = ? ORDER BY g.id",
            [rep],
        )
    ]


def remove_goal(db: Database, goal_id: int) -> None:
    """Drop a goal."""
    with writing(db):
        db.execute("DELETE FROM goals WHERE id = ?", [goal_id])
