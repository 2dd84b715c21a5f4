"""Practice: pick a scenario (or partner practice), read the brief, then speak (Space) or type the call.

Stop scores the call in the background and opens it in Review. Spoken scenario calls use the scenarios'
turn loop (the customer answers aloud); partner practice transcribes two people on one microphone.
"""

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coach_app import session
from coach_app.errors import Cancelled, CoachError
from coach_app.scenarios.model import Scenario
from coach_app.ui.call_relay import CallRelay
from coach_app.ui.error_dialog import error_text, show_error
from coach_app.ui.formatting import clock
from coach_app.ui.state import AppState
from coach_app.ui.tasks import run_task
from coach_app.ui.widgets.call_panel import CallPanel
from coach_app.ui.widgets.level_meter import LevelMeter
from coach_app.ui.widgets.record_readiness import RecordReadiness, record_blocker
from coach_app.ui.widgets.reply_bar import ReplyBar
from coach_app.ui.widgets.scenario_picker import ScenarioPicker
from coach_app.ui.widgets.task_panel import TaskPanel

if TYPE_CHECKING:  # the audio, speech and analysis modules load when a call starts, keeping start-up fast
    from coach_app.audio.capture import Recorder
    from coach_app.scenarios.text_driver import TypedCall
    from coach_app.scenarios.turn_loop import TurnLoop
    from coach_app.transcription.pipeline import LiveTranscription

log = logging.getLogger(__name__)

POLL_MS = 50  # the level meter, clock and words being heard; turns arrive as snapshots instead


class PracticeScreen(QWidget):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.recorder: Recorder | None = None
        self.live: LiveTranscription | None = None
        self.typed_call: TypedCall | None = None
        self.loop: TurnLoop | None = None
        self._relay: CallRelay | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._update_live)

        self.picker = ScenarioPicker()
        self.picker.chosen.connect(self._scenario_chosen)

        self.record_button = QPushButton("Record")
        self.record_button.setObjectName("recordButton")
        self.record_button.setAccessibleName("Record or stop")
        self.record_button.setToolTip("Start speaking the call; Space starts and stops")
        self.record_button.clicked.connect(self.toggle_recording)
        self.type_button = QPushButton("Type the call instead")
        self.type_button.setToolTip("Practise by typing your replies: no microphone or speech model needed")
        self.type_button.clicked.connect(self.start_typed)
        self._typed_started = QElapsedTimer()
        self._typed_tick = QTimer(self)
        self._typed_tick.setInterval(1000)
        self._typed_tick.timeout.connect(lambda: self.elapsed.setText(clock(self._typed_started.elapsed() / 1000)))
        self.readiness = RecordReadiness()
        self.readiness.model_chosen.connect(lambda path: state.update_settings(speech_model_path=path))
        self.readiness.models_changed.connect(self.check_record)
        self.elapsed = QLabel("0:00")
        self.elapsed.setAccessibleName("Elapsed time")
        self.meter = LevelMeter()
        self.nudges_box = QCheckBox("Nudges")
        self.nudges_box.setToolTip("Gentle tips while you practise")
        self.nudges_box.setChecked(state.settings.nudges_enabled)
        self.nudges_box.toggled.connect(lambda on: state.update_settings(nudges_enabled=on))
        controls = QHBoxLayout()
        for widget in (self.record_button, self.type_button, self.elapsed):
            controls.addWidget(widget)
        controls.addWidget(self.meter, 1)
        controls.addWidget(self.nudges_box)

        self.call_panel = CallPanel(state.settings.nudges_enabled)
        self.reply_bar = ReplyBar()
        self.reply_bar.edit.returnPressed.connect(self.send_typed)
        self.reply_bar.finish_button.clicked.connect(self.finish_typed)
        self.reply_bar.abandon_button.clicked.connect(self.ask_abandon)
        self.tasks = TaskPanel()
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addLayout(controls)
        right_column.addWidget(self.readiness)
        right_column.addWidget(self.call_panel, 1)
        right_column.addWidget(self.reply_bar)
        right_column.addWidget(self.tasks)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(right)
        self.splitter.setSizes([380, 720])
        self.saved_layout = {"splitter": self.splitter}
        outer = QVBoxLayout(self)
        outer.addWidget(self.splitter)

        # Space records and stops while this screen shows (a hidden screen's shortcuts do not fire).
        self.space = QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_recording)
        self.space.setContext(Qt.ShortcutContext.WindowShortcut)
        for keys, slot in (
            ("Ctrl+Return", self.send_typed),
            ("Ctrl+Enter", self.send_typed),
            ("Ctrl+Shift+Return", self.finish_typed),
            ("Ctrl+Shift+Enter", self.finish_typed),
            ("Esc", self.ask_abandon),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        state.settings_changed.connect(self._settings_changed)
        self.picker.list.setCurrentRow(1 if self.picker.list.count() > 1 else 0)
        self.check_record()

    # Screen hooks

    def activated(self) -> None:
        self.check_record()

    def check_record(self) -> None:
        """Record is available only with a speech model and a microphone; otherwise say why and how to fix it."""
        if self.recording or self.typed_call is not None:
            return
        reason = record_blocker(self.state.settings)
        self.readiness.show_blocker(reason, self.state.settings.speech_model_path)
        self.record_button.setEnabled(not reason)
        self.record_button.setToolTip(reason or "Start speaking the call; Space starts and stops")

    def _settings_changed(self) -> None:
        self.check_record()
        on = self.state.settings.nudges_enabled
        self.nudges_box.setChecked(on)
        self.call_panel.nudge.set_enabled_by_user(on)

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def confirm_close(self) -> bool:
        """Closing while recording: ask, then stop and save the recording before the window goes."""
        if not self.recording:
            return True
        answer = QMessageBox.question(
            self,
            "Recording in progress",
            "A recording is running. Stop it and save the session, then quit?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._save_on_quit()
        return True

    # Choosing

    def selected_scenario(self) -> Scenario | None:
        return self.picker.selected()

    def _scenario_chosen(self, scenario: Scenario | None) -> None:
        self.type_button.setEnabled(scenario is not None and not self.busy)

    @property
    def busy(self) -> bool:
        return self.recording or self.typed_call is not None or self.loop is not None or self.tasks.busy

    def _set_choosing(self, enabled: bool) -> None:
        self.picker.list.setEnabled(enabled)
        self.type_button.setEnabled(enabled and self.selected_scenario() is not None)

    # Typed practice

    def start_typed(self) -> None:
        from coach_app.scenarios.text_driver import TypedCall

        scenario = self.selected_scenario()
        if scenario is None or self.busy:
            return
        self.typed_call = TypedCall(scenario)
        self.call_panel.begin(scenario.persona.name)
        self.call_panel.add_line("Customer", self.typed_call.reply.text)
        self.call_panel.show_snapshot(self.typed_call.conversation.snapshot())
        self._set_choosing(False)
        self.record_button.setEnabled(False)
        self.readiness.hide()  # a typed call needs no microphone or model
        self.reply_bar.begin()
        self._typed_started.start()
        self.elapsed.setText("0:00")
        self._typed_tick.start()

    def ask_abandon(self) -> None:
        """Esc or Abandon call: after a confirmation, drop the typed call without scoring or saving it."""
        if self.typed_call is None or self.recording:
            return
        answer = QMessageBox.question(
            self,
            "Abandon the call",
            "Abandon this practice call? It won't be scored or saved.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.abandon_typed()

    def abandon_typed(self) -> None:
        """Drop the typed call in progress without scoring or saving it."""
        self.typed_call = None
        self._end_typed_controls()
        self.call_panel.add_note("Call abandoned.")
        self.call_panel.nudge.hide()
        self._reset()

    def _end_typed_controls(self) -> None:
        self._typed_tick.stop()
        self.reply_bar.end()

    def send_typed(self) -> None:
        """The customer's pending line and the rep's typed answer go into the call at natural speaking times."""
        text = self.reply_bar.edit.text().strip()
        call = self.typed_call
        if call is None or not text or call.conversation.customer.ended:
            return
        self.reply_bar.edit.clear()
        reply = call.answer(text)
        self.call_panel.shown_turns += 1  # the customer's line is already shown
        self.call_panel.show_snapshot(call.conversation.snapshot())
        self.call_panel.add_line("Customer", reply.text)
        if call.conversation.customer.ended:
            self._typed_tick.stop()
            self.reply_bar.edit.setEnabled(False)
            self.call_panel.add_note("The customer has ended the call. Press Finish and score.")

    def finish_typed(self) -> None:
        call = self.typed_call
        if call is None:
            return
        self.typed_call = None
        self._end_typed_controls()
        if not any(t.speaker == "rep" for t in call.conversation.turns):
            self._reset()
            return
        settings = self.state.settings

        def score_and_save(*, on_progress, cancel) -> int:
            result = call.finish(session.rubric_for(settings))
            title = f"Practice: {call.conversation.scenario.title}"
            return session.save_practice(result, title, settings, None, on_progress=on_progress, cancel=cancel)

        handle = run_task(score_and_save, on_done=self._saved, on_failed=self._save_ended_early, parent=self)
        self._start_saving(handle, "Scoring…")

    # Spoken practice

    def toggle_recording(self) -> None:
        if self.recording:
            self.stop_recording()
        elif not self.busy and self.isVisible() and self.record_button.isEnabled():
            self.start_recording()

    def start_recording(self) -> None:
        """Get the speech model and microphone ready in the background, then record (Space stops)."""
        self._set_choosing(False)
        self.record_button.setEnabled(False)
        scenario = self.selected_scenario()
        self.call_panel.begin(scenario.persona.name if scenario is not None else "")
        self._relay = CallRelay(self)
        self._relay.changed.connect(self.call_panel.show_snapshot)
        handle = run_task(
            session.start_call,
            self.state.settings,
            scenario,
            self._relay.publish,
            on_done=self._call_started,
            on_failed=lambda _exc: self._reset(),
            on_dropped=session.LiveCall.abandon,  # cancelled (or the window closed) while it started
            parent=self,
        )
        self.tasks.follow(handle, "Getting ready…")

    def _call_started(self, call: "session.LiveCall") -> None:
        self.recorder, self.loop, self.live = call.recorder, call.loop, call.live
        self.record_button.setEnabled(True)
        self.record_button.setText("Stop")
        self._poll.start()

    def _update_live(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        self.meter.set_level(max(recorder.level.rms_dbfs))
        self.elapsed.setText(clock(recorder.elapsed_s))
        if self.live is not None:
            self.call_panel.partial.setText(" ".join(self.live.partials().values())[-400:])
        call_over = self.loop is not None and self.loop.call_ended.is_set() and not self.loop.player.playing
        if call_over or recorder.finished.is_set():  # the customer ended the call, or the disk or microphone failed
            self.stop_recording()

    def stop_recording(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        self._poll.stop()
        recorder.request_stop()  # the task below waits for the file to be final, not the UI thread
        self.recorder = None
        self.record_button.setText("Record")
        self.meter.set_level(-100.0)
        loop = self.loop
        finish = self._finisher(recorder)
        handle = run_task(finish, on_done=self._saved, on_failed=self._save_ended_early, parent=self)
        self._start_saving(handle, "Finishing the transcript and scoring…")
        if loop is not None and loop.error is not None:
            show_error(self, CoachError(f"The customer stopped answering ({loop.error}); the call so far is saved."))

    def _finisher(self, recorder: "Recorder"):
        """The job that turns the stopped recording into a stored session (scenario call or partner practice)."""
        settings, live, loop = self.state.settings, self.live, self.loop
        self.live = self.loop = None
        if self._relay is not None:
            self._relay.active = False

        def finish(*, on_progress, cancel) -> int:
            try:
                audio = recorder.stop().path  # the partial file's name if it could not be finalised
            except CoachError:  # the recording would not finish; the error says where its audio is kept
                for worker in (loop, live):
                    if worker is not None:
                        worker.close()
                raise
            try:
                if loop is not None:
                    result = loop.finish(session.rubric_for(settings))
                    title = f"Practice: {loop.conversation.scenario.title}"
                    return session.save_practice(result, title, settings, audio, on_progress=on_progress, cancel=cancel)
                assert live is not None
                return session.finish_recording(
                    live, audio, settings, "Partner practice", on_progress=on_progress, cancel=cancel
                )
            except Cancelled:
                raise
            except Exception as exc:
                raise CoachError(f"{error_text(exc)} The recording is kept at {audio}.") from exc

        return finish

    def _save_on_quit(self) -> None:
        """Stop and store the session now, on this thread: the window is about to close."""
        recorder = self.recorder
        assert recorder is not None
        self._poll.stop()
        self.recorder = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._finisher(recorder)(on_progress=lambda f, m: None, cancel=None)
        except CoachError as exc:
            log.warning("Recording not scored: %s", exc)
        finally:
            QApplication.restoreOverrideCursor()

    # Saving

    def _start_saving(self, handle, message: str) -> None:
        self.record_button.setEnabled(False)
        self.tasks.follow(handle, message)

    def _saved(self, session_id: int) -> None:
        self._reset()
        self.state.sessions_changed.emit()
        self.state.session_opened.emit(session_id)

    def _save_ended_early(self, _exc: BaseException) -> None:
        self._reset()
        self.state.sessions_changed.emit()  # a save cancelled at the last moment may still have been stored

    def _reset(self) -> None:
        if self._relay is not None:
            self._relay.active = False
        self.recorder = self.loop = self.live = None
        self.call_panel.clear_status()
        self._set_choosing(True)
        self.record_button.setText("Record")
        self.check_record()
        self.elapsed.setText("0:00")
