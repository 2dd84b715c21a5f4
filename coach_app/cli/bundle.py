"""`coach-app export SESSION OUT.zip` and `coach-app import BUNDLE.zip`: send sessions to a trainer and back."""

import argparse
import json

from coach_app.cli.arguments import session_id
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.db import open_db


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="export a session as a .zip bundle (audio, transcript, notes)")
    export.add_argument("session", type=session_id, metavar="SESSION", help="session id (see `sessions list`)")
    export.add_argument("out", metavar="OUT.zip", help="bundle file to write")
    export.set_defaults(func=run_export)
    imp = subparsers.add_parser("import", help="import a session bundle (.zip); duplicates are skipped")
    imp.add_argument("bundle", metavar="BUNDLE.zip")
    imp.add_argument("--json", action="store_true", help='print {"session_id": …, "duplicate": …}')
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    with open_db() as db:
        path = export_bundle(db, args.session, args.out)
    print(f"Exported session {args.session} to {path}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with open_db() as db:
        result = import_bundle(db, args.bundle)
    if args.json:
        print(json.dumps({"session_id": result.session_id, "duplicate": result.duplicate}))
    elif result.duplicate:
        print(f"Already in the library as session {result.session_id}; nothing imported.")
    else:
        print(f"Imported as session {result.session_id}.")
    return 0
