"""`coach-app progress`: a rep's trends, bests, streaks, goals and most-missed findings, with charts and reports."""

import argparse
import json
from pathlib import Path

from coach_app.cli.arguments import iso_date
from coach_app.errors import StorageError
from coach_app.files import write_private
from coach_app.reports.charts import behaviour_figure, radar_figure, save_figure, trend_figure
from coach_app.reports.html import progress_report_html
from coach_app.reports.pdf import progress_report_pdf
from coach_app.storage.db import open_db
from coach_app.storage.goals import add_goal
from coach_app.storage.progress import Progress, rep_progress
from coach_app.storage.sessions import latest_rep, list_sessions


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "progress",
        help="show a rep's progress: trends, personal bests, streaks, goals",
        description="Summarise a rep's stored sessions; optionally write charts (--png) or a report (--html/--pdf).",
    )
    parser.add_argument("--rep", help="whose progress (default: the rep of the latest session)")
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="only sessions from this date (YYYY-MM-DD)")
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="only sessions before this date (YYYY-MM-DD)")
    parser.add_argument("--scenario", metavar="ID", help="only calls practised with this scenario")
    parser.add_argument("--goal", metavar="TEXT", help="add a goal first, e.g. 'median pause ≥ 0.8 s'")
    parser.add_argument("--png", metavar="DIR", type=Path, help="write trend, radar and behaviour charts here")
    parser.add_argument("--html", metavar="OUT", help="write a progress report as self-contained HTML")
    parser.add_argument("--pdf", metavar="OUT", help="write a progress report as PDF")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_db() as db:
        rep = args.rep or latest_rep(db)
        if rep is None:
            raise StorageError("No sessions stored yet: save one with `coach-app analyze TRANSCRIPT.json --save`.")
        if args.goal:
            add_goal(db, rep, args.goal)
        with db.atomic():  # the summary and the session list from one snapshot
            progress = rep_progress(db, rep, since=args.since, until=args.until, scenario=args.scenario)
            summaries = list_sessions(db, rep=rep, since=args.since, until=args.until)
    if not progress.session_ids and not args.goal:
        raise StorageError(
            f"No stored sessions for rep {rep!r} in that period: check the name with `coach-app sessions list`."
        )
    period = f"{args.since or 'first session'} to {args.until or 'now'}"
    if args.html:
        write_private(args.html, progress_report_html(progress, summaries, period).encode("utf-8"))
    if args.pdf:
        progress_report_pdf(progress, summaries, period, args.pdf)
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)
        for name, figure in (("trend", trend_figure), ("radar", radar_figure), ("behaviours", behaviour_figure)):
            save_figure(figure(progress), args.png / f"{name}.png")
    print(json.dumps(progress.to_dict(), indent=2, ensure_ascii=False) if args.json else _text(progress))
    return 0


def _text(progress: Progress) -> str:
    info = progress.to_dict()
    lines = [f"Progress of {progress.rep}: {info['sessions']} sessions, latest overall {info['latest_overall']}"]
    lines.append(f"Practice streak: {progress.current_streak_days} days (longest {progress.longest_streak_days})")
    if progress.weakest_this_week:
        key, mean = progress.weakest_this_week
        lines.append(f"Weakest this week: {progress.dimension_labels.get(key, key)} (mean {mean:.0f})")
    lines.append("Personal bests:")
    for key, (score, session_id) in progress.personal_bests.items():
        label = "Overall" if key == "overall" else progress.dimension_labels.get(key, key)
        lines.append(f"  {label}: {score} (session {session_id})")
    for g in progress.goals:
        state = "met" if g.met_latest else "not yet"
        lines.append(f"Goal '{g.goal.label}': {state} last time; met in {g.met_recent} of the last {g.recent}")
    if progress.most_missed:
        missed = ", ".join(f"{kind.replace('_', ' ')} ({n})" for kind, n in progress.most_missed)
        lines.append(f"Most often missed (trainer-added): {missed}")
    return "\n".join(lines)
