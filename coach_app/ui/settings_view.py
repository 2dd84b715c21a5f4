"""Settings: you, microphone and speakers, speech models, scoring rubric, recording channels, nudges, where data
lives."""

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach_app import paths
from coach_app.audio.devices import list_output_devices
from coach_app.errors import CoachError
from coach_app.scoring.rubric import load_rubric
from coach_app.ui.error_dialog import open_log_folder, show_error
from coach_app.ui.main_window import shortcuts_table
from coach_app.ui.state import AppState
from coach_app.ui.widgets.mic_check import SYSTEM_DEFAULT, MicCheck
from coach_app.ui.widgets.speech_models import SpeechModelsPanel


def _group(title: str, *rows: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    column = QVBoxLayout(box)
    for row in rows:
        column.addWidget(row)
    return box


class SettingsScreen(QWidget):
    """Each change is stored at once (only values that differ from the defaults)."""

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        settings = state.settings

        you = QWidget()
        form = QFormLayout(you)
        self.name = QLineEdit(settings.rep_name)
        self.name.setAccessibleName("Your name")
        self.name.editingFinished.connect(lambda: self._update(rep_name=self.name.text().strip()))
        self.role = QComboBox()
        self.role.setAccessibleName("Your role")
        self.role.addItem("Rep: I practise calls", "rep")
        self.role.addItem("Trainer: I review and coach", "trainer")
        self.role.setToolTip("Trainers also get the correction tools in Review: mark wrong, add missed, speakers")
        self.role.setCurrentIndex(self.role.findData(settings.role))
        self.role.currentIndexChanged.connect(lambda _i: self._update(role=self.role.currentData()))
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)

        self.mic = MicCheck(settings.microphone, settings.speaker)
        self.mic.device_chosen.connect(lambda name: self._update(microphone=name))
        self.speakers = QComboBox()
        self.speakers.setAccessibleName("Speakers for the practice customer's voice and for playback")
        self._fill_speakers(settings.speaker)
        self.speakers.currentIndexChanged.connect(lambda _i: self._choose_speaker(self.speakers.currentData()))
        channel_row = QWidget()
        channel_form = QFormLayout(channel_row)
        channel_form.setContentsMargins(0, 0, 0, 0)
        self.rep_channel = QComboBox()
        self.rep_channel.setAccessibleName("Channel with the rep's voice in stereo recordings")
        self.rep_channel.addItem("Left", "left")
        self.rep_channel.addItem("Right", "right")
        self.rep_channel.setCurrentIndex(self.rep_channel.findData(settings.rep_channel))
        self.rep_channel.currentIndexChanged.connect(
            lambda _i: self._update(rep_channel=self.rep_channel.currentData())
        )
        channel_form.addRow("Speakers (customer's voice, playback)", self.speakers)
        channel_form.addRow("Rep's voice in stereo recordings", self.rep_channel)

        self.models = SpeechModelsPanel(settings.speech_model_path)
        self.models.model_chosen.connect(lambda path: self._update(speech_model_path=path))
        self.models.list.setMaximumHeight(110)

        rubric_row = QWidget()
        rubric_line = QHBoxLayout(rubric_row)
        rubric_line.setContentsMargins(0, 0, 0, 0)
        self.rubric_label = QLabel()
        self.rubric_label.setWordWrap(True)
        load_button = QPushButton("Load a trainer's rubric…")
        load_button.clicked.connect(self._choose_rubric)
        default_button = QPushButton("Use the default")
        default_button.clicked.connect(lambda: self.set_rubric(""))
        rubric_line.addWidget(self.rubric_label, 1)
        rubric_line.addWidget(load_button)
        rubric_line.addWidget(default_button)
        self._show_rubric()

        self.nudges = QCheckBox("Show gentle nudges while recording (e.g. “pause before answering”)")
        self.nudges.setChecked(settings.nudges_enabled)
        self.nudges.toggled.connect(lambda on: self._update(nudges_enabled=on))

        scheme = QApplication.styleHints().colorScheme()
        now = "" if scheme == Qt.ColorScheme.Unknown else f" (now: {scheme.name.lower()})"
        theme = QLabel(f"The app follows the system's light or dark appearance{now}.")

        data_row = QWidget()
        data_line = QHBoxLayout(data_row)
        data_line.setContentsMargins(0, 0, 0, 0)
        data_line.addWidget(QLabel(f"Your sessions and recordings: {paths.data_dir()}"), 1)
        open_data = QPushButton("Open data folder")
        open_data.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir()))))
        open_logs = QPushButton("Open log folder")
        open_logs.clicked.connect(open_log_folder)
        data_line.addWidget(open_data)
        data_line.addWidget(open_logs)

        shortcuts = QLabel(shortcuts_table())

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(_group("You", you))
        column.addWidget(_group("Microphone and speakers", self.mic, channel_row))
        column.addWidget(_group("Speech models", self.models))
        column.addWidget(_group("Scoring rubric", rubric_row))
        column.addWidget(_group("Practice", self.nudges))
        column.addWidget(_group("Appearance", theme))
        column.addWidget(_group("Data", data_row))
        column.addWidget(_group("Keyboard shortcuts", shortcuts))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _update(self, **changes: object) -> None:
        self.state.update_settings(**changes)

    def _fill_speakers(self, chosen: str) -> None:
        """System default, every output device, and the stored choice even while it is unplugged."""
        self.speakers.addItem(SYSTEM_DEFAULT, "")
        try:
            names = [device.name for device in list_output_devices()]
        except CoachError:
            names = []  # no PortAudio: the microphone panel already says so
        for name in names:
            self.speakers.addItem(name, name)
        if chosen and chosen not in names:
            self.speakers.addItem(f"{chosen} (not connected)", chosen)
        self.speakers.setCurrentIndex(max(0, self.speakers.findData(chosen)))

    def _choose_speaker(self, name: str) -> None:
        self.mic.speaker = name
        self._update(speaker=name)

    def _show_rubric(self) -> None:
        path = self.state.settings.rubric_path
        self.rubric_label.setText(f"Scoring with {path}" if path else "Scoring with the default rubric.")

    def _choose_rubric(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a scoring rubric", "", "Rubric (*.toml)")
        if path:
            self.set_rubric(path)

    def set_rubric(self, path: str) -> None:
        """Use the rubric at `path` ("" = default) after checking it loads; a broken file is refused."""
        try:
            load_rubric(path or None)
        except CoachError as exc:
            show_error(self, exc)
            return
        self._update(rubric_path=path)
        self._show_rubric()

    def closing(self) -> None:
        self.mic.stop()
