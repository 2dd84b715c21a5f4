"""Read a trainer-editable TOML file (rubric, scenario) with one clear error for each way it can be unusable."""

import tomllib
from pathlib import Path

from coach_app.errors import CoachError

MAX_TOML_BYTES = 1024 * 1024  # hand-written rubrics and scenarios are a few kB


def read_toml(path: Path, error: type[CoachError], what: str) -> dict:
    """Parse `path` as UTF-8 TOML; any problem raises `error` naming the file and the fix (`what`: "rubric")."""
    try:
        if path.stat().st_size > MAX_TOML_BYTES:
            raise error(f"{path} is larger than 1 MB: it is not a {what} file; give a .toml {what} file.")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise error(f"The {what} file {path} does not exist: check the path.") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder, not a {what} file: give the path of a .toml file.") from None
    except UnicodeDecodeError:
        raise error(f"{path} is not UTF-8 text: save the {what} as UTF-8 TOML.") from None
    except OSError as exc:
        raise error(f"Cannot read the {what} file {path}: {exc.strerror}.") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path} is not valid TOML ({exc}): fix the syntax there.") from None
