"""Microphone choice and check: a live level meter while a short test recording runs, then play it back on the
chosen speakers."""

import logging
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coach_app import paths
from coach_app.audio.capture import Recorder
from coach_app.audio.devices import list_input_devices
from coach_app.errors import CoachError
from coach_app.ui.error_dialog import show_error
from coach_app.ui.player import AudioPlayer
from coach_app.ui.widgets.level_meter import LevelMeter

TEST_SECONDS = 4.0
POLL_MS = 50
SYSTEM_DEFAULT = "System default"

log = logging.getLogger(__name__)


def test_recording_path() -> Path:
    return paths.data_dir() / "microphone-test.wav"


class MicCheck(QWidget):
    """Emits `device_chosen(name)` ("" = system default) and `test_finished(seconds)` after a test recording."""

    device_chosen = Signal(str)
    test_finished = Signal(float)

    def __init__(self, chosen: str = "", speaker: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.speaker = speaker  # where the test plays ("" = system default); the owner keeps it current
        self.recorder: Recorder | None = None
        self.player: AudioPlayer | None = None
        self.devices = QComboBox()
        self.devices.setAccessibleName("Microphone")
        self.meter = LevelMeter()
        self.test_button = QPushButton(f"Test ({TEST_SECONDS:.0f} s)")
        self.test_button.setAccessibleName("Record a short test")
        self.test_button.clicked.connect(self.start_test)
        self.play_button = QPushButton("Play test")
        self.play_button.setAccessibleName("Play the test recording")
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.play_test)
        self.status = QLabel("Say a sentence in your normal voice: the bar should reach the middle.")
        self.status.setWordWrap(True)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(self.devices, 2)
        row.addWidget(self.test_button)
        row.addWidget(self.play_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.meter)
        column.addWidget(self.status)
        self._fill_devices(chosen)
        self.devices.currentIndexChanged.connect(lambda _i: self.device_chosen.emit(self.chosen_device()))

    def _fill_devices(self, chosen: str) -> None:
        self.devices.addItem(SYSTEM_DEFAULT, "")
        try:
            found = list_input_devices()
        except CoachError as exc:
            self.status.setText(str(exc))
            found = []
        for device in found:
            self.devices.addItem(device.name, device.name)
        index = self.devices.findData(chosen)
        self.devices.setCurrentIndex(max(0, index))
        if not found:
            self.test_button.setEnabled(False)
            self.status.setText("No microphone found. Connect one to record; you can still review and import.")

    def chosen_device(self) -> str:
        return self.devices.currentData() or ""

    def start_test(self) -> None:
        path = test_recording_path()
        path.unlink(missing_ok=True)
        self._close_player()
        self.recorder = Recorder(path, devices=(self.chosen_device() or None,), max_seconds=TEST_SECONDS)
        try:
            self.recorder.start()
        except CoachError as exc:
            self.recorder = None
            show_error(self, exc)
            return
        self.test_button.setEnabled(False)
        self.play_button.setEnabled(False)
        self.status.setText("Recording… say a sentence.")
        self._poll.start()

    def _update(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        self.meter.set_level(max(recorder.level.rms_dbfs))
        if recorder.finished.is_set():
            self._poll.stop()
            result = recorder.stop()
            self.recorder = None
            self.meter.set_level(-100.0)
            self.test_button.setEnabled(True)
            self.play_button.setEnabled(result.frames > 0)
            self.status.setText(f"Recorded {result.duration_s:.1f} s. Play it back to check it sounds clear.")
            self.test_finished.emit(result.duration_s)

    def play_test(self) -> None:
        try:
            self._close_player()
            self.player = AudioPlayer(test_recording_path(), self.speaker or None)
            self.player.play(0.0)
        except CoachError as exc:
            show_error(self, exc)

    def _close_player(self) -> None:
        if self.player is not None:
            self.player.close()
            self.player = None

    def stop(self) -> None:
        """Stop any test recording or playback (the wizard or screen is closing)."""
        self._poll.stop()
        if self.recorder is not None:
            try:
                self.recorder.stop()
            except CoachError as exc:  # only a test recording: say so in the log and close anyway
                log.warning("The microphone test did not stop: %s", exc)
            self.recorder = None
        self._close_player()
