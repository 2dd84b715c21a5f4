"""UI test fixtures: the app's shared state on a real database in the temporary profile, and a main window."""

import os
from pathlib import Path

import pytest
from pulse_server import PulseServer, start_pulse_server

from coach_app.audio.devices import refresh_devices
from coach_app.storage.db import open_db
from coach_app.ui.main_window import MainWindow
from coach_app.ui.state import AppState

# The UI tests run on a 1280×720 virtual screen, the smallest the app is made for (Qt's default offscreen
# screen is 800×800). Set before pytest-qt creates the QApplication.
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('screen_1280x720.json')}"


@pytest.fixture
def state(coach_home, qapp):
    return AppState(open_db())


@pytest.fixture
def window(qtbot, state):
    main = MainWindow(state)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture(scope="session")
def pulse(tmp_path_factory) -> PulseServer:
    """A private PulseAudio server whose null sink is the microphone; fails (never skips) if it cannot start."""
    try:
        server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    except RuntimeError as exc:
        pytest.fail(f"The PulseAudio test microphone could not start: {exc}", pytrace=False)
    with pytest.MonkeyPatch.context() as env:
        for name, value in server.env.items():
            env.setenv(name, value)
        refresh_devices()  # PortAudio lists devices once; rescan now that the server exists
        yield server
    server.stop()
    refresh_devices()
