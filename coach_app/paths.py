"""Where Listening Coach keeps its files; `COACH_APP_HOME` redirects every location (tests, dev runs)."""

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ListeningCoach"
HOME_ENV = "COACH_APP_HOME"


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _base(kind: str) -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override) / kind
    if kind == "data":
        return platformdirs.user_data_path(APP_NAME, appauthor=False)
    if kind == "config":
        return platformdirs.user_config_path(APP_NAME, appauthor=False)
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The user's data folder: database, recordings, models."""
    return _ensure(_base("data"))


def config_dir() -> Path:
    """Window layout and other per-machine preferences."""
    return _ensure(_base("config"))


def logs_dir() -> Path:
    """Log files, findable from the app's Help menu."""
    return _ensure(_base("logs"))


def recordings_dir() -> Path:
    return _ensure(data_dir() / "recordings")


def models_dir() -> Path:
    """Speech models installed or imported by the app."""
    return _ensure(data_dir() / "models")


def db_path() -> Path:
    return data_dir() / "coach.db"


def resources_root() -> Path:
    """The shipped `resources/` folder (inside a PyInstaller bundle, beside the bundled code)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a shipped resource file, e.g. `resource("rubrics", "default.toml")`."""
    return resources_root().joinpath(*parts)
