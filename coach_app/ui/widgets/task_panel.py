"""A progress bar with a message and a Cancel button that follows one running task."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from coach_app.ui.tasks import TaskHandle


class TaskPanel(QWidget):
    """Hidden until `follow(handle)`; hides itself when the task ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._handle: TaskHandle | None = None
        self.message = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the running task")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 2)
        row.addWidget(self.bar, 3)
        row.addWidget(self.cancel_button)
        self.hide()

    @property
    def busy(self) -> bool:
        return self._handle is not None and not self._handle.done

    def follow(self, handle: TaskHandle, message: str) -> None:
        self._handle = handle
        self.message.setText(message)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        handle.progressed.connect(self._show_progress)
        handle.ended.connect(self.hide)
        self.show()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText("Cancelling…")

    def _show_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(max(0.0, min(1.0, fraction)) * 1000))
        if message:
            self.message.setText(message)
