"""What the voice separation adds to storage: per-turn speaker confidence, the notes on how a recording was
split, and the rep's voice print."""

from dataclasses import replace

import numpy as np
import pytest

from coach_app.analysis import analyze
from coach_app.core import Transcript, Turn
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.corrections import correct_speakers
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, read_transcript, save_session
from coach_app.storage.voice_prints import load_voice_print, update_voice_print
from coach_app.transcription.diarize import reassign_turn

TRANSCRIPT = Transcript(
    (
        Turn("customer", 0.0, 3.0, "my parcel never arrived", speaker_conf=0.55),
        Turn("rep", 3.5, 6.0, "I am sorry to hear that", speaker_conf=0.97),
        Turn("customer", 6.5, 8.0, "thank you"),
    )
)


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "coach.db")
    yield database
    database.close()


def test_speaker_confidence_is_stored_and_cleared_by_a_fix(db):
    """Each turn's speaker confidence is read back as saved; a turn the user reassigns becomes certain (None)."""
    session = save_session(db, TRANSCRIPT, analyze(TRANSCRIPT), rep="Sam", title="call")
    assert [t.speaker_conf for t in read_transcript(db, session).turns] == [0.55, 0.97, None]
    fixed = reassign_turn(read_transcript(db, session), 0, "rep")
    correct_speakers(db, session, fixed, analyze(fixed), load_rubric())
    stored = read_transcript(db, session)
    assert stored.turns[0] == replace(TRANSCRIPT.turns[0], speaker="rep", speaker_conf=None)
    assert stored.turns[1].speaker_conf == 0.97


def test_transcript_notes_are_kept_through_a_speaker_fix_and_a_bundle(db, tmp_path):
    """The notes saved with a session are read back, stay after the speakers are fixed, and travel in a bundle."""
    notes = ("Only one voice was heard in call.wav: every turn is given to the customer.",)
    session = save_session(db, replace(TRANSCRIPT, notes=notes), analyze(TRANSCRIPT), rep="Sam", title="call")
    assert load_session(db, session).transcript.notes == notes
    fixed = reassign_turn(read_transcript(db, session), 1, "customer")
    correct_speakers(db, session, fixed, analyze(fixed), load_rubric())
    assert read_transcript(db, session).notes == notes
    bundle = export_bundle(db, session, tmp_path / "call.zip")
    other = open_db(tmp_path / "other" / "coach.db")
    try:
        assert read_transcript(other, import_bundle(other, bundle).session_id).notes == notes
    finally:
        other.close()
    plain = save_session(db, TRANSCRIPT, analyze(TRANSCRIPT), rep="Sam", title="plain")
    assert read_transcript(db, plain).notes == ()


def test_voice_print_is_a_time_weighted_mean(db):
    """A rep has no print until one is learned; later recordings fold in by their speech time; others are apart."""
    assert load_voice_print(db, "Sam") is None
    first, second = np.eye(256)[0], np.eye(256)[1]
    update_voice_print(db, "Sam", first, 30.0)
    assert np.allclose(load_voice_print(db, "Sam"), first, atol=1e-6)
    update_voice_print(db, "Sam", second, 10.0)
    mixed = load_voice_print(db, "Sam")
    assert np.isclose(np.linalg.norm(mixed), 1.0, atol=1e-5)
    assert mixed[0] == pytest.approx(3 * mixed[1], rel=1e-4)
    assert load_voice_print(db, "Alex") is None
