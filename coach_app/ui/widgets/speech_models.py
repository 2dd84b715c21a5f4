"""Speech-model setup shared by the first-run wizard and Settings: list, install with progress, import, remove."""

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach_app import paths
from coach_app.errors import CoachError
from coach_app.transcription import models
from coach_app.ui.error_dialog import show_error
from coach_app.ui.tasks import run_task
from coach_app.ui.widgets.task_panel import TaskPanel

PATH_ROLE = Qt.ItemDataRole.UserRole


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.0f} MB"


class SpeechModelsPanel(QWidget):
    """Emits `model_chosen(path)` when the user picks the model to use ("" = the app's default choice)."""

    model_chosen = Signal(str)
    models_changed = Signal()

    def __init__(self, chosen_path: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen = chosen_path
        recommended = models.catalogue()[0]
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Installed speech models")
        self.list.currentItemChanged.connect(self._chosen_changed)
        self.install_button = QPushButton(f"Download {recommended.name} ({recommended.size_mb} MB)")
        self.install_button.setToolTip(recommended.description)
        self.install_button.clicked.connect(lambda: self.install(recommended.name))
        self.import_button = QPushButton("Import a downloaded model…")
        self.import_button.setToolTip("A Vosk model .zip (or its unpacked folder) downloaded on any computer")
        self.import_button.clicked.connect(self._ask_import)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected speech model")
        self.remove_button.clicked.connect(self._remove_selected)
        self.tasks = TaskPanel()
        buttons = QHBoxLayout()
        for button in (self.install_button, self.import_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        column.addWidget(self.tasks)
        self.refresh()

    def chosen_path(self) -> str:
        """The model the user picked ("" = let the app choose the best installed one)."""
        return self._chosen

    def refresh(self) -> None:
        found = models.list_models()
        self.list.blockSignals(True)
        self.list.clear()
        for model in found:
            where = "installed" if model.source == "installed" else f"found in {model.path.parent}"
            item = QListWidgetItem(f"{model.name} — {model.language}, {_size(model.size_bytes)}, {where}")
            item.setData(PATH_ROLE, str(model.path))
            self.list.addItem(item)
            if str(model.path) == self._chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._found = found
        self._show_status()
        self.remove_button.setEnabled(bool(found))
        self.models_changed.emit()

    def _show_status(self) -> None:
        found = self._found
        default = models.default_model_path(found)
        if not found:
            self.status.setText(
                "No speech model yet. Without one you can still review sessions and import transcripts; "
                "recording and importing audio need a model."
            )
        else:
            using = self._chosen or (str(default) if default else "")
            self.status.setText(f"Speech recognition uses: {Path(using).name}")

    def _chosen_changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self._chosen = item.data(PATH_ROLE)
            self.model_chosen.emit(self._chosen)
            self._show_status()

    def install(self, name: str) -> None:
        self._start(models.install, name, f"Downloading {name}…")

    def import_from(self, path: str) -> None:
        self._start(models.import_model, path, f"Importing {Path(path).name}…")

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a speech model", "", "Vosk model (*.zip)")
        if path:
            self.import_from(path)

    def _start(self, fn, argument: str, message: str) -> None:
        handle = run_task(fn, argument, on_done=self._installed, parent=self, name=message)
        self.tasks.follow(handle, message)
        for button in (self.install_button, self.import_button, self.remove_button):
            button.setEnabled(False)
        handle.ended.connect(self._enable_buttons)

    def _enable_buttons(self) -> None:
        self.install_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.refresh()

    def _installed(self, model: models.SpeechModel) -> None:
        self._chosen = str(model.path)
        self.model_chosen.emit(self._chosen)

    def _remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        path = Path(item.data(PATH_ROLE))
        if path.parent != paths.models_dir():
            show_error(self, CoachError(f"{path} was not installed by Listening Coach, so it is left where it is."))
            return
        answer = QMessageBox.question(self, "Remove speech model", f"Remove the speech model {path.name}?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            models.remove(path.name)
        except CoachError as exc:
            show_error(self, exc)
        if self._chosen == str(path):
            self._chosen = ""
            self.model_chosen.emit("")
        self.refresh()
