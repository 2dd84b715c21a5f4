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
LOGICAL_SIZE = (1280, 720)  # the default; --size picks another


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "screenshots",
        help="save a PNG of every app screen with sample data",
        description="Open each screen of the app offscreen, filled with the sample sessions in a throwaway "
        "profile (your own data is not touched), and save one PNG per screen into DIR.",
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="folder for the PNG files (created if needed)")
    parser.add_argument("--scale", type=scale, default=1.0, help="device pixel ratio, e.g. 2 for HiDPI (default 1)")
    parser.add_argument(
        "--size", type=window_size, default=LOGICAL_SIZE, metavar="WxH", help="window size (default 1280x720)"
    )
    parser.set_defaults(func=run)


def window_size(text: str) -> tuple[int, int]:
    """`1024x640` → (1024, 640); the app needs at least 960×600."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write it as WIDTHxHEIGHT, e.g. 1024x640") from None
    if width < 960 or height < 600 or width > 7680 or height > 4320:
        raise argparse.ArgumentTypeError(f"{text} is outside 960x600–7680x4320, the sizes the app is made for")
    return width, height


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="coach-screenshots-") as scratch:
        config = Path(scratch) / "screen.json"
        width, height = (round(side * args.scale) for side in args.size)
        config.write_text(json.dumps({"screens": [{**SCREEN, "width": width, "height": height}]}), encoding="utf-8")
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # HiDPI: the offscreen platform ignores a screen's dpr
        os.environ[HOME_ENV] = str(Path(scratch) / "profile")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        from coach_app.ui.screenshots import take_screenshots  # Qt only here: other commands work without it

        for path in take_screenshots(args.folder.resolve(), args.size):
            print(path)
    return 0
