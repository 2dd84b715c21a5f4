"""Audio test fixtures: a private PulseAudio server as the microphone, and real espeak-ng speech to play into it."""

import pytest
from pulse_server import PulseServer, start_pulse_server
from speech import VOICES, speech_wav

from coach_app.audio.devices import refresh_devices


@pytest.fixture(scope="session")
def pulse(tmp_path_factory) -> PulseServer:
    """A running PulseAudio null-sink setup that sounddevice sees; fails (never skips) if it cannot start."""
    try:
        server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    except RuntimeError as exc:
        pytest.fail(f"The PulseAudio test microphone could not start: {exc}", pytrace=False)
    with pytest.MonkeyPatch.context() as env:
        for name, value in server.env.items():
            env.setenv(name, value)
        refresh_devices()  # PortAudio lists devices once; rescan now that the server and its devices exist
        yield server
    server.stop()
    refresh_devices()


@pytest.fixture(scope="session")
def rep_speech(tmp_path_factory):
    """About 3 s of the rep's voice as a 16 kHz mono WAV."""
    return speech_wav(tmp_path_factory.mktemp("speech") / "rep.wav", "Can you tell me a bit more about what happened?")


@pytest.fixture(scope="session")
def customer_speech(tmp_path_factory):
    """About 2 s of the customer's voice as a 16 kHz mono WAV."""
    return speech_wav(
        tmp_path_factory.mktemp("speech") / "customer.wav", "My parcel never arrived.", voice=VOICES["customer"]
    )
