"""How the screens write times: minutes and seconds, as a media player does."""


def clock(seconds: float) -> str:
    """`75.4` → `1:15`."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
