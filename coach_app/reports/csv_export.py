"""CSV export of sessions and their scores (one row per session, one column per dimension)."""

import csv
import io
import os
from collections.abc import Sequence

from sqlite_utils import Database

from coach_app.files import write_private
from coach_app.storage.records import SessionSummary
from coach_app.storage.team import Team

FIXED_COLUMNS = (
    "id",
    "started_at",
    "rep",
    "title",
    "scenario",
    "source",
    "duration_s",
    "rubric_version",
    "overall",
    "automatic_overall",
)


def sessions_csv(db: Database, summaries: Sequence[SessionSummary]) -> str:
    """CSV text: the summary columns, then each dimension's score as shown (corrected when corrected)."""
    scores: dict[int, dict[str, int]] = {}
    dimensions: dict[str, None] = {}
    wanted = {s.id for s in summaries}
    for session_id, dimension, value in db.execute(
        "SELECT sc.session_id, sc.dimension, sc.score FROM scores sc JOIN sessions s ON s.id = sc.session_id "
        "WHERE sc.view = CASE WHEN s.corrected_overall IS NULL THEN 'automatic' ELSE 'corrected' END "
        "ORDER BY sc.position"
    ):
        if session_id in wanted:
            dimensions.setdefault(dimension)
            scores.setdefault(session_id, {})[dimension] = value
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*FIXED_COLUMNS, *dimensions])
    for s in summaries:
        row = s.to_dict()
        writer.writerow([row[c] for c in FIXED_COLUMNS] + [scores.get(s.id, {}).get(d, "") for d in dimensions])
    return out.getvalue()


def write_sessions_csv(db: Database, summaries: Sequence[SessionSummary], path: str | os.PathLike) -> None:
    """Write `sessions_csv` to a file (UTF-8 with BOM so spreadsheet apps detect the encoding)."""
    write_private(path, sessions_csv(db, summaries).encode("utf-8-sig"))


def write_team_csv(team: Team, path: str | os.PathLike) -> None:
    """The team table as CSV: one row per rep, each dimension's mean score, trend and weakest dimension."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rep", "sessions", "mean_overall", *team.dimension_labels, "trend", "weakest", "weakest_gap"])
    for row in team.reps:
        values = row.to_dict()
        dimensions = [values["dimensions"].get(key, "") for key in team.dimension_labels]
        tail = [values[key] for key in ("trend", "weakest", "weakest_gap")]
        writer.writerow(
            [row.rep, row.sessions, values["mean_overall"], *dimensions, *("" if v is None else v for v in tail)]
        )
    write_private(path, out.getvalue().encode("utf-8-sig"))
