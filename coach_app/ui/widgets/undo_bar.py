"""A slim bar saying what just happened ("Empathy 83 → 80") with an Undo button, as mail and file managers do."""

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class UndoBar(QWidget):
    """Hidden until `offer(message, undo)`; Undo (or `undo()`, for Ctrl+Z) runs the undo once and hides the bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self._undo: Callable[[], None] | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What just changed")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the last change")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss this message")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.undo_button)
        row.addWidget(self.close_button)
        self.hide()

    @property
    def can_undo(self) -> bool:
        return self._undo is not None

    def offer(self, message: str, undo: Callable[[], None] | None) -> None:
        """Show `message`; with `undo`, the Undo button (and Ctrl+Z) takes the change back."""
        self._undo = undo
        self.message.setText(message)
        self.undo_button.setVisible(undo is not None)
        self.show()

    def undo(self) -> None:
        action, self._undo = self._undo, None
        self.hide()
        if action is not None:
            action()

    def dismiss(self) -> None:
        self._undo = None
        self.hide()
