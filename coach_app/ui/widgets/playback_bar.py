"""Play / pause a stored session's recording from any moment, showing where it is."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.ui.error_dialog import show_error
from coach_app.ui.formatting import clock
from coach_app.ui.state import AppState

if TYPE_CHECKING:
    from coach_app.ui.player import AudioPlayer

POSITION_POLL_MS = 100


class PlaybackBar(QWidget):
    """The Play button and position of one recording (`set_recording`); `moved` says where playback is or starts."""

    moved = Signal(float)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.audio_path: str | None = None
        self.player: AudioPlayer | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POSITION_POLL_MS)
        self._poll.timeout.connect(self._show_position)
        self.play_button = QPushButton("Play")
        self.play_button.setAccessibleName("Play or pause the recording")
        self.play_button.setToolTip("Play / pause (Ctrl+Space)")
        self.play_button.clicked.connect(self.toggle)
        self.position_label = QLabel("0:00")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addWidget(self.position_label)

    def set_recording(self, audio_path: str | None) -> None:
        """The stored recording Play plays (None: the session has none)."""
        self.audio_path = audio_path
        self.play_button.setEnabled(audio_path is not None)
        self.play_button.setToolTip(
            "Play / pause (Ctrl+Space)" if audio_path is not None else "This session has no recording"
        )

    def play_from(self, seconds: float) -> None:
        self.moved.emit(seconds)
        if self.audio_path is None:
            return
        from coach_app.ui.player import AudioPlayer  # sound libraries load on first playback

        try:
            if self.player is None:
                audio = sessions.audio_file(self.state.db, self.audio_path)
                self.player = AudioPlayer(audio, self.state.settings.speaker or None)
            self.player.play(seconds)
        except CoachError as exc:
            show_error(self, exc)
            return
        self.play_button.setText("Pause")
        self._poll.start()

    def toggle(self) -> None:
        if self.player is not None and self.player.playing:
            self.player.pause()
            self.play_button.setText("Play")
            self._poll.stop()
        elif self.audio_path is not None:
            self.play_from(self.player.position_s if self.player is not None else 0.0)

    def close_player(self) -> None:
        self._poll.stop()
        if self.player is not None:
            self.player.close()
            self.player = None
        self.play_button.setText("Play")

    def _show_position(self) -> None:
        if self.player is None:
            return
        self.position_label.setText(f"{clock(self.player.position_s)} / {clock(self.player.duration_s)}")
        self.moved.emit(self.player.position_s)
        if not self.player.playing:
            self.play_button.setText("Play")
            self._poll.stop()
