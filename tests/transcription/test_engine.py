"""The Vosk engine loads real models by path, refuses broken folders clearly, and streams timed words."""

import shutil

import numpy as np
import pytest
import soundfile as sf

from coach_app.errors import ModelError
from coach_app.transcription.engine import StreamingTranscriber, check_model, load_model, model_samplerate


def test_missing_model_folder_says_how_to_get_one(tmp_path):
    """A model path that does not exist names the folder and the install command."""
    with pytest.raises(ModelError, match=r"does not exist.*coach-app models install vosk-model-small-en-us-0\.15"):
        check_model(tmp_path / "nowhere")


def test_folder_without_model_files_is_refused(tmp_path, model_path):
    """A folder missing the graph is named with what is missing, before Vosk sees it."""
    broken = tmp_path / "broken"
    shutil.copytree(model_path / "conf", broken / "conf")
    (broken / "am").mkdir()
    (broken / "am" / "final.mdl").write_bytes(b"")
    with pytest.raises(ModelError, match=r"missing graph/HCLG\.fst"):
        load_model(broken)


def test_damaged_model_files_give_model_error(tmp_path, model_path):
    """A folder with the right layout but garbage files is refused with a ModelError, not a crash."""
    broken = tmp_path / "garbage"
    for name in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
        (broken / name).parent.mkdir(parents=True, exist_ok=True)
        (broken / name).write_bytes(b"not a model")
    with pytest.raises(ModelError, match="could not load"):
        load_model(broken)


def test_model_is_loaded_once_per_path(model_path):
    """Loading the same model twice returns the cached instance."""
    assert load_model(model_path) is load_model(str(model_path))
    assert model_samplerate(model_path) == 16000


def test_streaming_gives_timed_words_and_partials(take_turns, model_path):
    """Feeding a channel in 0.1 s blocks yields partial text while going and timed words at the end."""
    samples, rate = sf.read(take_turns.stereo_path, dtype="int16")
    customer = samples[:, 1]
    transcriber = StreamingTranscriber(model_path)
    partials = []
    for begin in range(0, int(3.0 * rate), rate // 10):
        transcriber.accept(customer[begin : begin + rate // 10])
        partials.append(transcriber.partial())
    assert any(partials), "no partial text while the first turn was being spoken"
    transcriber.accept(customer[int(3.0 * rate) :])
    words = transcriber.finish()
    first = take_turns.turns[0]
    assert abs(words[0].start_s - first.start_s) < 0.25
    assert all(a.start_s <= b.start_s for a, b in zip(words, words[1:], strict=False))
    assert all(0 <= w.conf <= 1 and w.end_s >= w.start_s for w in words)
    assert np.isclose(max(w.end_s for w in words), take_turns.turns[-1].end_s, atol=0.4)
