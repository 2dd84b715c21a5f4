"""A rep's progress: score trends, personal bests, streaks, weakest skill this week, goals, most-missed findings."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlite_utils import Database

from coach_app.storage.goals import Goal, list_goals

# Behaviours whose per-session counts are charted over time.
BEHAVIOUR_METRICS: tuple[str, ...] = (
    "open_questions",
    "reflections",
    "empathy_statements",
    "interruptions",
    "judgemental_phrases",
)
RECENT_SESSIONS = 10  # goals are judged on this many latest sessions


@dataclass(frozen=True)
class GoalProgress:
    """How a goal stands: the latest value, and how many of the recent sessions met it."""

    goal: Goal
    latest_value: float | None
    met_recent: int
    recent: int

    @property
    def met_latest(self) -> bool:
        return self.goal.met_by(self.latest_value)


@dataclass(frozen=True)
class Progress:
    """A rep's history; every series is aligned with `session_ids`, oldest first."""

    rep: str
    session_ids: tuple[int, ...]
    started_at: tuple[datetime, ...]
    overall: tuple[int, ...]
    dimension_labels: dict[str, str]
    dimensions: dict[str, np.ndarray]  # float scores, NaN where a session has no score for the dimension
    behaviours: dict[str, np.ndarray]  # float counts per session, NaN where unknown
    personal_bests: dict[str, tuple[int, int]] = field(default_factory=dict)  # key → (score, session id)
    current_streak_days: int = 0
    longest_streak_days: int = 0
    weakest_this_week: tuple[str, float] | None = None  # (dimension, mean score)
    goals: tuple[GoalProgress, ...] = ()
    most_missed: tuple[tuple[str, int], ...] = ()  # (finding kind, times a trainer added it)

    def to_dict(self) -> dict:
        return {
            "rep": self.rep,
            "sessions": len(self.session_ids),
            "latest_overall": self.overall[-1] if self.overall else None,
            "personal_bests": {k: {"score": s, "session_id": i} for k, (s, i) in self.personal_bests.items()},
            "current_streak_days": self.current_streak_days,
            "longest_streak_days": self.longest_streak_days,
            "weakest_this_week": (
                {"dimension": self.weakest_this_week[0], "mean_score": round(self.weakest_this_week[1], 1)}
                if self.weakest_this_week
                else None
            ),
            "goals": [
                {
                    "goal": g.goal.label,
                    "metric": g.goal.metric,
                    "op": g.goal.op,
                    "target": g.goal.target,
                    "latest_value": g.latest_value,
                    "met_latest": g.met_latest,
                    "met_recent": g.met_recent,
                    "recent": g.recent,
                }
                for g in self.goals
            ],
            "most_missed": [{"kind": k, "count": n} for k, n in self.most_missed],
        }


def rep_progress(
    db: Database,
    rep: str,
    since: str | None = None,
    until: str | None = None,
    today: date | None = None,
    scenario: str | None = None,
) -> Progress:
    """Everything the progress view shows for one rep, optionally limited to `since` ≤ started_at < `until`
    and to one practice scenario; read in one transaction."""
    today = today or date.today()
    where, params = "p.name = ?", [rep]
    if scenario:
        where += " AND s.scenario = ?"
        params.append(scenario)
    if since:
        where += " AND s.started_at >= ?"
        params.append(since)
    if until:
        where += " AND s.started_at < ?"
        params.append(until)
    # The rep's sessions in time order, each with its position and the score view to use (corrected if any).
    mine = f"""WITH mine AS (
        SELECT s.id, s.started_at, coalesce(s.corrected_overall, s.overall) AS overall,
               CASE WHEN s.corrected_overall IS NULL THEN 'automatic' ELSE 'corrected' END AS view,
               row_number() OVER (ORDER BY s.started_at, s.id) - 1 AS pos
        FROM sessions s JOIN people p ON p.id = s.person_id WHERE {where})"""
    with db.atomic():  # one snapshot: a session saved meanwhile must not misalign the series
        rows = db.execute(f"{mine} SELECT id, started_at, overall FROM mine ORDER BY pos", params).fetchall()
        ids = tuple(row[0] for row in rows)
        started = tuple(datetime.fromisoformat(row[1]) for row in rows)
        overall = tuple(row[2] for row in rows)
        # One row per dimension or metric with its values as text, so 5,000 sessions cost a few rows, not 40,000.
        labels: dict[str, str] = {}
        dims: dict[str, np.ndarray] = {}
        for dimension, label, positions, values in db.execute(
            f"{mine} SELECT sc.dimension, min(sc.label), group_concat(m.pos), group_concat(sc.score) FROM mine m "
            "JOIN scores sc ON sc.session_id = m.id AND sc.view = m.view "
            "GROUP BY sc.dimension ORDER BY min(sc.position)",
            params,
        ):
            labels[dimension] = label
            dims[dimension] = _series(len(ids), positions, values)
        goals = list_goals(db, rep)
        wanted = sorted(set(BEHAVIOUR_METRICS) | {g.metric for g in goals})
        metrics = {name: np.full(len(ids), np.nan) for name in wanted}
        for name, positions, values in db.execute(
            f"{mine} SELECT mt.name, group_concat(m.pos), group_concat(coalesce(mt.value, 'nan')) FROM mine m "
            "JOIN metrics mt ON mt.session_id = m.id AND mt.view = m.view "
            f"WHERE mt.name IN ({', '.join('?' * len(wanted))}) GROUP BY mt.name",
            [*params, *wanted],
        ):
            metrics[name] = _series(len(ids), positions, values)
        missed = db.execute(
            f"{mine} SELECT f.kind, count(*) FROM mine m JOIN findings f ON f.session_id = m.id "
            "WHERE f.origin = 'trainer' GROUP BY f.kind ORDER BY count(*) DESC, f.kind LIMIT 5",
            params,
        ).fetchall()
    offset = datetime.now().astimezone().utcoffset()  # stored times are UTC; days are the user's local days
    days = [(moment + offset).date() if moment.tzinfo else moment.date() for moment in started]
    current, longest = _streaks(set(days), today)
    return Progress(
        rep=rep,
        session_ids=ids,
        started_at=started,
        overall=overall,
        dimension_labels=labels,
        dimensions=dims,
        behaviours={k: metrics[k] for k in BEHAVIOUR_METRICS},
        personal_bests=_bests(ids, overall, dims),
        current_streak_days=current,
        longest_streak_days=longest,
        weakest_this_week=_weakest(days, dims, today),
        goals=tuple(_goal_progress(g, metrics[g.metric]) for g in goals),
        most_missed=tuple((kind, n) for kind, n in missed),
    )


def _series(length: int, positions: str, values: str) -> np.ndarray:
    """Values at their sessions' positions; NaN where a session has none."""
    series = np.full(length, np.nan)
    series[np.array(positions.split(","), dtype=int)] = np.array(values.split(","), dtype=float)
    return series


def _bests(ids, overall, dims) -> dict[str, tuple[int, int]]:
    """Each series' best score and the first session that reached it."""
    bests: dict[str, tuple[int, int]] = {}
    for key, series in [("overall", overall), *dims.items()]:
        values = np.array(series, dtype=float)  # None becomes NaN
        if len(values) and not np.isnan(values).all():
            best = int(np.nanargmax(values))
            bests[key] = (int(values[best]), ids[best])
    return bests


def _streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive practice days; today without practice yet doesn't break a run."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def _weakest(days: list[date], dims: dict[str, np.ndarray], today: date) -> tuple[str, float] | None:
    week_start = today - timedelta(days=6)
    recent = [i for i, day in enumerate(days) if week_start <= day <= today]
    means = []
    for key, series in dims.items():
        values = series[recent]
        values = values[~np.isnan(values)]
        if len(values):
            means.append((float(values.mean()), key))
    if not means:
        return None
    mean, key = min(means)
    return key, mean


def _goal_progress(goal: Goal, series: np.ndarray) -> GoalProgress:
    recent = series[-RECENT_SESSIONS:]
    latest = float(series[-1]) if len(series) and not np.isnan(series[-1]) else None
    return GoalProgress(goal, latest, sum(goal.met_by(float(v)) for v in recent), len(recent))
