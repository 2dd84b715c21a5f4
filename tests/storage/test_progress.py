"""Per-rep progress: trends, personal bests, streaks, weakest skill this week, goals and most-missed findings."""

from datetime import date

import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.core import Finding
from coach_app.errors import StorageError
from coach_app.storage.corrections import add_missed_finding
from coach_app.storage.db import open_db
from coach_app.storage.goals import add_goal, parse_goal
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import save_session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("median pause ≥ 0.8 s", ("median_response_latency_s", ">=", 0.8)),
        ("2+ reflections per call", ("reflections", ">=", 2.0)),
        ("at most 1 interruption per call", ("interruptions", "<=", 1.0)),
        ("open_questions >= 3", ("open_questions", ">=", 3.0)),
    ],
)
def test_goals_are_parsed_from_plain_words(text, expected):
    """Goals written the way trainers say them map to a metric, a direction and a target."""
    assert parse_goal(text) == expected


def test_unknown_goal_is_explained():
    """A goal naming no known behaviour is refused with examples of what works."""
    with pytest.raises(StorageError, match="median pause ≥ 0.8 s"):
        parse_goal("be nicer")


def test_progress_summarises_a_reps_history(tmp_path):
    """Trends, bests, streaks, weakest dimension, goals and most-missed kinds come from the stored sessions."""
    db = open_db(tmp_path / "coach.db")
    t = make_transcript(6)
    days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-10", "2026-11-11", "2026-11-12"]
    overall = [40, 55, 50, 60, 70, 65]
    ids = [
        save_session(db, t, make_scorecard(t, score, reflections=i % 3), "Sam", f"s{i}", started_at=f"{day}T12:00:00")
        for i, (day, score) in enumerate(zip(days, overall, strict=True))
    ]
    save_session(db, t, make_scorecard(t, 99), "Ana", "other rep", started_at="2026-11-12T12:00:00")
    add_goal(db, "Sam", "2+ reflections per call")
    add_goal(db, "Sam", "median pause ≥ 0.8 s")
    for session_id in ids[:2]:
        add_missed_finding(db, session_id, Finding("summary", 1, 3.0, 6.0, "so to recap", "missed", "recap"))
    add_missed_finding(db, ids[2], Finding("empathy", 1, 3.0, 6.0, "that sounds hard", "missed", "name it"))

    progress = rep_progress(db, "Sam", today=date(2026, 11, 13))
    assert progress.session_ids == tuple(ids)
    assert progress.overall[3:] == (60, 70, 65)  # untouched sessions keep their automatic scores
    assert progress.personal_bests["overall"] == (70, ids[4])
    assert progress.dimensions["turn_taking"][-1] == 55
    assert (progress.current_streak_days, progress.longest_streak_days) == (3, 3)
    assert progress.weakest_this_week[0] == "turn_taking"
    reflections, pause = progress.goals
    # Session 2 was corrected, so its count follows its findings (one reflection) and misses the goal.
    assert (reflections.latest_value, reflections.met_latest, reflections.met_recent) == (2, True, 1)
    assert (pause.met_recent, pause.recent) == (0, 6)
    assert progress.most_missed == (("summary", 2), ("empathy", 1))
    assert rep_progress(db, "Sam", since="2026-11-10", today=date(2026, 11, 13)).session_ids == tuple(ids[3:])
    assert rep_progress(db, "Sam", today=date(2026, 11, 20)).current_streak_days == 0
    db.close()


def test_a_session_saved_while_progress_is_read_does_not_break_it(tmp_path):
    """Progress reads one snapshot: a session another connection saves between its queries is left for next time."""
    path = tmp_path / "coach.db"
    t = make_transcript(4)
    with open_db(path) as db:
        first = save_session(db, t, make_scorecard(t, 50), "Sam", "first", started_at="2026-11-01T12:00:00")
    saved = []

    def save_between_queries(statement: str) -> None:
        if "group_concat(sc.score)" in statement and not saved:  # the second of the view's queries
            with open_db(path) as other:
                saved.append(save_session(other, t, make_scorecard(t, 80), "Sam", "meanwhile"))

    with open_db(path) as db:
        db.conn.set_trace_callback(save_between_queries)
        progress = rep_progress(db, "Sam")
        db.conn.set_trace_callback(None)
        assert saved, "the other connection's save ran between the queries"
        assert progress.session_ids == (first,) and progress.overall == (50,)
        assert len(progress.dimensions["turn_taking"]) == 1
        assert rep_progress(db, "Sam").session_ids == (first, saved[0])
