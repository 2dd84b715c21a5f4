"""The shipped sentence encoder: reproduces the published model's similarities, and fails clearly when damaged."""

import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from coach_app.analysis.bert import each_batch
from coach_app.analysis.encoder import (
    DIMENSIONS,
    MAX_TOKENS,
    MAX_WINDOWS,
    TOKENIZER_FILE,
    VIEWS,
    WEIGHTS_FILE,
    SentenceEncoder,
    load_encoder,
    pair_ids,
    shipped_encoder,
)
from coach_app.errors import ModelError
from coach_app.paths import resource

# Texts and their views as the numpy forward pass computed them before the encoder moved to onnxruntime (float16).
PARITY = Path(__file__).resolve().parent.parent / "data" / "encoder_parity.npz"


def _cosine(a: str, b: str) -> float:
    vectors = shipped_encoder().encode([a, b])
    return float(vectors[0] @ vectors[1])


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("The weather is lovely today.", "It's so sunny outside!", 0.6660),
        ("The weather is lovely today.", "He drove to the stadium.", 0.1046),
        ("The new movie is awesome", "The new movie is so great", 0.8939),
        ("A man is playing guitar", "A woman watches TV", -0.0327),
    ],
)
def test_cosines_match_sentence_transformers(first, second, expected):
    """The numpy forward pass gives the cosines sentence-transformers publishes for all-MiniLM-L6-v2."""
    assert _cosine(first, second) == pytest.approx(expected, abs=0.002)


def test_views_match_the_numpy_forward_pass():
    """Every view of every text (short, empty, German, two windows long) is within 1e-4 cosine of the numpy
    forward pass's, so the behaviour model and the classifiers trained on those embeddings hear the same."""
    with np.load(PARITY) as data:
        texts, expected = [str(t) for t in data["texts"]], data["views"].astype(np.float32)
    views = shipped_encoder()._encode_uncached(texts)
    cosines = (views * expected).sum(2) / np.linalg.norm(expected, axis=2)
    assert cosines.min() >= 1 - 1e-4


def test_second_segment_reads_the_pair_type_embedding():
    """Token type 1 adds `pair_type_embedding`, type 0 `type_embedding`: a window all of type 1 has the states of a
    model whose first type embedding is the second's; a model without a pair row reads both types alike."""
    with np.load(resource("models", "sentence_encoder", WEIGHTS_FILE)) as data:
        arrays = {name: data[name] for name in data.files}
    tokenizer = shipped_encoder().tokenizer
    windows = [shipped_encoder().token_ids(text)[0] for text in ("my parcel never came", "so sorry about that")]
    types = [[0] * 3 + [1] * (len(windows[0]) - 3), [1] * len(windows[1])]
    shifted = arrays["type_embedding"] + np.linspace(-1, 1, DIMENSIONS, dtype=np.float32)  # LayerNorm keeps it
    pair_model = SentenceEncoder(arrays | {"pair_type_embedding": shifted}, tokenizer)
    plain_states, mask = shipped_encoder().states(windows)
    pair_states, _ = pair_model.states(windows, types)
    assert np.allclose(shipped_encoder().states(windows, types)[0], plain_states, atol=1e-5)
    assert not np.allclose(pair_states, plain_states, atol=1e-2)
    second_states, _ = SentenceEncoder(arrays | {"type_embedding": shifted}, tokenizer).states(windows)
    assert np.allclose(pair_states[1] * mask[1, :, None], second_states[1] * mask[1, :, None], atol=1e-4)
    assert not np.allclose(pair_states[0], second_states[0], atol=1e-2)  # a window of both types is neither


def test_embeddings_are_unit_length_and_batch_independent():
    """A text's embedding is unit length and the same whether encoded alone or in a padded batch."""
    encoder = shipped_encoder()
    texts = ["Could you tell me a bit more about what happened with the engineer on Tuesday?", "ok", "hi there"]
    batch = encoder._encode_uncached(texts)
    alone = np.vstack([encoder._encode_uncached([t]) for t in texts])
    assert batch.shape == (3, VIEWS, DIMENSIONS)
    assert np.allclose(np.linalg.norm(batch, axis=2), 1.0, atol=1e-5)
    assert np.allclose(batch, alone, atol=1e-4)


def test_many_batches_run_together_give_each_text_its_own_views():
    """A transcript's texts, encoded in several batches run two at a time, get the views each text gets alone."""
    encoder = shipped_encoder()
    texts = [f"order {n} was {'really ' * (n % 13)}late and the courier never rang the bell" for n in range(90)]
    together = encoder._encode_uncached(texts)
    alone = np.vstack([encoder._encode_uncached([text]) for text in texts])
    assert len(texts) > 2 * 32  # more than two batches
    assert np.allclose(together, alone, atol=1e-5)


def test_each_batch_keeps_the_batches_order():
    """Results come back in the batches' order even when later batches finish first, and a lone batch runs in the
    caller's thread."""

    def run(n: int) -> tuple[int, str]:
        time.sleep(0.01 * (6 - n))
        return n, threading.current_thread().name

    together = each_batch(run, range(6))
    assert [n for n, _ in together] == list(range(6))
    assert {name for _, name in together} != {threading.current_thread().name}
    assert each_batch(run, [3]) == [(3, threading.current_thread().name)]


def test_cache_returns_the_same_vector():
    """Encoding the same turn text twice reuses the cached vector."""
    encoder = shipped_encoder()
    text = "So the parcel went to your neighbour's address instead of yours."
    first = encoder.encode_one(text)
    assert text in encoder.cache
    assert np.array_equal(first, encoder.encode_one(text))


def test_bad_inputs_encode_without_error():
    """Empty, whitespace, non-English and very long texts all give finite unit vectors; long ones in windows."""
    encoder = shipped_encoder()
    long_text = " ".join(["the meter reading was wrong again"] * 2000)  # 12,000 words
    windows = encoder.token_ids(long_text)
    assert len(windows) == MAX_WINDOWS and all(len(w) <= MAX_TOKENS for w in windows)
    vectors = encoder.encode(["", "   \n", "Das Paket ist leider nicht angekommen.", "東京の天気", long_text])
    assert np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_missing_file_names_it(tmp_path):
    """A missing weights file raises ModelError naming the file and how to repair it."""
    folder = tmp_path / "encoder"
    folder.mkdir()
    shutil.copy(resource("models", "sentence_encoder", TOKENIZER_FILE), folder / TOKENIZER_FILE)
    with pytest.raises(ModelError, match=r"weights\.npz is missing.*reinstall"):
        load_encoder(folder)


def test_damaged_file_names_it(tmp_path):
    """A truncated weights file raises ModelError naming the folder and how to repair it."""
    folder = tmp_path / "encoder"
    folder.mkdir()
    shutil.copy(resource("models", "sentence_encoder", TOKENIZER_FILE), folder / TOKENIZER_FILE)
    (folder / WEIGHTS_FILE).write_bytes(resource("models", "sentence_encoder", WEIGHTS_FILE).read_bytes()[:5000])
    with pytest.raises(ModelError, match=r"cannot be read.*reinstall"):
        load_encoder(folder)


def test_pair_input_keeps_the_end_of_the_first_text_and_the_start_of_the_second():
    """A pair reads `[CLS] first [SEP] second [SEP]` with token types 0 then 1; over the limit the first text keeps
    its end and the second its start, within the limit."""
    tokenizer = shipped_encoder().tokenizer
    ids, types = pair_ids(tokenizer, "my parcel never came", "so sorry about that", 32)
    words = tokenizer.decode(ids, skip_special_tokens=False).split()
    assert words == ["[CLS]", "my", "parcel", "never", "came", "[SEP]", "so", "sorry", "about", "that", "[SEP]"]
    assert types == [0] * 6 + [1] * 5
    first = " ".join(f"first{i}" for i in range(100)) + " the customer last words"
    second = "the rep first words " + " ".join(f"second{i}" for i in range(100))
    ids, types = pair_ids(tokenizer, first, second, 64)
    text = tokenizer.decode(ids)
    assert len(ids) == len(types) == 64 and types.count(0) >= 64 // 4
    assert "customer last words" in text and "rep first words" in text and "first0 " not in text
