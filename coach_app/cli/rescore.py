"""`coach-app rescore --all [--rubric FILE]`: re-analyse every stored session after a rubric change."""

import argparse
import sys

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

    def show(fraction: float, message: str) -> None:
        print(f"\r{message} ({fraction:.0%})", end="", file=sys.stderr, flush=True)

    count = rescore_all(open_db(), rubric, on_progress=show if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Rescored {count} sessions with rubric {rubric.version}.")
    return 0
