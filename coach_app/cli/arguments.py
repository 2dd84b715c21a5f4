"""argparse types that check range and finiteness, so a bad number or date is a usage error (exit 2), not a crash."""

import argparse
import math

from coach_app.values import MAX_ID, MAX_SECONDS, parse_datetime


def _integer(text: str, what: str, low: int, high: int) -> int:
    digits = text.strip().lstrip("+-")
    if not digits.isdigit() or len(digits) > 19:
        raise argparse.ArgumentTypeError(f"{text!r} is not a {what}: give a whole number from {low} to {high:,}")
    value = int(text)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{text} is out of range: a {what} is from {low} to {high:,}")
    return value


def session_id(text: str) -> int:
    """A stored session's id: a whole number from 1 to SQLite's largest integer."""
    return _integer(text, "session id", 1, MAX_ID)


def turn_index(text: str) -> int:
    """A turn number counted from 0, as `--turn` takes it."""
    return _integer(text, "turn number (0 = first)", 0, 10_000_000)


def count(text: str) -> int:
    """A count of things to show or use, 0 or more."""
    return _integer(text, "count", 0, MAX_ID)


def seconds(text: str) -> float:
    """A finite number of seconds from 0 to MAX_SECONDS (no inf, nan or negative)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, e.g. 12.5") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text} is out of range: give seconds from 0 to {MAX_SECONDS:,}")
    return value


def _number(text: str, low: float, high: float, low_allowed: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    above_low = value >= low if low_allowed else value > low
    if not math.isfinite(value) or not above_low or value > high:
        bound = f"from {low:g}" if low_allowed else f"above {low:g}"
        raise argparse.ArgumentTypeError(f"{text} is out of range: give a number {bound} to {high:,g}")
    return value


def megabytes(text: str) -> float:
    """A finite amount of megabytes from 0 to a million."""
    return _number(text, 0, 1e6, low_allowed=True)


def scale(text: str) -> float:
    """A finite display scale above 0 and at most 8."""
    return _number(text, 0, 8, low_allowed=False)


def iso_date(text: str) -> str:
    """A real calendar date or date-time in ISO form (2024-05-01, 2024-05-01T09:30), returned as given."""
    if parse_datetime(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date: use YYYY-MM-DD, e.g. 2024-05-01")
    return text
