"""`coach-app rescore --all [--rubric FILE]`: re-analyse every stored session after a rubric change."""

import argparse

from coach_app.cli.progress_line import progress_line
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.corrections import rescore_all
from coach_app.storage.db import open_db


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rescore",
        help="re-score every stored session with the current (or given) rubric",
        description="Re-analyse and re-score stored sessions; trainer corrections are kept.",
    )
    parser.add_argument("--all", action="store_true", required=True, help="every stored session")
    parser.add_argument("--rubric", metavar="FILE", help="a rubric TOML file (default: the shipped rubric)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric)
    with open_db() as db, progress_line("Rescoring") as report:
        count = rescore_all(db, rubric, on_progress=report)
    print(f"Rescored {count} sessions with rubric {rubric.version}.")
    return 0
