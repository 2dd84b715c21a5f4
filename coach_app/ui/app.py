"""Start the desktop app: logging to the log folder, the QApplication, the first-run wizard, the main window."""

import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from coach_app import __version__, paths
from coach_app.errors import CoachError

log = logging.getLogger("coach_app")

LOG_FILE_NAME = "coach.log"


def configure_logging() -> None:
    """Log to `coach.log` in the log folder (rotated), once per process."""
    if any(getattr(h, "coach_log", False) for h in log.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.logs_dir() / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.coach_log = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _report_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An exception escaping a slot: log it and show the error dialog instead of dying silently."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if not isinstance(exc, CoachError):
        log.error("Uncaught exception", exc_info=(kind, exc, tb))
    from coach_app.ui.error_dialog import show_error

    show_error(None, exc)


def create_application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication, named and iconed; reused if one exists (as under pytest-qt)."""
    app = QApplication.instance()
    if app is None:
        QApplication.setApplicationName(paths.APP_NAME)
        QApplication.setApplicationDisplayName("Listening Coach")
        QApplication.setApplicationVersion(__version__)
        QApplication.setDesktopFileName("listening-coach")
        app = QApplication([sys.argv[0] if sys.argv else "coach-app", *argv])
    assert isinstance(app, QApplication)
    app.setWindowIcon(QIcon(str(paths.resource("icons", "listening-coach.svg"))))
    return app


def _check_display() -> None:
    """Qt aborts the process without a display; say so plainly instead (Linux and other X11/Wayland systems)."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise CoachError(
            "No display found, so the app window cannot open: start `coach-app` from a desktop session, "
            "or use a command such as `coach-app analyze FILE` (see `coach-app --help`)."
        )


def run_app(argv: Sequence[str] = ()) -> int:
    """Open the app (main window, then the first-run wizard on first start); returns the exit code."""
    _check_display()
    configure_logging()
    log.info("Listening Coach %s starting", __version__)
    app = create_application(argv)
    sys.excepthook = _report_uncaught
    from coach_app.storage.db import open_db
    from coach_app.ui.main_window import MainWindow
    from coach_app.ui.state import AppState

    try:
        db = open_db()
    except CoachError as exc:
        QMessageBox.critical(None, "Listening Coach", str(exc))
        return 2
    with db:  # the UI thread's connection, closed when the app ends
        window = MainWindow(AppState(db))
        window.show()
        if not window.state.settings.first_run_done:
            window.open_first_run()
        window.offer_recovery()
        code = app.exec()
    log.info("Listening Coach closed with code %s", code)
    return code
