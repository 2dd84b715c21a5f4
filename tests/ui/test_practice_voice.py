"""Spoken partner practice through the real capture path: speech played into a PulseAudio null sink, the real
Vosk engine (the Korean model: English speech gives Korean words, but real timings), Space to start and stop."""

import threading

import pytest
import soundfile as sf
import speech
from model_trees import KOREAN_MODEL
from pulse_server import CUSTOMER_SINK, REP_DEVICE
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox
from qt_dialogs import answer_next_dialog

from coach_app import paths
from coach_app.storage.sessions import audio_file, list_sessions, load_session
from coach_app.ui.widgets.mic_check import MicCheck

SHORT_EXCHANGE = (
    speech.Line("customer", "Hello, my parcel is late.", 0.0),
    speech.Line("rep", "I am sorry, let me check that for you.", 2.6),
)


@pytest.fixture
def voice_window(window, pulse):
    window.state.update_settings(microphone=REP_DEVICE, speech_model_path=str(KOREAN_MODEL), rep_name="Sam")
    practice = window.show_screen("practice")
    practice.picker.list.setCurrentRow(0)  # partner practice: two people, one microphone
    return window


def test_space_records_live_and_stop_stores_the_session(qtbot, voice_window, pulse, tmp_path_factory):
    """Space starts recording (meter and elapsed move, partial text appears), Space stops; the session is stored
    with its recording and a two-speaker transcript and opens in Review."""
    dialogue = speech.cached_dialogue(tmp_path_factory, speech.TAKE_TURNS)
    practice = voice_window.page("practice")
    qtbot.keyClick(practice.picker.list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: practice.recording, timeout=20000)  # the model loads in the background
    player = pulse.play(dialogue.mono_path)
    qtbot.waitUntil(lambda: practice.meter.dbfs > -40, timeout=15000)
    qtbot.waitUntil(lambda: practice.call_panel.partial.text() != "", timeout=30000)
    player.wait(timeout=60)
    assert practice.elapsed.text() != "0:00"
    with qtbot.waitSignal(voice_window.state.session_opened, timeout=60000) as opened:
        qtbot.keyClick(practice.picker.list, Qt.Key.Key_Space)
    stored = load_session(voice_window.state.db, opened.args[0])
    assert stored.summary.audio_path is not None
    assert audio_file(voice_window.state.db, stored.summary.audio_path).is_file()
    assert stored.summary.duration_s > 0.5 * dialogue.duration_s
    assert {turn.speaker for turn in stored.transcript.turns} == {"rep", "customer"}
    assert voice_window.current_key() == "review"

    review = voice_window.page("review")  # clicking a moment plays the recording from there
    review.playback.play_from(2.0)
    qtbot.waitUntil(lambda: review.playback.player.position_s > 2.3, timeout=10000)
    qtbot.keyClick(review, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert not review.playback.player.playing and review.playback.play_button.text() == "Play"


def test_a_practice_recording_too_short_to_split_shows_its_note_in_review(qtbot, voice_window, pulse, tmp_path):
    """One short line recorded: too little speech to tell two voices apart, and Review, opened after Stop, says so."""
    line = speech.speech_wav(tmp_path / "line.wav", "Hello, my parcel is late.")
    practice = voice_window.page("practice")
    qtbot.keyClick(practice.picker.list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: practice.recording, timeout=20000)
    player = pulse.play(line)
    qtbot.waitUntil(lambda: practice.call_panel.partial.text() != "", timeout=30000)
    player.wait(timeout=30)
    with qtbot.waitSignal(voice_window.state.session_opened, timeout=60000) as opened:
        qtbot.keyClick(practice.picker.list, Qt.Key.Key_Space)
    notes = load_session(voice_window.state.db, opened.args[0]).transcript.notes
    notice = voice_window.page("review").transcript_notes
    assert notes and notice.isVisible() and all(note in notice.text() for note in notes)


def test_microphone_check_shows_the_level_and_plays_the_test_back(qtbot, pulse, tmp_path_factory, state):
    """The first-run microphone check records a few seconds with a moving meter, then plays them back."""
    check = MicCheck(REP_DEVICE)
    qtbot.addWidget(check)
    assert check.chosen_device() == REP_DEVICE
    clip = speech.speech_wav(tmp_path_factory.mktemp("mic") / "hello.wav", "Hello, this is my microphone test.")
    check.start_test()
    player = pulse.play(clip)
    qtbot.waitUntil(lambda: check.meter.dbfs > -40, timeout=10000)
    with qtbot.waitSignal(check.test_finished, timeout=15000) as finished:
        pass
    player.wait(timeout=30)
    assert finished.args[0] > 3.5 and check.play_button.isEnabled()
    check.play_test()
    qtbot.waitUntil(lambda: check.player.position_s > 0.5, timeout=10000)
    check.stop()


def test_closing_while_recording_asks_and_keeps_the_recording(qtbot, voice_window, pulse, tmp_path_factory):
    """Closing during a recording asks first; answering Yes stops, scores and stores it before the window goes."""
    dialogue = speech.cached_dialogue(tmp_path_factory, SHORT_EXCHANGE)
    practice = voice_window.page("practice")
    practice.start_recording()
    qtbot.waitUntil(lambda: practice.recording, timeout=20000)
    player = pulse.play(dialogue.mono_path)
    player.wait(timeout=60)
    qtbot.waitUntil(lambda: practice.call_panel.partial.text() != "", timeout=30000)
    answer_next_dialog(QMessageBox.StandardButton.Yes, "recording is running")
    assert voice_window.close()
    stored = list_sessions(voice_window.state.db)
    assert len(stored) == 1 and stored[0].audio_path is not None
    assert audio_file(voice_window.state.db, stored[0].audio_path).is_file()


def test_spoken_scenario_call_the_customer_answers_and_the_call_is_stored(
    qtbot, voice_window, pulse, tmp_path_factory, monkeypatch
):
    """With a scenario, the customer speaks first (into the customer sink), answers the rep's spoken turn, and
    Stop stores the call under the scenario with its recording."""
    monkeypatch.setenv("PULSE_SINK", CUSTOMER_SINK)  # the customer's voice must not leak into the rep's microphone
    practice = voice_window.page("practice")
    practice.picker.list.setCurrentRow(1)
    scenario = practice.selected_scenario()
    practice.start_recording()
    qtbot.waitUntil(lambda: practice.recording, timeout=20000)
    qtbot.waitUntil(lambda: "Customer:" in practice.call_panel.call.toPlainText(), timeout=20000)  # the opening line
    qtbot.waitUntil(lambda: not practice.loop.player.playing, timeout=30000)
    clip = speech.speech_wav(tmp_path_factory.mktemp("turn") / "rep.wav", "I am so sorry. What happened exactly?")
    pulse.play(clip).wait(timeout=30)
    qtbot.waitUntil(lambda: practice.call_panel.call.toPlainText().count("Customer:") >= 2, timeout=30000)
    assert "You:" in practice.call_panel.call.toPlainText()
    assert practice.call_panel.mood.text().startswith(scenario.persona.name)
    with qtbot.waitSignal(voice_window.state.session_opened, timeout=60000) as opened:
        practice.toggle_recording()
    stored = load_session(voice_window.state.db, opened.args[0])
    assert stored.summary.scenario == scenario.id and stored.summary.audio_path is not None
    speakers = [turn.speaker for turn in stored.transcript.turns]
    assert speakers[:3] == ["customer", "rep", "customer"]


def _microphone_closed(practice) -> None:
    """Nothing records: no recorder or practice-loop thread runs, no recording was left, the screen is ready."""
    for thread in threading.enumerate():
        if thread.name in ("recording-writer", "turn-loop"):
            thread.join(5)
            assert not thread.is_alive(), thread.name
    assert not practice.recording and practice.loop is None
    assert list(paths.recordings_dir().glob("*.wav")) == []


@pytest.mark.parametrize("moment", ["while_loading", "after_the_microphone_opened"])
def test_cancel_while_getting_ready_closes_the_microphone(qtbot, voice_window, monkeypatch, moment):
    """Cancel on "Getting ready…" ends the start: whether it comes while the model loads or after the microphone
    opened (the result still on its way to the screen), nothing records and the screen is ready again."""
    monkeypatch.setenv("PULSE_SINK", CUSTOMER_SINK)
    practice = voice_window.page("practice")
    practice.picker.list.setCurrentRow(1)  # a scenario call: the customer's loop starts too
    practice.start_recording()
    handle = practice.tasks._handle
    if moment == "after_the_microphone_opened":
        assert QThreadPool.globalInstance().waitForDone(30000)  # started; the screen has not heard yet
    with qtbot.waitSignal(handle.ended, timeout=30000):
        practice.tasks.cancel()
    _microphone_closed(practice)
    assert practice.record_button.isEnabled() and practice.picker.list.isEnabled()


def test_closing_the_window_while_getting_ready_closes_the_microphone(qtbot, voice_window, monkeypatch):
    """The window closes while the call is starting: the start is cancelled and the microphone closed."""
    monkeypatch.setenv("PULSE_SINK", CUSTOMER_SINK)
    practice = voice_window.page("practice")
    practice.picker.list.setCurrentRow(1)
    practice.start_recording()
    handle = practice.tasks._handle
    assert QThreadPool.globalInstance().waitForDone(30000)
    with qtbot.waitSignal(handle.ended, timeout=30000):
        assert voice_window.close()
    _microphone_closed(practice)


def test_a_failing_customer_loop_stops_the_call_and_keeps_the_recording(
    qtbot, voice_window, pulse, tmp_path_factory, monkeypatch
):
    """The practice loop fails mid-call (its recogniser crashes on the rep's turn): the call stops by itself, the
    error is shown, and the session is stored with its whole recording and what was said before the failure."""
    monkeypatch.setenv("PULSE_SINK", CUSTOMER_SINK)
    practice = voice_window.page("practice")
    practice.picker.list.setCurrentRow(1)
    practice.start_recording()
    qtbot.waitUntil(lambda: practice.recording, timeout=20000)
    qtbot.waitUntil(lambda: "Customer:" in practice.call_panel.call.toPlainText(), timeout=20000)  # the opening line
    loop = practice.loop

    def crash():
        raise RuntimeError("the recogniser crashed")

    monkeypatch.setattr(loop.transcriber, "finish_turn", crash)
    qtbot.waitUntil(lambda: not loop.player.playing, timeout=30000)
    clip = speech.speech_wav(tmp_path_factory.mktemp("crash") / "rep.wav", "I am so sorry. What happened exactly?")
    with qtbot.waitSignal(voice_window.state.session_opened, timeout=60000) as opened:
        assert pulse.play(clip).wait(timeout=30) == 0
    dialogs = [box for box in voice_window.findChildren(QMessageBox, "errorDialog") if box.isVisible()]
    assert len(dialogs) == 1 and "stopped answering" in dialogs[0].text()
    dialogs[0].close()
    stored = load_session(voice_window.state.db, opened.args[0])
    recording = audio_file(voice_window.state.db, stored.summary.audio_path)
    assert sf.info(recording).duration > sf.info(clip).duration  # the rep's words were recorded
    assert [turn.speaker for turn in stored.transcript.turns] == ["customer"]
