"""The pipeline: live streaming gives the file's result, partials show while going, cancel and silence are clean."""

import subprocess
import threading

import numpy as np
import pytest
import soundfile as sf
import soxr

from coach_app.errors import AudioError, Cancelled, ModelError
from coach_app.transcription.pipeline import LiveTranscription, transcribe_file


def turn_times(transcript):
    return [(t.speaker, t.start_s, t.end_s) for t in transcript.turns]


def test_streaming_at_48k_gives_the_file_result(greeting, model_path, greeting_transcript):
    """Feeding a 48 kHz recording in 0.1 s chunks, as the recorder does, gives the same turns as the file import."""
    audio, rate = sf.read(greeting.stereo_path, dtype="int16")
    recorded = soxr.resample(audio, rate, 48000).astype(np.int16)
    live = LiveTranscription(model_path, rep_channel="left", backlog_blocks=1)
    partials = []
    for begin in range(0, len(recorded), 4800):
        live.on_chunk(recorded[begin : begin + 4800], 48000)
        partials.append(live.partials())
    streamed = live.finish()
    from_file = greeting_transcript
    first_customer = next(i for i, p in enumerate(partials) if p["customer"]) / 10
    first_rep = next(i for i, p in enumerate(partials) if p["rep"]) / 10
    assert first_customer < greeting.turns[1].start_s + 1.0 < first_rep, (first_customer, first_rep)
    assert len(streamed.turns) == len(from_file.turns)
    for (s_speaker, s_start, s_end), (f_speaker, f_start, f_end) in zip(
        turn_times(streamed), turn_times(from_file), strict=True
    ):
        assert s_speaker == f_speaker and abs(s_start - f_start) < 0.1 and abs(s_end - f_end) < 0.1


@pytest.mark.parametrize(("suffix", "rate"), [(".wav", 8000), (".flac", 48000), (".mp3", 44100)])
def test_formats_and_rates_give_the_same_turns(greeting, model_path, suffix, rate, tmp_path):
    """8 kHz WAV, 48 kHz FLAC and MP3 copies of a call give turns within 0.25 s of the truth (OGG: test_convert)."""
    path = tmp_path / f"call{suffix}"
    subprocess.run(["sox", str(greeting.stereo_path), "-r", str(rate), str(path)], check=True)
    transcript = transcribe_file(path, model_path)
    assert [t.speaker for t in transcript.turns] == [t.speaker for t in greeting.turns]
    for found, true in zip(transcript.turns, greeting.turns, strict=True):
        assert abs(found.start_s - true.start_s) <= 0.25 and abs(found.end_s - true.end_s) <= 0.25


def test_cancel_stops_transcription_and_its_threads(call, model_path):
    """Setting cancel during an import raises Cancelled and leaves no recogniser threads running."""
    cancel = threading.Event()
    fractions = []

    def progress(fraction, message):
        fractions.append(fraction)
        if len(fractions) == 2:
            cancel.set()

    with pytest.raises(Cancelled):
        transcribe_file(call.stereo_path, model_path, on_progress=progress, cancel=cancel)
    assert len(fractions) == 2
    assert not [t for t in threading.enumerate() if t.name == "transcriber"]


def test_silent_recording_says_no_speech(tmp_path, model_path):
    """A silent file gives a clear 'no speech' message instead of an empty transcript."""
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros((16000 * 2, 2), dtype=np.int16), 16000)
    with pytest.raises(AudioError, match=r"No speech was recognised in .*silent\.wav"):
        transcribe_file(silent, model_path)


def test_missing_model_is_reported_before_reading_audio(tmp_path, greeting):
    """A missing model folder is a ModelError even when the audio file is fine."""
    with pytest.raises(ModelError, match="does not exist"):
        transcribe_file(greeting.stereo_path, tmp_path / "no-model")
