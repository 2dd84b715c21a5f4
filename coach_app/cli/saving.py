"""`coach-app analyze … --save`: store the analysed conversation in the sessions library and print its id."""

import argparse
import json
import sys
from pathlib import Path

from coach_app.core import Scorecard, Transcript
from coach_app.storage.db import open_db
from coach_app.storage.sessions import latest_rep, save_session
from coach_app.transcript_io import load_transcript

DEFAULT_REP = "Me"


def add_save_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--save", action="store_true", help="store the session in the library and print its id")
    parser.add_argument("--rep", help="with --save: the rep's name (default: the rep of the latest session)")
    parser.add_argument("--title", help="with --save: a title (default: the transcript's file name)")
    parser.add_argument("--audio", metavar="FILE", help="with --save: the recording to keep with the session")
    parser.add_argument("--scenario", help="with --save: the practice scenario's id")
    parser.add_argument("--tag", action="append", default=[], help="with --save: a tag (repeat for several)")


def save_analyzed(args: argparse.Namespace, scorecard: Scorecard, transcript: Transcript | None = None) -> int:
    """Store the transcript and scorecard; stdout gets only the id (or {"session_id": id} with --json)."""
    title = args.title or Path(args.transcript).stem.replace("_", " ")
    source = "practice" if args.scenario else "imported_call"
    transcript = transcript or load_transcript(args.transcript)
    with open_db() as db:
        rep = args.rep or latest_rep(db) or DEFAULT_REP
        session_id = save_session(
            db, transcript, scorecard, rep, title, args.audio, args.scenario, source, tags=tuple(args.tag)
        )
    print(json.dumps({"session_id": session_id}) if args.json else session_id)
    print(f"Saved session {session_id} for {rep} (overall {scorecard.overall}/100).", file=sys.stderr)
    return 0
