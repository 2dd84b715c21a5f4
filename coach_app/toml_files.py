"""Read a trainer-editable TOML file (rubric, scenario) with one clear error for each way it can be unusable."""

import tomllib
from pathlib import Path

from coach_app.errors import CoachError
from coach_app.files import read_input_text
from coach_app.values import MAX_DEPTH, nesting_depth

MAX_TOML_BYTES = 1024 * 1024  # hand-written rubrics and scenarios are a few kB


def read_toml(path: Path, error: type[CoachError], what: str) -> dict:
    """Parse `path` as UTF-8 TOML; any problem raises `error` naming the file and the fix (`what`: "rubric")."""
    text = read_input_text(path, f"{what} file", MAX_TOML_BYTES, error)
    too_deep = f"{path} nests tables or lists more than {MAX_DEPTH} levels deep: it is not a {what} file."
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path} is not valid TOML ({exc}): fix the syntax there.") from None
    except RecursionError:
        raise error(too_deep) from None
    if nesting_depth(data) > MAX_DEPTH:
        raise error(too_deep)
    return data
