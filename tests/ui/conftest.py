"""UI test fixtures: the app's shared state on a real database in the temporary profile, and a main window."""

import os
from pathlib import Path

import pytest

from coach_app.storage.db import open_db
from coach_app.ui.main_window import MainWindow
from coach_app.ui.state import AppState

# The UI tests run on a 1280×720 virtual screen, the smallest the app is made for (Qt's default offscreen
# screen is 800×800). Set before pytest-qt creates the QApplication.
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('screen_1280x720.json')}"


@pytest.fixture
def state(coach_home, qapp):
    with open_db() as db:
        yield AppState(db)


@pytest.fixture
def window(qtbot, state):
    main = MainWindow(state)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main
