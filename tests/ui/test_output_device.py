"""Choosing the speakers: Settings lists the output devices, and playback goes to the one chosen."""

import numpy as np
import speech
from pulse_server import CUSTOMER_DEVICE, CUSTOMER_SPEAKER

from coach_app.audio.devices import list_output_devices, load_sounddevice
from coach_app.ui.player import AudioPlayer
from coach_app.ui.settings_view import SettingsScreen

LISTEN_S = 1.5


def _heard_dbfs(clip, speaker: str | None) -> float:
    """Play `clip` on `speaker` and return the loudness the customer sink's monitor hears meanwhile."""
    sd = load_sounddevice()
    player = AudioPlayer(clip, speaker)
    player.play(0.0)
    try:
        heard = sd.rec(int(LISTEN_S * 16000), samplerate=16000, channels=1, device=CUSTOMER_DEVICE, blocking=True)
    finally:
        player.close()
    return 20 * np.log10(float(np.sqrt(np.mean(heard**2))) + 1e-9)


def test_output_devices_are_listed_with_one_default(pulse):
    """The output list has the test speaker and exactly one system default, each with output channels."""
    found = {device.name: device for device in list_output_devices()}
    assert CUSTOMER_SPEAKER in found and found[CUSTOMER_SPEAKER].channels >= 1
    assert [device.is_default for device in found.values()].count(True) == 1


def test_playback_goes_to_the_chosen_speaker(pulse, tmp_path_factory):
    """The same recording played on the chosen speaker reaches the customer sink; on the default it does not."""
    clip = speech.speech_wav(tmp_path_factory.mktemp("speakers") / "hello.wav", "Hello, can you hear me clearly?")
    assert _heard_dbfs(clip, CUSTOMER_SPEAKER) > -45
    assert _heard_dbfs(clip, None) < -60  # the system default plays into the rep's sink


def test_settings_store_the_speaker_and_keep_an_unplugged_choice(qtbot, window, pulse):
    """Settings lists the speakers; choosing one stores it and the microphone test plays there; a stored speaker
    that is not connected stays chosen, marked as such."""
    screen = window.show_screen("settings")
    names = [screen.speakers.itemData(i) for i in range(screen.speakers.count())]
    assert names[0] == "" and CUSTOMER_SPEAKER in names
    screen.speakers.setCurrentIndex(screen.speakers.findData(CUSTOMER_SPEAKER))
    assert window.state.settings.speaker == CUSTOMER_SPEAKER and screen.mic.speaker == CUSTOMER_SPEAKER
    window.state.update_settings(speaker="USB headset")
    reopened = SettingsScreen(window.state)
    qtbot.addWidget(reopened)
    assert reopened.speakers.currentText() == "USB headset (not connected)"
    assert reopened.mic.speaker == "USB headset"
