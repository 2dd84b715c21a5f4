"""How the screens write times and counts (minutes and seconds, as a media player does; plurals) and offer periods
to look back over."""

from datetime import UTC, datetime, timedelta

PERIODS = (("All time", None), ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90))


def clock(seconds: float) -> str:
    """`75.4` → `1:15`."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1, "day"` → `1 day`; `3, "day"` → `3 days`."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def days(count: int) -> str:
    return plural(count, "day")


def since(days: int | None) -> str | None:
    """The start of a period of `days` up to now, as stored times are written; None for all time."""
    return None if days is None else (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
