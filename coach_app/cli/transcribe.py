"""`coach-app transcribe AUDIO --out TRANSCRIPT.json`: an audio file to a timed, speaker-labelled transcript."""

import argparse
import sys
from pathlib import Path

from coach_app.cli.progress_line import progress_line
from coach_app.core import Transcript
from coach_app.files import check_output
from coach_app.transcript_io import save_transcript
from coach_app.transcription.models import require_model
from coach_app.transcription.pipeline import transcribe_file


def register(subparsers) -> None:
    parser = subparsers.add_parser("transcribe", help="transcribe an audio file (WAV, FLAC, OGG, MP3) offline")
    parser.add_argument("audio", metavar="AUDIO", type=Path, help="the recording to transcribe")
    parser.add_argument("--out", metavar="TRANSCRIPT.json", type=Path, required=True, help="where to write it")
    add_audio_options(parser)
    parser.set_defaults(func=run)


def add_audio_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how to turn a recording into speakers (shared with `analyze AUDIO`)."""
    parser.add_argument("--model", metavar="PATH", type=Path, help="Vosk model folder (default: the installed one)")
    speakers = parser.add_mutually_exclusive_group()
    speakers.add_argument(
        "--rep-channel",
        choices=("left", "right"),
        default="left",
        help="stereo recordings: the channel with the rep (default: left); the other is the customer",
    )
    speakers.add_argument(
        "--mono", action="store_true", help="mix all channels and tell the two speakers apart by voice"
    )
    parser.add_argument(
        "--first-speaker",
        choices=("rep", "customer"),
        default="rep",
        help="mono recordings: who speaks first (default: rep, who answers the call)",
    )


def transcribe_audio(args: argparse.Namespace, audio: Path) -> Transcript:
    """Transcribe `audio` as the options in `args` say, with a progress line on stderr (Ctrl-C stops it)."""
    model = require_model(args.model)
    with progress_line(f"Transcribing {audio.name}") as report:
        return transcribe_file(
            audio, model, args.rep_channel, args.mono, args.first_speaker, on_progress=report, on_note=print_note
        )


def print_note(message: str) -> None:
    """Tell the user something about the recording they should check (on stderr, like every CLI message)."""
    print(f"Note: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    check_output(args.out)  # a target that cannot be written is refused before minutes of transcription
    transcript = transcribe_audio(args, args.audio)
    save_transcript(transcript, args.out)
    counts = {s: sum(t.speaker == s for t in transcript.turns) for s in ("rep", "customer")}
    print(f"Wrote {len(transcript.turns)} turns (rep {counts['rep']}, customer {counts['customer']}) to {args.out}.")
    return 0
