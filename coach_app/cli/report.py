"""`coach-app report SESSION (--html OUT | --pdf OUT)`: a shareable session report."""

import argparse

from coach_app.cli.arguments import session_id
from coach_app.files import write_private
from coach_app.reports.html import session_report_html
from coach_app.reports.pdf import session_report_pdf
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a session report (scorecard, findings, comments, charts, transcript)",
        description="Write a stored session's report as self-contained HTML or as PDF.",
    )
    parser.add_argument("session", type=session_id, metavar="SESSION", help="session id (see `sessions list`)")
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("--html", metavar="OUT", help="write self-contained HTML here")
    out.add_argument("--pdf", metavar="OUT", help="write a PDF here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_db() as db:
        stored = load_session(db, args.session)
    if args.html:
        write_private(args.html, session_report_html(stored).encode("utf-8"))
    else:
        session_report_pdf(stored, args.pdf)
    print(f"Wrote the report of session {args.session} to {args.html or args.pdf}.")
    return 0
