"""`coach-app screenshots DIR`: a PNG of every app screen with sample data, rendered offscreen."""

import argparse
import json
import os
import tempfile
from pathlib import Path

from coach_app.cli.arguments import scale
from coach_app.paths import HOME_ENV

# A laptop-sized virtual screen (1280×720 logical pixels) for Qt's offscreen platform (its default is 800×800).
SCREEN = {"name": "laptop", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
LOGICAL_SIZE = (1280, 720)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "screenshots",
        help="save a PNG of every app screen with sample data",
        description="Open each screen of the app offscreen, filled with the sample sessions in a throwaway "
        "profile (your own data is not touched), and save one PNG per screen into DIR.",
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="folder for the PNG files (created if needed)")
    parser.add_argument("--scale", type=scale, default=1.0, help="device pixel ratio, e.g. 2 for HiDPI (default 1)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="coach-screenshots-") as scratch:
        config = Path(scratch) / "screen.json"
        width, height = (round(side * args.scale) for side in LOGICAL_SIZE)
        config.write_text(json.dumps({"screens": [{**SCREEN, "width": width, "height": height}]}), encoding="utf-8")
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # HiDPI: the offscreen platform ignores a screen's dpr
        os.environ[HOME_ENV] = str(Path(scratch) / "profile")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        from coach_app.ui.screenshots import take_screenshots  # Qt only here: other commands work without it

        for path in take_screenshots(args.folder.resolve()):
            print(path)
    return 0
