"""Listing and choosing microphones, and the one-sentence errors for devices that cannot be used."""

import errno
import re
import subprocess
import sys

import pytest
from pulse_server import CUSTOMER_DEVICE, REP_DEVICE

from coach_app.audio import devices
from coach_app.errors import AudioError


def test_lists_the_virtual_microphones_and_picks_the_default(pulse):
    """The PulseAudio devices appear with their channels and rate, and exactly one is the default."""
    found = {device.name: device for device in devices.list_input_devices()}
    assert {REP_DEVICE, CUSTOMER_DEVICE, "default"} <= set(found)
    assert found[REP_DEVICE].channels >= 2 and found[REP_DEVICE].default_samplerate > 0
    assert devices.default_input_device() == found["default"]
    assert [device.is_default for device in found.values()].count(True) == 1


def test_finds_a_device_by_number_name_or_fragment(pulse):
    """--device accepts the number, the exact name or a unique part of it."""
    rep = devices.find_input_device(REP_DEVICE)
    assert devices.find_input_device(rep.index) == rep
    assert devices.find_input_device(str(rep.index)) == rep
    assert devices.find_input_device("CUSTOMER").name == CUSTOMER_DEVICE
    assert devices.find_input_device(None).is_default


def test_unknown_or_ambiguous_device_is_a_clear_error(pulse):
    """A number or name that matches nothing (or several devices) says so and how to list the devices."""
    with pytest.raises(AudioError, match=r"no microphone '97'.*coach_rep.*--list-devices"):
        devices.find_input_device(97)
    with pytest.raises(AudioError, match=r"Several microphones match 'coach'.*device number"):
        devices.find_input_device("coach")


def test_no_microphone_at_all_is_a_clear_error(tmp_path):
    """With no sound system at all, listing devices tells the user to connect a microphone (exit status 2)."""
    no_cards = tmp_path / "alsa.conf"
    no_cards.write_text("pcm.nothing { type hw card 99 }\n")  # alsa-lib needs one entry; this one opens nothing
    env = {
        "PATH": "/usr/bin:/bin",
        "ALSA_CONFIG_PATH": str(no_cards),
        "PULSE_SERVER": f"unix:{tmp_path / 'no-server'}",
        "COACH_APP_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from coach_app.cli import main; raise SystemExit(main())", "record", "--list-devices"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "No microphone was found: connect one" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_portaudio_library_is_explained(monkeypatch):
    """If sounddevice cannot load, the error names PortAudio and the package to install."""
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # what Python does when the import fails
    with pytest.raises(AudioError, match="PortAudio could not be loaded.*libportaudio2"):
        devices.load_sounddevice()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Device unavailable", devices.PA_DEVICE_UNAVAILABLE), "is busy: close other programs"),
        (("Unanticipated host error", -9999, (0, -errno.EBUSY, "Device or resource busy")), "is busy"),
        (("Unanticipated host error", -9999, (0, -errno.EACCES, "Permission denied")), "not allowed to use"),
        (("Invalid device", devices.PA_INVALID_DEVICE), "no longer available: reconnect it"),
        (("Invalid number of channels", devices.PA_INVALID_CHANNEL_COUNT), "has 32 input channel"),
        (("Internal PortAudio error", -9986), r"could not be opened \(Internal PortAudio error"),
    ],
)
def test_portaudio_failures_become_one_sentence_naming_the_device(pulse, args, expected):
    """Busy, forbidden, vanished and other PortAudio failures name the device and what to do."""
    sd = devices.load_sounddevice()
    rep = devices.find_input_device(REP_DEVICE)
    message = str(devices.portaudio_error_to_audio_error(sd.PortAudioError(*args), rep))
    assert "'coach_rep'" in message
    assert message.endswith(".") and ". " not in message  # one sentence
    assert re.search(expected, message)
