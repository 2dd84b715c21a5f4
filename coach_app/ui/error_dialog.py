"""Errors shown as one clear dialog: the CoachError's sentence, or a short note pointing at the log file."""

import logging

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coach_app import paths
from coach_app.errors import CoachError
from coach_app.ui.wording import for_window

log = logging.getLogger(__name__)

# Dialogs without a parent window are kept alive here until they close.
_open_dialogs: set[QMessageBox] = set()


def error_text(exc: BaseException) -> str:
    """What the dialog says: a CoachError speaks for itself; anything else is a bug, with the log as the lead."""
    if isinstance(exc, CoachError):
        return for_window(exc)
    return (
        f"Something went wrong that the app did not expect ({type(exc).__name__}: {exc}). "
        f"Your data is safe. The details are in the log file in {paths.logs_dir()}."
    )


def open_log_folder() -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.logs_dir())))


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Listening Coach") -> QMessageBox:
    """Show `exc` in a window-modal dialog (not blocking the event loop); unexpected errors offer the log folder."""
    if not isinstance(exc, CoachError):
        log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, CoachError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(error_text(exc))
    box.setObjectName("errorDialog")
    box.addButton(QMessageBox.StandardButton.Ok)
    if not isinstance(exc, CoachError):
        log_button = box.addButton("Open log folder", QMessageBox.ButtonRole.HelpRole)
        log_button.clicked.connect(open_log_folder)
    _open_dialogs.add(box)
    box.finished.connect(lambda _result: _open_dialogs.discard(box))
    box.open()
    return box
