"""`coach-app team`: every rep's sessions, mean scores, trend and weakest skill, and the detectors' calibration."""

import argparse
import json
from datetime import date
from pathlib import Path

from coach_app.errors import CoachError
from coach_app.reports.csv_export import write_team_csv
from coach_app.storage.db import open_db
from coach_app.storage.team import Team, team_view


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "team",
        help="the whole team: each rep's scores, trend and weakest skill, and how often trainers corrected findings",
    )
    parser.add_argument("--since", metavar="DATE", help="only sessions on or after this date (YYYY-MM-DD)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print {reps, team_median, calibration} as JSON")
    output.add_argument("--csv", metavar="OUT", type=Path, help="write the rep table as CSV")
    parser.set_defaults(func=run)


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CoachError(f"--since {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.") from None


def run(args: argparse.Namespace) -> int:
    with open_db() as db:
        team = team_view(db, since=_date(args.since) if args.since else None)
    if not team.reps:
        raise CoachError(
            "No sessions stored in that period: import calls with `coach-app batch FOLDER` or widen --since."
        )
    if args.csv:
        write_team_csv(team, args.csv)
        print(f"Wrote {len(team.reps)} reps to {args.csv}.")
    elif args.json:
        print(json.dumps(team.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_team(team))
    return 0


def render_team(team: Team) -> str:
    """The rep table, then the calibration table, as aligned text."""
    keys = list(team.dimension_labels)
    header = ["Rep", "Sessions", "Overall", *(team.dimension_labels[k] for k in keys), "Trend", "Weakest vs team"]
    rows = [header]
    for rep in team.reps:
        weakest = "—"
        if rep.weakest is not None:
            weakest = f"{team.dimension_labels[rep.weakest]} ({rep.weakest_gap:+.0f})"
        rows.append(
            [
                rep.rep,
                str(rep.sessions),
                f"{rep.mean_overall:.0f}",
                *(f"{rep.dimensions[k]:.0f}" if k in rep.dimensions else "—" for k in keys),
                "—" if rep.trend is None else f"{rep.trend:+.0f}",
                weakest,
            ]
        )
    rows.append(["Team median", "", "", *(f"{team.team_median[k]:.0f}" for k in keys), "", ""])
    lines = _aligned(rows)
    if team.calibration:
        lines += ["", "Calibration (trainer corrections per kind of finding):"]
        table = [["Finding", "Found", "Marked wrong", "Added as missed"]]
        for kind in team.calibration:
            share = "" if kind.wrong_share is None else f" ({kind.wrong_share:.0%})"
            table.append(
                [
                    kind.kind.replace("_", " "),
                    str(kind.automatic),
                    f"{kind.marked_wrong}{share}",
                    str(kind.added_missed),
                ]
            )
        lines += _aligned(table)
    return "\n".join(lines)


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
