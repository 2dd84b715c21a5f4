"""Test-wide setup: a throwaway profile for every test and Qt without a screen."""

import os

import pytest
from pulse_server import PulseServer, start_pulse_server

from coach_app.audio.devices import refresh_devices

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def coach_home(tmp_path, monkeypatch):
    """Point every app location at a temporary folder so no test touches a real user profile."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_APP_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def pulse(tmp_path_factory) -> PulseServer:
    """A private PulseAudio server whose null sinks are the microphones; fails (never skips) if it cannot start."""
    try:
        server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    except RuntimeError as exc:
        pytest.fail(f"The PulseAudio test microphone could not start: {exc}", pytrace=False)
    with pytest.MonkeyPatch.context() as env:
        for name, value in server.env.items():
            env.setenv(name, value)
        refresh_devices()  # PortAudio lists devices once; rescan now that the server and its devices exist
        yield server
    server.stop()
    refresh_devices()
