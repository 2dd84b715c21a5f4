"""The main window: navigation and shortcuts, every screen fits 1280×720, errors reach a dialog and the log."""

import logging
import os
import subprocess
import sys

import speech
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from qt_dialogs import answer_next_dialog

from coach_app import paths
from coach_app.errors import StorageError
from coach_app.storage.sessions import list_sessions
from coach_app.ui.app import LOG_FILE_NAME, configure_logging
from coach_app.ui.error_dialog import show_error
from coach_app.ui.main_window import SCREENS


def test_every_screen_fits_a_1280_by_720_screen(qtbot, window):
    """Each screen can be shown inside the smallest supported screen without forcing the window larger."""
    screen = window.screen().availableGeometry()
    assert (screen.width(), screen.height()) == (1280, 720)
    for spec in SCREENS:
        window.show_screen(spec.key)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 720, spec.key
    assert window.width() <= 1280 and window.height() <= 720


def test_shortcuts_switch_screens(qtbot, window):
    """Ctrl+number goes to each screen named in the navigation."""
    for spec in SCREENS:
        qtbot.keyClick(window, spec.shortcut[-1], Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == spec.key


def test_unexpected_errors_are_logged_and_offer_the_log_folder(qtbot, window):
    """A bug shows a dialog pointing at the log file (with a button), and its traceback lands in coach.log."""
    configure_logging()
    try:
        raise ValueError("boom")
    except ValueError as exc:
        box = show_error(window, exc)
    assert str(paths.logs_dir()) in box.text()
    assert any(b.text() == "Open log folder" for b in box.findChildren(QPushButton))
    for handler in logging.getLogger("coach_app").handlers:
        handler.flush()
    assert "ValueError: boom" in (paths.logs_dir() / LOG_FILE_NAME).read_text()
    box.close()


def test_coach_errors_show_their_own_sentence(qtbot, window):
    """A CoachError's message is the dialog's text, as a warning."""
    box = show_error(window, StorageError("The database is locked: close the other copy of the app."))
    assert box.text() == "The database is locked: close the other copy of the app."
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_without_a_display_the_command_says_what_to_do(coach_home):
    """`coach-app` with no command and no display exits 2 with one sentence instead of a Qt abort."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "coach_app"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "No display found" in done.stderr and "Traceback" not in done.stderr


def test_interrupted_recordings_are_recovered_and_offered(qtbot, window, tmp_path):
    """A recording left half-written by a crash is repaired and kept at start, and the user is asked about it."""
    partial = paths.recordings_dir() / "2026-01-01_10-00-00.partial.wav"
    speech.speech_wav(partial, "My parcel never arrived.")
    answer_next_dialog(QMessageBox.StandardButton.No, "2026-01-01_10-00-00.wav")
    handle = window.offer_recovery()
    with qtbot.waitSignal(handle.ended, timeout=10000):
        pass
    qtbot.waitUntil(lambda: not partial.exists(), timeout=5000)
    assert (paths.recordings_dir() / "2026-01-01_10-00-00.wav").is_file()
    assert list_sessions(window.state.db) == []
