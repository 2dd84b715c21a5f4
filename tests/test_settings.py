"""Settings: typed defaults, only non-defaults stored, bad stored values ignored."""

import dataclasses
import json

from coach_app.settings import DEFAULTS, Settings, load_settings, save_settings
from coach_app.storage.db import open_db


def test_defaults_when_nothing_stored(tmp_path):
    """A new database gives the defaults."""
    assert load_settings(open_db(tmp_path / "c.db")) == Settings()


def test_only_non_defaults_are_stored_and_round_trip(tmp_path):
    """Saving stores just the changed keys as JSON; loading gives back the same settings."""
    db = open_db(tmp_path / "c.db")
    chosen = dataclasses.replace(DEFAULTS, rep_name="Sam", role="trainer", nudges_enabled=False)
    save_settings(db, chosen)
    stored = dict(db.execute("SELECT key, value_json FROM settings").fetchall())
    assert stored == {"rep_name": '"Sam"', "role": '"trainer"', "nudges_enabled": "false"}
    assert load_settings(open_db(tmp_path / "c.db")) == chosen
    save_settings(db, dataclasses.replace(chosen, role="rep"))
    assert "role" not in dict(db.execute("SELECT key, value_json FROM settings").fetchall())


def test_mistyped_unknown_and_invalid_values_fall_back_to_defaults(tmp_path):
    """A wrong type, an unknown choice, broken JSON or an unknown key never breaks loading."""
    db = open_db(tmp_path / "c.db")
    rows = [
        ("rep_name", json.dumps(42)),
        ("role", json.dumps("manager")),
        ("rep_channel", "{broken"),
        ("colour", json.dumps("blue")),
        ("nudges_enabled", json.dumps(False)),
    ]
    db.conn.executemany("INSERT INTO settings (key, value_json) VALUES (?, ?)", rows)
    db.conn.commit()
    assert load_settings(db) == dataclasses.replace(DEFAULTS, nudges_enabled=False)
