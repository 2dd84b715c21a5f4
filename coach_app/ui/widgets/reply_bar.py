"""The typed call's reply box, with the buttons that finish or abandon the call."""

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget


class ReplyBar(QWidget):
    """Hidden until `begin`; the screen connects Enter in `edit` and the two buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type your reply, then press Enter…")
        self.edit.setAccessibleName("Your reply")
        self.finish_button = QPushButton("Finish and score")
        self.finish_button.setToolTip("Score the call and open it in Review (Ctrl+Shift+Enter)")
        self.abandon_button = QPushButton("Abandon call")
        self.abandon_button.setToolTip("Stop without scoring or saving (Esc)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.finish_button)
        row.addWidget(self.abandon_button)
        self.hide()

    def begin(self) -> None:
        self.edit.setEnabled(True)
        self.show()
        self.edit.setFocus()

    def end(self) -> None:
        self.hide()
        self.edit.setEnabled(True)
