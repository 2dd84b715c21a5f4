"""The Vosk engine loads real models by path, refuses broken folders clearly, and streams timed words."""

import shutil

import numpy as np
import pytest
import soundfile as sf

from coach_app.errors import ModelError
from coach_app.transcription.engine import StreamingTranscriber, load_model, model_samplerate


def test_missing_model_folder_is_refused(tmp_path):
    """A model path that does not exist is named in a ModelError before Vosk is asked."""
    with pytest.raises(ModelError, match=r"nowhere does not exist"):
        load_model(tmp_path / "nowhere")


def test_folder_without_model_files_is_refused(tmp_path, model_path):
    """A folder missing the graph is named with what is missing, before Vosk sees it."""
    broken = tmp_path / "broken"
    shutil.copytree(model_path / "conf", broken / "conf")
    shutil.copytree(model_path / "am", broken / "am")
    with pytest.raises(ModelError, match=r"incomplete.*graph/HCLr\.fst"):
        load_model(broken)


def test_model_vosk_cannot_load_gives_model_error(tmp_path, model_path):
    """A complete-looking model whose acoustic model is cut short is refused with a ModelError, not a crash."""
    broken = tmp_path / "cut"
    shutil.copytree(model_path, broken)
    data = (broken / "am" / "final.mdl").read_bytes()
    (broken / "am" / "final.mdl").write_bytes(data[:4096])
    with pytest.raises(ModelError, match="Vosk could not load"):
        load_model(broken)


def test_model_is_loaded_once_per_path(model_path):
    """Loading the same model twice returns the cached instance."""
    assert load_model(model_path) is load_model(str(model_path))
    assert model_samplerate(model_path) == 16000


def test_streaming_gives_timed_words_and_partials(greeting, model_path):
    """Feeding a channel in 0.1 s blocks yields partial text while going and timed words at the end."""
    samples, rate = sf.read(greeting.stereo_path, dtype="int16")
    customer = np.ascontiguousarray(samples[:, 1])
    transcriber = StreamingTranscriber(model_path)
    partials = []
    for begin in range(0, len(customer), rate // 10):
        transcriber.accept(customer[begin : begin + rate // 10])
        partials.append(transcriber.partial())
    words = transcriber.finish()
    first_partial_s = next(i for i, text in enumerate(partials) if text) / 10
    assert first_partial_s < 3.0, "no partial text while the first line was being spoken or just after"
    line = greeting.turns[0]
    assert abs(words[0].start_s - line.start_s) < 0.25 and abs(words[-1].end_s - line.end_s) < 0.25
    assert all(a.start_s <= b.start_s for a, b in zip(words, words[1:], strict=False))
    assert all(0 <= w.conf <= 1 and w.start_s <= w.end_s for w in words)
