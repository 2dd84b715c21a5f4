"""Keyboard: F1 lists every frequent action's shortcut, Ctrl+M starts a comment, and the wizard's last page
mentions typed practice as well as Space to record."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.storage.sessions import save_session
from coach_app.transcript_io import load_transcript

SAMPLE = paths.resources_root().parent / "data" / "samples" / "birthday_gift_good.json"


def test_f1_lists_the_shortcuts_of_every_frequent_action(qtbot, window):
    """F1 opens the list: send, finish, abandon, play, next finding, comment, undo, import, screens."""
    shown: list[str] = []

    def read_and_close() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, read_and_close)
            return
        shown.append(boxes[-1].text())
        boxes[-1].button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    text = shown[0]
    for needed in ("Ctrl+Return", "Ctrl+Shift+Return", "Esc", "Ctrl+Space", "F8", "Ctrl+M", "Ctrl+Z", "Ctrl+I"):
        assert needed in text, needed
    for screen in ("Practice", "Review", "Progress", "Library", "Settings"):
        assert f"Go to {screen}" in text


def test_ctrl_m_puts_the_cursor_in_the_comment_box(qtbot, window, state):
    """In Review, Ctrl+M moves the focus to the comment box, ready to type at the current moment."""
    transcript = load_transcript(SAMPLE)
    window.open_session(save_session(state.db, transcript, analyze(transcript), "Sam", "Gift"))
    review = window.page("review")
    review.scorecard.setFocus()
    qtbot.keyClick(review.scorecard, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is review.comments.edit


def test_the_wizards_last_page_mentions_typed_practice(qtbot, window):
    """The "All set" page says Space records and that typing the call needs no microphone or model."""
    wizard = window.open_first_run()
    wizard.about.name.setText("Sam")
    for _ in range(3):
        qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    text = wizard.currentPage().findChild(QLabel, "allSetText").text()
    assert "Space" in text and "Type the call instead" in text and "no microphone" in text
    wizard.reject()
