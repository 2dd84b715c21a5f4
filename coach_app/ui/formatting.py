"""How the screens write times and counts: minutes and seconds as a media player does, and plurals."""


def clock(seconds: float) -> str:
    """`75.4` → `1:15`."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1, "day"` → `1 day`; `3, "day"` → `3 days`."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def days(count: int) -> str:
    return plural(count, "day")
