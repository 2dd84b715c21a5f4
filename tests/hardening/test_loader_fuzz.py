"""Hostile rubric, scenario, bundle and audio files get a clear CoachError, never a crash or a half-written database."""

import contextlib
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach_app.analysis import analyze
from coach_app.audio.convert import read_blocks
from coach_app.errors import AudioError, RubricError, ScenarioError, StorageError
from coach_app.paths import resource
from coach_app.scenarios.loader import load_scenario_file
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.db import open_db
from coach_app.storage.sessions import save_session
from coach_app.transcript_io import load_transcript

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def mangled(original: bytes, data: st.DataObject) -> bytes:
    """A copy of `original` with one random cut, splice of junk, or byte flip."""
    position = data.draw(st.integers(0, len(original)), label="position")
    action = data.draw(st.sampled_from(["cut", "splice", "flip", "drop"]), label="action")
    if action == "cut":
        return original[:position]
    if action == "splice":
        return original[:position] + data.draw(st.binary(max_size=40), label="junk") + original[position:]
    if action == "flip" and position < len(original):
        return original[:position] + bytes([original[position] ^ 0xFF]) + original[position + 1 :]
    end = data.draw(st.integers(position, min(len(original), position + 200)), label="end")
    return original[:position] + original[end:]


@FUZZ
@given(st.data())
def test_mangled_rubric_loads_or_raises_rubric_error(tmp_path_factory, data):
    """A damaged copy of the default rubric is either still valid or refused with RubricError naming the file."""
    path = tmp_path_factory.mktemp("rubric") / "mine.toml"
    path.write_bytes(mangled(resource("rubrics", "default.toml").read_bytes(), data))
    try:
        rubric = load_rubric(path)
    except RubricError as exc:
        assert "mine.toml" in str(exc)
    else:
        assert rubric.dimensions


@FUZZ
@given(st.data())
def test_mangled_scenario_loads_or_raises_scenario_error(tmp_path_factory, data):
    """A damaged copy of a shipped scenario is either valid or refused with ScenarioError naming the file."""
    path = tmp_path_factory.mktemp("scenario") / "mine.toml"
    path.write_bytes(mangled(resource("scenarios", "birthday-gift.toml").read_bytes(), data))
    try:
        load_scenario_file(path)
    except ScenarioError as exc:
        assert "mine.toml" in str(exc)


@pytest.fixture(scope="module")
def bundle_file(tmp_path_factory) -> Path:
    """A real exported session bundle (with its recording) to damage."""
    home = tmp_path_factory.mktemp("source")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        db = open_db()
        transcript = load_transcript(ROOT / "data" / "samples" / "birthday_gift_good.json")
        audio = home / "call.wav"
        sf.write(audio, np.zeros(16000, dtype=np.int16), 16000)
        session_id = save_session(db, transcript, analyze(transcript), "Sam", "Birthday", audio_path=audio)
        return export_bundle(db, session_id, home / "bundle.zip")


@FUZZ
@given(st.data())
def test_mangled_bundle_imports_whole_or_not_at_all(tmp_path_factory, bundle_file, data):
    """A damaged bundle is refused with StorageError or imported whole; the database always passes integrity_check."""
    home = tmp_path_factory.mktemp("library")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        db = open_db()
        path = home / "bundle.zip"
        path.write_bytes(mangled(bundle_file.read_bytes(), data))
        try:
            import_bundle(db, path)
        except StorageError:
            assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
            assert db.execute("SELECT count(*) FROM turns").fetchone()[0] == 0
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def audio_files(tmp_path_factory) -> dict[str, Path]:
    """Real short recordings in each supported format (made with soundfile), to damage."""
    folder = tmp_path_factory.mktemp("audio")
    tone = (np.sin(np.linspace(0, 2000, 8000)) * 8000).astype(np.int16)
    files = {}
    for suffix, fmt in ((".wav", "WAV"), (".flac", "FLAC"), (".ogg", "OGG"), (".mp3", "MP3")):
        path = folder / f"tone{suffix}"
        sf.write(path, tone, 8000, format=fmt)
        files[suffix] = path
    return files


@FUZZ
@given(st.data())
def test_mangled_audio_reads_or_raises_audio_error(tmp_path_factory, audio_files, data):
    """Damaged WAV/FLAC/OGG/MP3 files are read or refused with AudioError; never another exception."""
    suffix = data.draw(st.sampled_from(sorted(audio_files)), label="format")
    path = tmp_path_factory.mktemp("damaged") / f"call{suffix}"
    path.write_bytes(mangled(audio_files[suffix].read_bytes(), data))
    with contextlib.suppress(AudioError):
        for block in read_blocks(path, 16000):
            assert block.dtype == np.int16
