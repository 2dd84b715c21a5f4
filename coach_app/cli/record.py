"""`coach-app record`: record from one or two microphones, list devices, recover interrupted recordings."""

import argparse
import signal
import sys
from pathlib import Path

from coach_app.audio import capture, devices, recovery
from coach_app.cli.arguments import megabytes, seconds

_METER_INTERVAL_S = 0.25


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "record",
        help="record a practice conversation to a WAV file (Ctrl-C stops)",
        description="Record to a WAV file that stays playable even if the computer crashes. Give --device twice "
        "to record two devices as the left and right channels (e.g. the rep's microphone and the customer).",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--list-devices", action="store_true", help="list the microphones and exit")
    action.add_argument(
        "--recover",
        nargs="?",
        const=True,
        metavar="FOLDER",
        help="repair and keep interrupted recordings (default folder: the app's recordings folder)",
    )
    parser.add_argument("--out", type=Path, help="WAV file to write (default: a new file in the recordings folder)")
    parser.add_argument(
        "--device", action="append", metavar="N|NAME", help="device number or name (default: the system default)"
    )
    parser.add_argument("--seconds", type=seconds, help="stop after this many seconds (default: until Ctrl-C)")
    parser.add_argument("--channels", type=int, choices=(1, 2), default=1, help="channels from one device")
    parser.add_argument("--samplerate", type=int, default=capture.DEFAULT_SAMPLERATE, help="in Hz (default 16000)")
    parser.add_argument(
        "--min-free-mb",
        type=megabytes,
        default=capture.DEFAULT_MIN_FREE_BYTES / 2**20,
        help="stop cleanly when the disk has less free space than this (default 200)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list_devices:
        return _list_devices()
    if args.recover is not None:
        return _recover(None if args.recover is True else Path(args.recover))
    return _record(args)


def _list_devices() -> int:
    found = devices.list_input_devices()
    if not found:
        devices.default_input_device()  # raises the "no microphone" error
    print(f"{'N':>3}  {'CHANNELS':>8}  {'RATE':>7}  NAME")
    for device in found:
        star = "  (default)" if device.is_default else ""
        print(f"{device.index:>3}  {device.channels:>8}  {device.default_samplerate:>7.0f}  {device.name}{star}")
    return 0


def _recover(folder: Path | None) -> int:
    partials = recovery.find_partial_recordings(folder)
    if not partials:
        print("No interrupted recordings found.", file=sys.stderr)
    for partial in partials:
        kept = recovery.recover(partial)
        print(f"Recovered {partial.duration_s:.1f} s from {partial.path.name}", file=sys.stderr)
        print(kept)
    return 0


def _record(args: argparse.Namespace) -> int:
    leftovers = recovery.find_partial_recordings()
    if leftovers:
        print(
            f"Found {len(leftovers)} interrupted recording(s); run `coach-app record --recover` to keep them.",
            file=sys.stderr,
        )
    device_specs = args.device or [None]
    recorder = capture.Recorder(
        args.out,
        devices=device_specs,
        channels=2 if len(device_specs) == 2 else args.channels,
        samplerate=args.samplerate,
        max_seconds=args.seconds,
        min_free_bytes=int(args.min_free_mb * 2**20),
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops as cleanly as Ctrl-C
    recorder.start()
    print(f"Recording to {recorder.partial_path} (Ctrl-C stops)", file=sys.stderr)
    live = sys.stderr.isatty()
    try:
        while not recorder.finished.wait(_METER_INTERVAL_S):
            print(_meter_line(recorder), end="\r" if live else "\n", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    result = recorder.stop()
    if live:
        print(file=sys.stderr)
    print(result.message, file=sys.stderr)
    print(result.path)
    return 0 if result.stop_reason in (capture.StopReason.REQUESTED, capture.StopReason.DURATION_REACHED) else 1


def _meter_line(recorder: capture.Recorder) -> str:
    level = recorder.level
    channels = "  ".join(
        f"{rms:6.1f} dBFS (peak {peak:6.1f})" for rms, peak in zip(level.rms_dbfs, level.peak_dbfs, strict=True)
    )
    return f"recording {recorder.elapsed_s:7.2f} s  {channels}"
