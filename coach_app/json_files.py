"""Parse JSON from a file or a bundle member with one clear error for each way it can be unusable."""

import json
import math

from coach_app.errors import CoachError
from coach_app.values import MAX_DEPTH, nesting_depth

MAX_INT_DIGITS = 20  # ids, counts and times fit in 20 digits; longer numbers are junk (and slow to convert)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"the number {text[:12]}… has more than {MAX_INT_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:12]} is too large")
    return value


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(data: bytes | str, error: type[CoachError], where: str) -> object:
    """Parse UTF-8 JSON; bad syntax, NaN/Infinity, giant numbers and deep nesting raise `error` naming `where`."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise error(
            f"{where} is not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8 JSON, "
            "or check you chose the right file."
        ) from None
    too_deep = f"{where} nests lists or objects more than {MAX_DEPTH} levels deep: it is not a file this app wrote."
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise error(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}): fix the JSON syntax there."
        ) from None
    except RecursionError:
        raise error(too_deep) from None
    except ValueError as exc:
        raise error(f"{where} is not usable JSON ({exc}): give plain numbers.") from None
    if nesting_depth(value) > MAX_DEPTH:
        raise error(too_deep)
    return value
