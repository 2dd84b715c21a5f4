"""`coach-app` command line: results go to stdout, messages to stderr, user errors exit with status 2."""

import argparse
import os
import sys
from collections.abc import Sequence

from coach_app import __version__
from coach_app.errors import CoachError

# Each module adds its subcommands with `register(subparsers)` and sets `func=run(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "models",
    "scenarios",
    "evaluate",
    "practice",
    "analyze",
    "transcribe",
    "record",
    "sessions",
    "progress",
    "report",
    "bundle",
    "rescore",
    "batch",
    "team",
    "screenshots",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach-app",
        description="Listening Coach: practise customer conversations and get evidence-backed feedback "
        "on active listening, fully offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = __import__(f"coach_app.cli.{name}", fromlist=["register"])
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return _open_app()
        return func(args) or 0
    except CoachError as exc:
        print(f"coach-app: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("coach-app: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`coach-app … | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a file or folder the user named cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"coach-app: {where}{exc.strerror or exc}; check the path and its permissions.", file=sys.stderr)
        return 2


def _open_app() -> int:
    """No subcommand: open the desktop app (Qt is imported only here, so subcommands work without a display)."""
    from coach_app.ui.app import run_app

    return run_app()
