"""`coach-app models list | install NAME | import PATH | remove NAME`: manage Vosk speech models."""

import argparse
import json
import sys
from pathlib import Path

from coach_app.cli.progress_line import progress_line
from coach_app.transcription import models


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list, install, import or remove speech models")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="installed and found models, and the catalogue")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=run_list)

    install = actions.add_parser("install", help="download a catalogue model (the only command that goes online)")
    install.add_argument("name", metavar="NAME", help="catalogue name, e.g. vosk-model-small-en-us-0.15")
    install.set_defaults(func=run_install)

    import_ = actions.add_parser("import", help="install a downloaded model .zip or unpacked folder, offline")
    import_.add_argument("path", metavar="PATH")
    import_.add_argument("--name", help="name to install it under (default: the zip's or folder's name)")
    import_.set_defaults(func=run_import)

    remove = actions.add_parser("remove", help="delete an installed model")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(func=run_remove)


def run_list(args: argparse.Namespace) -> int:
    found = models.list_models()
    entries = models.catalogue()
    default = models.default_model_path(found)
    if args.json:
        payload = {
            "models": [{**model.to_dict(), "default": model.path == default} for model in found],
            "catalogue": [
                {
                    "name": e.name,
                    "language": e.language,
                    "size_mb": e.size_mb,
                    "url": e.url,
                    "description": e.description,
                }
                for e in entries
            ],
        }
        print(json.dumps(payload, indent=2))
        return 0
    if found:
        print(f"{'NAME':32} {'LANGUAGE':8} {'SIZE':>8}  {'SOURCE':9}  PATH")
        for model in found:
            star = " (default)" if model.path == default else ""
            size = f"{model.size_bytes / 2**20:.0f} MB"
            print(f"{model.name:32} {model.language:8} {size:>8}  {model.source:9}  {model.path}{star}")
    else:
        print(f"No speech model installed. Run `coach-app models install {entries[0].name}` when online.")
    have = {model.name for model in found}
    print("\nAvailable to install (coach-app models install NAME):")
    for entry in entries:
        if entry.name not in have:
            print(f"  {entry.name:32} {entry.language:8} {entry.size_mb:>5} MB  {entry.description}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    try:
        with progress_line(f"Installing {args.name}") as report:
            model = models.install(args.name, on_progress=report)
    except KeyboardInterrupt:
        print("coach-app: download stopped; run the same command again to resume it.", file=sys.stderr)
        return 130
    print(f"Installed {model.name} in {model.path} (SHA-256 of the download: {model.sha256}).")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with progress_line(f"Importing {Path(args.path).name}") as report:
        model = models.import_model(args.path, on_progress=report, name=args.name)
    print(f"Installed {model.name} in {model.path}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    path = models.remove(args.name)
    print(f"Removed {args.name} ({path}).")
    return 0
