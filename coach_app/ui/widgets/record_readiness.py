"""Why Record is unavailable (no speech model, no microphone) and the in-app way to fix it, instead of advice
to run a command."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coach_app.errors import CoachError
from coach_app.settings import Settings
from coach_app.ui.widgets.speech_models import SpeechModelsPanel


def record_blocker(settings: Settings) -> str:
    """ "" when a spoken call can start; otherwise what is missing, in a sentence."""
    from coach_app.audio.devices import list_input_devices, refresh_devices
    from coach_app.transcription.models import default_model_path, require_model

    try:
        if settings.speech_model_path:
            require_model(settings.speech_model_path)
        elif default_model_path() is None:
            return "Recording needs a speech model, and none is installed yet."
    except CoachError:
        return "The chosen speech model can't be used any more: choose or download another."
    try:
        if not list_input_devices():
            refresh_devices()  # PortAudio lists devices once: one plugged in later shows after a rescan
            if not list_input_devices():
                return "No microphone found: connect one, or enable it in the system's sound settings."
    except CoachError as exc:
        return str(exc)
    return ""


class SpeechModelsDialog(QDialog):
    """The speech-model manager in a window of its own, opened from Practice."""

    def __init__(self, chosen_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Speech models")
        self.resize(640, 360)
        self.panel = SpeechModelsPanel(chosen_path)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        column = QVBoxLayout(self)
        column.addWidget(self.panel, 1)
        column.addWidget(buttons)


class RecordReadiness(QWidget):
    """Hidden when recording can start; else the reason, "You can type the call instead", and a fix button."""

    model_chosen = Signal(str)
    models_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordReadiness")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why recording is unavailable")
        self.models_button = QPushButton("Speech models…")
        self.models_button.setAccessibleName("Open the speech model manager")
        self.models_button.clicked.connect(self.open_models)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reason, 1)
        row.addWidget(self.models_button)
        self._chosen = ""
        self.hide()

    def show_blocker(self, reason: str, chosen_model: str) -> None:
        self._chosen = chosen_model
        self.reason.setText(f"{reason} You can type the call instead." if reason else "")
        self.models_button.setVisible("speech model" in reason)
        self.setVisible(bool(reason))

    def open_models(self) -> SpeechModelsDialog:
        dialog = SpeechModelsDialog(self._chosen, self)
        dialog.panel.model_chosen.connect(self.model_chosen)
        dialog.finished.connect(lambda _result: self.models_changed.emit())
        dialog.open()
        return dialog
