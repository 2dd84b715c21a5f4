"""The team at a glance: one row per rep (scores, trend, weakest skill against the team) and the detectors'
calibration (how often trainers marked each kind of finding wrong or added it as missed)."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class RepRow:
    """A rep over the period; `trend` is the mean overall of the later half of their sessions minus the earlier
    half (None with fewer than two); `weakest` is the dimension furthest below the team's median."""

    rep: str
    sessions: int
    mean_overall: float
    dimensions: dict[str, float]  # dimension → mean score
    trend: float | None
    weakest: str | None
    weakest_gap: float | None  # the rep's mean minus the team's median in that dimension (negative: below)

    def to_dict(self) -> dict:
        return {
            "rep": self.rep,
            "sessions": self.sessions,
            "mean_overall": round(self.mean_overall, 1),
            "dimensions": {key: round(value, 1) for key, value in self.dimensions.items()},
            "trend": None if self.trend is None else round(self.trend, 1),
            "weakest": self.weakest,
            "weakest_gap": None if self.weakest_gap is None else round(self.weakest_gap, 1),
        }


@dataclass(frozen=True)
class KindCalibration:
    """One kind of finding: how often the analysis produced it, and how often trainers disagreed."""

    kind: str
    automatic: int
    marked_wrong: int
    added_missed: int

    @property
    def wrong_share(self) -> float | None:
        return self.marked_wrong / self.automatic if self.automatic else None

    def to_dict(self) -> dict:
        share = self.wrong_share
        return {
            "kind": self.kind,
            "automatic": self.automatic,
            "marked_wrong": self.marked_wrong,
            "added_missed": self.added_missed,
            "wrong_share": None if share is None else round(share, 3),
        }


@dataclass(frozen=True)
class Team:
    since: str | None
    dimension_labels: dict[str, str]  # in rubric order
    team_median: dict[str, float]  # dimension → median of every session's score
    reps: tuple[RepRow, ...]  # by name
    calibration: tuple[KindCalibration, ...]  # most disputed first

    def to_dict(self) -> dict:
        return {
            "since": self.since,
            "dimensions": self.dimension_labels,
            "team_median": {key: round(value, 1) for key, value in self.team_median.items()},
            "reps": [row.to_dict() for row in self.reps],
            "calibration": [row.to_dict() for row in self.calibration],
        }


# Each session's effective score view: the trainer-corrected one when there is one.
SESSIONS = """WITH chosen AS (
    SELECT s.id, p.name AS rep, s.started_at, coalesce(s.corrected_overall, s.overall) AS overall,
           CASE WHEN s.corrected_overall IS NULL THEN 'automatic' ELSE 'corrected' END AS view
    FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.started_at >= ?)"""


def team_view(db: Database, since: str | None = None) -> Team:
    """Everything the team view shows for sessions started on or after `since` (all when None), read at once."""
    params = [since or ""]
    with db.atomic():  # one snapshot: a batch saving meanwhile cannot make the table disagree with itself
        sessions = db.execute(f"{SESSIONS} SELECT rep, overall FROM chosen ORDER BY rep, started_at, id", params)
        overall: dict[str, list[int]] = defaultdict(list)
        for rep, score in sessions:
            overall[rep].append(score)
        labels: dict[str, str] = {}
        scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for rep, dimension, label, score in db.execute(
            f"{SESSIONS} SELECT c.rep, sc.dimension, sc.label, sc.score FROM chosen c "
            "JOIN scores sc ON sc.session_id = c.id AND sc.view = c.view ORDER BY sc.position",
            params,
        ):
            labels.setdefault(dimension, label)
            scores[rep][dimension].append(score)
        calibration = db.execute(
            f"{SESSIONS} SELECT f.kind, sum(f.origin = 'automatic'), sum(f.origin = 'automatic' AND f.rejected), "
            "sum(f.origin = 'trainer') FROM chosen c JOIN findings f ON f.session_id = c.id GROUP BY f.kind",
            params,
        ).fetchall()
    every = defaultdict(list)
    for per_dimension in scores.values():
        for dimension, values in per_dimension.items():
            every[dimension].extend(values)
    median = {dimension: float(statistics.median(every[dimension])) for dimension in labels}
    reps = tuple(_row(rep, overall[rep], scores[rep], median) for rep in sorted(overall))
    kinds = sorted(
        (KindCalibration(kind, auto, wrong, added) for kind, auto, wrong, added in calibration),
        key=lambda k: (-(k.marked_wrong + k.added_missed), -(k.wrong_share or 0), k.kind),
    )
    return Team(since, labels, median, reps, tuple(kinds))


def _row(rep: str, overall: list[int], scores: dict[str, list[int]], median: dict[str, float]) -> RepRow:
    means = {dimension: statistics.fmean(values) for dimension, values in scores.items()}
    half = len(overall) // 2
    trend = statistics.fmean(overall[-half:]) - statistics.fmean(overall[:half]) if half else None
    gaps = {dimension: mean - median[dimension] for dimension, mean in means.items()}
    weakest = min(gaps, key=lambda d: (gaps[d], means[d]), default=None)
    return RepRow(
        rep,
        len(overall),
        statistics.fmean(overall),
        means,
        trend,
        weakest,
        None if weakest is None else gaps[weakest],
    )
