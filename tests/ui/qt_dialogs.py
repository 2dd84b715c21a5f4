"""Answering modal dialogs in UI tests: a modal box blocks the code that opened it until someone clicks."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_next_dialog(button: QMessageBox.StandardButton, expect: str = "") -> None:
    """Press `button` on the next message box that opens (a modal one blocks the caller until answered)."""

    def attempt() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, attempt)
            return
        assert expect in boxes[-1].text()
        boxes[-1].button(button).click()

    QTimer.singleShot(0, attempt)
