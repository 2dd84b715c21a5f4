"""Test-wide setup: a throwaway profile for every test and Qt without a screen."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def coach_home(tmp_path, monkeypatch):
    """Point every app location at a temporary folder so no test touches a real user profile."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_APP_HOME", str(home))
    return home
