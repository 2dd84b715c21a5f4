"""Recordings become speaker turns at the true times: stereo by channel, mono by voice; users can fix speakers."""

import numpy as np
import pytest
import soundfile as sf

from coach_app.errors import TranscriptError
from coach_app.transcription.diarize import reassign_turn, swap_speakers
from coach_app.transcription.pipeline import transcribe_file

TOLERANCE_S = 0.25


def assert_matches(transcript, truth):
    found = [(t.speaker, t.start_s, t.end_s) for t in transcript.turns]
    assert len(found) == len(truth), found
    for (speaker, start, end), true in zip(found, truth, strict=True):
        assert speaker == true.speaker, found
        assert abs(start - true.start_s) <= TOLERANCE_S, (found, true)
        assert abs(end - true.end_s) <= TOLERANCE_S, (found, true)


def test_stereo_turns_match_the_truth(stereo_transcript, call):
    """Each channel's speech becomes that speaker's turns, within 0.25 s of where it really is."""
    assert_matches(stereo_transcript, call.turns)
    assert all(turn.words and turn.text for turn in stereo_transcript.turns)


def test_stereo_overlaps_are_preserved(stereo_transcript, call):
    """Where one speaker starts before the other finishes, the turns overlap in the transcript too."""
    turns = stereo_transcript.turns
    overlaps = [round(a.end_s - b.start_s, 1) for a, b in zip(turns, turns[1:], strict=False) if b.start_s < a.end_s]
    true = [round(a.end_s - b.start_s, 1) for a, b in zip(call.turns, call.turns[1:], strict=False)]
    assert len(overlaps) == 2
    assert all(abs(o - t) <= 0.3 for o, t in zip(overlaps, [t for t in true if t > 0], strict=True))


def test_rep_channel_setting_swaps_speakers(greeting, model_path, greeting_transcript):
    """Saying the rep is on the right gives the same turns with the speakers exchanged."""
    flipped = transcribe_file(greeting.stereo_path, model_path, rep_channel="right")
    assert [t.speaker for t in greeting_transcript.turns] == ["customer", "rep"]
    assert [t.speaker for t in flipped.turns] == ["rep", "customer"]


def test_mono_recording_is_split_by_voice(mono_transcript, take_turns):
    """A two-voice mono dialogue is split into the right speakers at the right times."""
    assert_matches(mono_transcript, take_turns.turns)


def test_forced_mono_with_rep_first(greeting, model_path):
    """Forcing a stereo file into one track (--mono) splits it by voice; the first voice is called the rep."""
    mixed = transcribe_file(greeting.stereo_path, model_path, mono=True, first_speaker="rep")
    assert [t.speaker for t in mixed.turns] == ["rep", "customer"]
    starts_off = [abs(found.start_s - true.start_s) for found, true in zip(mixed.turns, greeting.turns, strict=True)]
    assert max(starts_off) <= TOLERANCE_S


def test_stereo_file_with_two_copies_of_one_track_is_split_by_voice(greeting, model_path, tmp_path):
    """A "stereo" export whose channels are the same mono track is split by voice, not duplicated per channel."""
    mono, rate = sf.read(greeting.mono_path, dtype="int16")
    dual = tmp_path / "dual-mono.wav"
    sf.write(dual, np.stack([mono, mono], axis=1), rate, subtype="PCM_16")
    transcript = transcribe_file(dual, model_path, first_speaker="customer")
    assert [t.speaker for t in transcript.turns] == ["customer", "rep"]


def test_user_can_reassign_a_turn(mono_transcript):
    """Reassigning one turn changes only that turn's speaker; a bad index or speaker is a clear error."""
    fixed = reassign_turn(mono_transcript, 1, "customer")
    assert fixed.turns[1].speaker == "customer"
    assert fixed.turns[0] == mono_transcript.turns[0] and fixed.turns[2:] == mono_transcript.turns[2:]
    with pytest.raises(TranscriptError, match="no turn 99: "):
        reassign_turn(mono_transcript, 99, "rep")
    with pytest.raises(TranscriptError, match="not valid"):
        reassign_turn(mono_transcript, 0, "manager")


def test_user_can_swap_speakers(mono_transcript):
    """Swapping exchanges every turn's speaker and keeps times and words; swapping back restores it."""
    swapped = swap_speakers(mono_transcript)
    assert [t.speaker for t in swapped.turns] == [
        "rep" if t.speaker == "customer" else "customer" for t in mono_transcript.turns
    ]
    assert [t.words for t in swapped.turns] == [t.words for t in mono_transcript.turns]
    assert swap_speakers(swapped) == mono_transcript
