"""`coach-app batch PATH...`: score a folder of recordings on every core (or a Dask cluster), resumable."""

import argparse
import json
import sys
import threading
from pathlib import Path

from coach_app.batch.runner import BatchReport, plan, process_batch
from coach_app.settings import load_settings
from coach_app.storage.batches import BatchItem, batch_items
from coach_app.storage.db import open_db
from coach_app.storage.sessions import latest_rep

DEFAULT_REP = "Me"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="import and score many recordings or transcripts in parallel; a rerun resumes",
        description="Transcribe, score and save every recording (WAV, FLAC, OGG, MP3) and transcript (.json) "
        "named or inside the folders named. Rerunning the same command skips files already imported (by "
        "checksum) and retries those that failed. Exits 1 when some files failed.",
    )
    parser.add_argument("paths", metavar="PATH", nargs="+", type=Path, help="files or folders (searched recursively)")
    reps = parser.add_mutually_exclusive_group()
    reps.add_argument("--rep", help="the rep of every file (default: the rep of the latest session)")
    reps.add_argument(
        "--rep-from",
        metavar="REGEX",
        help="read each file's rep from its path: the first group of REGEX (or the whole match), "
        "e.g. '([^/]+)/[^/]+$' for the folder name",
    )
    parser.add_argument("--tag", action="append", default=[], help="tag every saved session (repeat for several)")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default: one per core, fewer when memory is short)"
    )
    parser.add_argument("--cluster", metavar="ADDRESS", help="score on a Dask cluster, e.g. tcp://host:8786")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file instead of a line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_db() as db:
        settings = load_settings(db)
        default_rep = settings.rep_name or latest_rep(db) or DEFAULT_REP
    status = _Status()
    cancel = threading.Event()
    batch_id = plan(
        args.paths,
        rep=args.rep,
        rep_from=args.rep_from,
        tags=args.tag,
        default_rep=default_rep,
        on_progress=status.progress,
        cancel=cancel,
    )

    def show(item: BatchItem, overall: int | None) -> None:
        status.clear()
        if args.json:
            print(json.dumps({**item.to_dict(), "overall": overall}, ensure_ascii=False), flush=True)
        else:
            print(_line(item, overall), flush=True)

    with open_db() as db:
        planned = batch_items(db, batch_id)
    for item in planned:
        if item.state != "queued":
            show(item, None)
    report = process_batch(
        batch_id,
        settings,
        workers=args.workers,
        cluster=args.cluster,
        on_item=show,
        on_progress=status.progress,
        cancel=cancel,
    )
    status.clear()
    _summary(report)
    return 1 if report.count("failed") else 0


def _line(item: BatchItem, overall: int | None) -> str:
    if item.state == "done":
        saved = f"saved    {item.path}  → session {item.session_id} for {item.rep}, overall {overall}/100"
        return "\n".join([saved, *(f"         Note: {note}" for note in item.notes)])
    return f"{item.state:<8} {item.path}: {item.error}"


def _summary(report: BatchReport) -> None:
    """Counts, the saved files whose transcript needs checking, then every failed file with its reason (on
    stderr, so --json output stays one object per line)."""
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("done", "skipped", "failed"))
    workers = f" with {report.workers} worker{'s' if report.workers != 1 else ''}" if report.workers else ""
    print(f"Batch {report.batch_id}: {counts} in {report.elapsed_s:.0f} s{workers}.", file=sys.stderr)
    noted = [item for item in report.items if item.notes]
    if noted:
        print("Saved with notes on how they were transcribed (check them in Review):", file=sys.stderr)
        for item in noted:
            print(f"  {item.path}: session {item.session_id}, {'; '.join(item.notes)}", file=sys.stderr)
    failed = [item for item in report.items if item.state == "failed"]
    if failed:
        print("Failed (fix them and run the same command again to retry):", file=sys.stderr)
        for item in failed:
            print(f"  {item.path}: {item.error}", file=sys.stderr)


class _Status:
    """The one redrawn progress line on stderr, cleared before each file's line is printed."""

    def __init__(self) -> None:
        self.shown = False

    def progress(self, fraction: float, message: str) -> None:
        sys.stderr.write(f"\rBatch: {int(fraction * 100):3d}% ({message[:90]})".ljust(110))
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 110 + "\r")
            sys.stderr.flush()
            self.shown = False
