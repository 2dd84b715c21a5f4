"""The pipeline: live streaming gives the file's result, partials show while going, cancel and silence are clean."""

import subprocess
import threading

import numpy as np
import pytest
import soundfile as sf
import soxr

from coach_app.errors import AudioError, Cancelled, ModelError
from coach_app.transcription.engine import StreamingTranscriber
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
    _recognisers_end()


def _recognisers_end() -> None:
    """Every recogniser thread ends (each stops within one slice of audio; generous on a loaded machine)."""
    for thread in [t for t in threading.enumerate() if t.name == "transcriber"]:
        thread.join(10)
        assert not thread.is_alive()


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


def _finishes_within(fn, seconds: float) -> tuple[bool, BaseException | None]:
    """Run fn on a helper thread: (whether it returned within `seconds`, what it raised)."""
    raised: list[BaseException | None] = [None]

    def run():
        try:
            fn()
        except BaseException as exc:
            raised[0] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), raised[0]


def test_a_worker_failing_after_the_end_marker_does_not_hang_finish(greeting, model_path, monkeypatch):
    """If a recogniser fails while finishing (after taking the end marker), finish() raises at once, not hangs."""
    audio, rate = sf.read(greeting.stereo_path, dtype="int16")
    live = LiveTranscription(model_path, rep_channel="left", backlog_blocks=1)
    for begin in range(0, len(audio), 1600):
        live.on_chunk(audio[begin : begin + 1600], rate)

    def broken_finish(self):
        raise RuntimeError("decoder failed")

    monkeypatch.setattr(StreamingTranscriber, "finish", broken_finish)
    returned, raised = _finishes_within(live.finish, 1.0)
    assert returned and isinstance(raised, RuntimeError)
    _recognisers_end()


def test_a_worker_failing_mid_import_ends_the_import(call, model_path, monkeypatch):
    """A recogniser that fails part-way through a file import ends the import with its error; nothing hangs."""
    real_accept = StreamingTranscriber.accept
    calls = []

    def failing_accept(self, samples):
        calls.append(len(samples))
        if len(calls) == 20:
            raise RuntimeError("recogniser failed")
        real_accept(self, samples)

    monkeypatch.setattr(StreamingTranscriber, "accept", failing_accept)
    returned, raised = _finishes_within(lambda: transcribe_file(call.stereo_path, model_path), 60)
    assert returned and isinstance(raised, RuntimeError)
    _recognisers_end()


def test_close_returns_within_a_second_while_a_recogniser_is_busy(greeting, model_path):
    """Cancelling while a recogniser is stuck on a block returns within a second; the worker ends after it."""
    audio, rate = sf.read(greeting.stereo_path, dtype="int16")
    live = LiveTranscription(model_path, rep_channel="left", backlog_blocks=2)
    live.on_chunk(audio[:1600], rate)
    live.on_chunk(audio[1600:], rate)  # the channels are told apart; the workers are running
    release = threading.Event()
    for worker in live._workers.values():
        worker.transcriber._recognizer = _Held(worker.transcriber._recognizer, release)
    live.on_chunk(audio[:1600], rate)
    returned, raised = _finishes_within(live.close, 1.5)
    release.set()
    assert returned and raised is None


class _Held:
    """A Vosk recogniser whose AcceptWaveform waits until `release` is set (a recogniser busy on a long block)."""

    def __init__(self, recognizer, release: threading.Event) -> None:
        self._recognizer = recognizer
        self._release = release
        self.entered = threading.Event()

    def AcceptWaveform(self, data):  # noqa: N802 (Vosk's name)
        self.entered.set()
        self._release.wait(10)
        return self._recognizer.AcceptWaveform(data)

    def __getattr__(self, name):
        return getattr(self._recognizer, name)


def test_partial_text_never_waits_for_recognition(greeting, model_path):
    """partial() answers at once while the recogniser is busy on a block (a UI timer reads it)."""
    audio, rate = sf.read(greeting.stereo_path, dtype="int16")
    transcriber = StreamingTranscriber(model_path)
    mono = np.ascontiguousarray(audio[:, 1])
    transcriber.accept(mono[: len(mono) // 2])
    before = transcriber.partial()
    release = threading.Event()
    held = transcriber._recognizer = _Held(transcriber._recognizer, release)
    busy = threading.Thread(target=transcriber.accept, args=(mono[len(mono) // 2 :],), daemon=True)
    busy.start()
    assert held.entered.wait(5)
    returned, raised = _finishes_within(lambda: transcriber.partial(), 0.5)
    release.set()
    busy.join(10)
    assert returned and raised is None
    assert before and transcriber.partial().startswith(before.split()[0])


def test_a_mono_file_imported_again_gives_the_same_transcript(take_turns, model_path, mono_transcript):
    """The same one-track recording transcribed twice in one process gives exactly the same words and turns (no
    other thread, such as onnxruntime's telemetry, draws on the random numbers Kaldi's dither is seeded from)."""
    assert transcribe_file(take_turns.mono_path, model_path, first_speaker="customer") == mono_transcript
