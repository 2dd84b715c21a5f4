"""A rep's progress: score trends, personal bests, streaks, weakest skill this week, goals, most-missed findings."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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
    """Series are aligned with `session_ids`, oldest first; dimension series hold None where a score is missing."""

    rep: str
    session_ids: tuple[int, ...]
    started_at: tuple[datetime, ...]
    overall: tuple[int, ...]
    dimension_labels: dict[str, str]
    dimensions: dict[str, tuple[int | None, ...]]
    behaviours: dict[str, tuple[float | None, ...]]
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


EFFECTIVE_VIEW = "CASE WHEN s.corrected_overall IS NULL THEN 'automatic' ELSE 'corrected' END"


def rep_progress(
    db: Database, rep: str, since: str | None = None, until: str | None = None, today: date | None = None
) -> Progress:
    """Everything the progress view shows for one rep, optionally limited to `since` ≤ started_at < `until`."""
    today = today or date.today()
    where, params = "p.name = ?", [rep]
    if since:
        where += " AND s.started_at >= ?"
        params.append(since)
    if until:
        where += " AND s.started_at < ?"
        params.append(until)

    def select(columns: str, join: str = "", tail: str = "", extra: tuple = ()):
        sql = f"SELECT {columns} FROM sessions s JOIN people p ON p.id = s.person_id {join} WHERE {where} {tail}"
        return db.execute(sql, [*params, *extra])

    rows = select("s.id, s.started_at, coalesce(s.corrected_overall, s.overall)", tail="ORDER BY s.started_at, s.id")
    rows = rows.fetchall()
    position = {row[0]: i for i, row in enumerate(rows)}
    ids = tuple(row[0] for row in rows)
    started = tuple(datetime.fromisoformat(row[1]) for row in rows)
    overall = tuple(row[2] for row in rows)
    labels: dict[str, str] = {}
    dims: dict[str, list[int | None]] = {}
    scores = select(
        "s.id, sc.dimension, sc.label, sc.score",
        join=f"JOIN scores sc ON sc.session_id = s.id AND sc.view = {EFFECTIVE_VIEW}",
        tail="ORDER BY sc.position",
    )
    for session_id, dimension, label, value in scores:
        labels.setdefault(dimension, label)
        dims.setdefault(dimension, [None] * len(ids))[position[session_id]] = value
    goals = list_goals(db, rep)
    wanted = sorted(set(BEHAVIOUR_METRICS) | {g.metric for g in goals})
    metrics: dict[str, list[float | None]] = {name: [None] * len(ids) for name in wanted}
    values = select(
        "s.id, m.name, m.value",
        join=f"JOIN metrics m ON m.session_id = s.id AND m.view = {EFFECTIVE_VIEW}",
        tail=f"AND m.name IN ({', '.join('?' * len(wanted))})",
        extra=tuple(wanted),
    )
    for session_id, name, value in values:
        metrics[name][position[session_id]] = value
    missed = select(
        "f.kind, count(*)",
        join="JOIN findings f ON f.session_id = s.id",
        tail="AND f.origin = 'trainer' GROUP BY f.kind ORDER BY count(*) DESC, f.kind LIMIT 5",
    ).fetchall()
    current, longest = _streaks({d.astimezone().date() for d in started}, today)
    return Progress(
        rep=rep,
        session_ids=ids,
        started_at=started,
        overall=overall,
        dimension_labels=labels,
        dimensions={k: tuple(v) for k, v in dims.items()},
        behaviours={k: tuple(metrics[k]) for k in BEHAVIOUR_METRICS},
        personal_bests=_bests(ids, overall, dims),
        current_streak_days=current,
        longest_streak_days=longest,
        weakest_this_week=_weakest(started, dims, today),
        goals=tuple(_goal_progress(g, metrics[g.metric]) for g in goals),
        most_missed=tuple((kind, n) for kind, n in missed),
    )


def _bests(ids, overall, dims) -> dict[str, tuple[int, int]]:
    bests: dict[str, tuple[int, int]] = {}
    for key, series in [("overall", list(overall)), *dims.items()]:
        scored = [(value, -i) for i, value in enumerate(series) if value is not None]
        if scored:
            value, neg_index = max(scored)  # the earliest session reaching the best score
            bests[key] = (value, ids[-neg_index])
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


def _weakest(started, dims, today: date) -> tuple[str, float] | None:
    week_start = today - timedelta(days=6)
    recent = [i for i, moment in enumerate(started) if week_start <= moment.astimezone().date() <= today]
    means = []
    for key, series in dims.items():
        values = [series[i] for i in recent if series[i] is not None]
        if values:
            means.append((sum(values) / len(values), key))
    if not means:
        return None
    mean, key = min(means)
    return key, mean


def _goal_progress(goal: Goal, series: list[float | None]) -> GoalProgress:
    recent = series[-RECENT_SESSIONS:]
    latest = series[-1] if series else None
    return GoalProgress(goal, latest, sum(goal.met_by(v) for v in recent), len(recent))
