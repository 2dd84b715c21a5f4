"""Audio test fixtures: real espeak-ng speech to play into the PulseAudio test microphone (tests/conftest.py)."""

import pytest
from speech import VOICES, speech_wav


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
