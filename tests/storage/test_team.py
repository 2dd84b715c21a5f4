"""The team view: per-rep means, trend and weakest dimension against the team, and finding calibration."""

import csv
import json
import statistics
from dataclasses import replace
from pathlib import Path

import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.analysis import analyze
from coach_app.cli import main
from coach_app.core import Finding
from coach_app.storage.corrections import add_missed_finding, reject_finding
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, save_session
from coach_app.storage.team import team_view
from coach_app.transcript_io import load_transcript


@pytest.fixture
def db(coach_home):
    database = open_db()
    yield database
    database.close()


def _save(db, rep: str, overall: int, day: int) -> int:
    transcript = make_transcript()
    return save_session(
        db,
        transcript,
        make_scorecard(transcript, overall=overall),
        rep,
        "call",
        started_at=f"2026-03-{day:02d}T10:00:00",
    )


def test_rows_give_means_trend_and_weakest_against_the_team_median(db):
    """Ana improves (60→80), Ben is flat at 70; means, halves-based trend and gaps follow from the scores."""
    for day, score in enumerate((60, 60, 80, 80), start=1):
        _save(db, "Ana", score, day)
    for day in range(1, 4):
        _save(db, "Ben", 70, day)
    team = team_view(db)
    ana, ben = team.reps
    assert (ana.rep, ana.sessions, ana.mean_overall, ana.trend) == ("Ana", 4, 70, 20)
    assert (ben.rep, ben.sessions, ben.mean_overall, ben.trend) == ("Ben", 3, 70, 0)
    assert list(team.dimension_labels) == ["empathy", "questioning", "turn_taking"]
    # make_scorecard: empathy = overall + 5, questioning = overall, turn-taking = overall - 10
    assert team.team_median["questioning"] == statistics.median([60, 60, 80, 80, 70, 70, 70])
    assert ana.dimensions == {"empathy": 75, "questioning": 70, "turn_taking": 60}
    assert ana.weakest_gap == min(ana.dimensions[d] - team.team_median[d] for d in ana.dimensions)
    assert ana.weakest == "turn_taking"  # every gap is 0 here: the lowest mean breaks the tie
    assert team_view(db, since="2026-03-03").reps[0].sessions == 2


def test_corrected_scores_count_and_calibration_shows_trainer_disagreement(db):
    """A trainer's corrections change the rep's mean, and the calibration counts wrong and missed findings."""
    sample = load_transcript(Path(__file__).resolve().parents[2] / "data" / "samples" / "birthday_gift_good.json")
    session_id = save_session(db, sample, analyze(sample), "Cleo", "gift")
    stored = load_session(db, session_id)
    empathy = next(f for f in stored.findings if f.finding.kind == "empathy")
    reject_finding(db, empathy.id, author="Tess")
    add_missed_finding(db, session_id, _reflection(stored), author="Tess")
    team = team_view(db)
    (cleo,) = team.reps
    assert cleo.mean_overall == load_session(db, session_id).summary.overall
    kinds = {k.kind: k for k in team.calibration}
    automatic_empathy = sum(f.finding.kind == "empathy" for f in stored.findings)
    assert (kinds["empathy"].automatic, kinds["empathy"].marked_wrong) == (automatic_empathy, 1)
    assert kinds["empathy"].wrong_share == pytest.approx(1 / automatic_empathy)
    assert kinds["reflection"].added_missed == 1
    assert team.calibration[0].kind in ("empathy", "reflection")


def _reflection(stored) -> Finding:
    turn_index = next(i for i, t in enumerate(stored.transcript.turns) if t.speaker == "rep")
    turn = stored.transcript.turns[turn_index]
    return Finding("reflection", turn_index, turn.start_s, turn.end_s, turn.text[:20], "restated", "keep it up")


def test_team_cli_prints_table_json_and_csv(db, tmp_path, capsys):
    """`coach-app team` prints a table with the team median, --json the rows, --csv a spreadsheet file."""
    _save(db, "Ana", 60, 1)
    _save(db, "Ana", 80, 2)
    assert main(["team"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[1].split()[:3] == ["Ana", "2", "70"] and "Team median" in text
    assert main(["team", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reps"][0] == {**data["reps"][0], "rep": "Ana", "sessions": 2, "mean_overall": 70.0, "trend": 20.0}
    out = tmp_path / "team.csv"
    assert main(["team", "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["rep"] == "Ana" and rows[0]["questioning"] == "70.0"


def test_team_cli_bad_date_and_empty_period_are_clear_errors(db, capsys):
    """A malformed --since and a period without sessions give one-line errors and status 2."""
    _save(db, "Ana", 60, 1)
    assert main(["team", "--since", "March"]) == 2
    assert "not a date: write it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["team", "--since", "2030-01-01"]) == 2
    assert "No sessions stored in that period" in capsys.readouterr().err


def test_weakest_is_the_dimension_furthest_below_the_team_median(db):
    """Dee is strong overall but far below the team in questioning: that is her weakest, with the gap."""
    for rep, questioning in (("Ana", 70), ("Ben", 72), ("Dee", 40)):
        transcript = make_transcript()
        card = make_scorecard(transcript, overall=80)
        dims = tuple(replace(d, score=questioning) if d.dimension == "questioning" else d for d in card.dimensions)
        save_session(db, transcript, replace(card, dimensions=dims), rep, "call")
    dee = next(r for r in team_view(db).reps if r.rep == "Dee")
    assert (dee.weakest, dee.weakest_gap) == ("questioning", 40 - 70)
