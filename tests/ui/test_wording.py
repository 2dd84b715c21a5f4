"""Errors the window shows are in plain words: no error numbers, no commands to type in a terminal."""

import threading

import pytest

from coach_app.errors import ModelError
from coach_app.transcription.model_download import download
from coach_app.transcription.models import require_model
from coach_app.ui.error_dialog import error_text
from coach_app.ui.wording import NO_CONNECTION


def test_a_failed_download_says_the_server_could_not_be_reached(tmp_path):
    """A real refused connection becomes "Couldn't reach the download server…", without "Errno" or "coach-app"."""
    with pytest.raises(ModelError) as failure:
        download("http://127.0.0.1:9/model.zip", tmp_path / "model.zip.part", lambda f, m: None, threading.Event())
    assert "coach-app" in str(failure.value)  # the command line keeps its advice
    shown = error_text(failure.value)
    assert shown == NO_CONNECTION and "Errno" not in shown and "coach-app" not in shown


def test_a_missing_speech_model_points_to_the_model_manager(monkeypatch, tmp_path):
    """ "No speech model installed" reads as what to open in the app, and that typed practice still works."""
    monkeypatch.setenv("HOME", str(tmp_path))  # a fresh account: no model in vosk's own folders either
    monkeypatch.delenv("VOSK_MODEL_PATH", raising=False)
    with pytest.raises(ModelError) as failure:
        require_model()
    shown = error_text(failure.value)
    assert "Speech models" in shown and "Typed practice" in shown and "coach-app" not in shown
