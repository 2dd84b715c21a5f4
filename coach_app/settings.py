"""User preferences: one frozen dataclass of typed defaults; only values that differ are stored in the database."""

import json
import logging
from dataclasses import dataclass, fields
from typing import Literal

from sqlite_utils import Database

from coach_app.storage.db import writing

log = logging.getLogger(__name__)

Role = Literal["rep", "trainer"]
Channel = Literal["left", "right"]
# Settings whose values must come from a fixed set; anything else stored for them falls back to the default.
CHOICES: dict[str, tuple[str, ...]] = {"role": ("rep", "trainer"), "rep_channel": ("left", "right")}


@dataclass(frozen=True)
class Settings:
    """Everything the user can set; empty paths and device names mean "the app's default"."""

    rep_name: str = ""
    role: Role = "rep"
    microphone: str = ""
    speaker: str = ""  # the output device for the practice customer's voice and for playback
    speech_model_path: str = ""
    rubric_path: str = ""
    rep_channel: Channel = "left"
    nudges_enabled: bool = True
    first_run_done: bool = False


DEFAULTS = Settings()


def load_settings(db: Database) -> Settings:
    """The stored preferences over the defaults; unknown keys and mistyped values are ignored (and logged)."""
    values = {}
    known = {f.name: getattr(DEFAULTS, f.name) for f in fields(Settings)}
    for key, value_json in db.execute("SELECT key, value_json FROM settings").fetchall():
        if key not in known:
            continue
        try:
            value = json.loads(value_json)
        except json.JSONDecodeError:
            log.warning("Ignoring unreadable setting %s=%r", key, value_json)
            continue
        if type(value) is not type(known[key]) or (key in CHOICES and value not in CHOICES[key]):
            log.warning("Ignoring setting %s=%r: expected a %s", key, value, type(known[key]).__name__)
            continue
        values[key] = value
    return Settings(**values)


def save_settings(db: Database, settings: Settings) -> None:
    """Store the values that differ from the defaults, replacing whatever was stored before, in one transaction."""
    rows = [
        (f.name, json.dumps(getattr(settings, f.name)))
        for f in fields(Settings)
        if getattr(settings, f.name) != getattr(DEFAULTS, f.name)
    ]
    names = [f.name for f in fields(Settings)]
    with writing(db):
        db.execute(f"DELETE FROM settings WHERE key IN ({', '.join('?' * len(names))})", names)
        db.conn.executemany("INSERT INTO settings (key, value_json) VALUES (?, ?)", rows)
