"""Range, finiteness and depth checks for the numbers, ids, dates and nested data that files and commands give."""

import math
from datetime import datetime

MAX_SECONDS = 10_000_000  # about 116 days: no call, recording or pinned moment is longer
MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
MAX_DEPTH = 64  # transcripts, rubrics, scenarios and bundles nest a few levels; more is an attack or a mistake


def is_seconds(value: object) -> bool:
    """True for a finite number of seconds from 0 to MAX_SECONDS (never raises, even for a 400-digit int)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return 0 <= value <= MAX_SECONDS


def is_finite_number(value: object, low: float, high: float) -> bool:
    """True for an int or float (not bool) within [low, high]; NaN and infinities are never within."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (not isinstance(value, float) or math.isfinite(value)) and low <= value <= high


def parse_datetime(text: object) -> datetime | None:
    """An ISO 8601 date or date-time (e.g. 2024-05-01 or 2024-05-01T09:30:00+00:00), or None if it is not one."""
    if not isinstance(text, str) or not 10 <= len(text) <= 40:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def nesting_depth(value: object, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and dicts nest in `value`, counted without recursion and stopping past `limit`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list | tuple))
    return deepest
