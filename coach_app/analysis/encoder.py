"""Sentence embeddings from the shipped all-MiniLM-L6-v2 encoder, run by onnxruntime (no torch at run time).

The weights (converted once by `training/convert_encoder.py`) are a 6-layer BERT, run by `bert.Bert`. A sentence's
embedding is the mean of its token vectors, L2-normalised, as sentence-transformers computes it. Texts longer than
the encoder's 256 tokens are encoded in windows whose embeddings are averaged.
"""

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from coach_app.analysis.bert import Bert, each_batch
from coach_app.analysis.lru import LruCache
from coach_app.errors import ModelError
from coach_app.paths import resource

ENCODER_DIR = "sentence_encoder"
WEIGHTS_FILE = "weights.npz"
TOKENIZER_FILE = "tokenizer.json"
DIMENSIONS = 384
VIEWS = 3  # pooled views of a text: all its tokens (the sentence embedding), its first and its last EDGE_TOKENS
EDGE_TOKENS = 8
MAX_TOKENS = 256  # the encoder's trained sequence length, [CLS] and [SEP] included
MAX_WINDOWS = 8  # a very long turn is read in at most this many windows, spread across it
BATCH_TOKENS = 2048  # padded tokens per batch: bounds the attention arrays' memory
CACHE_SIZE = 8192
_EPS = 1e-12
_REPAIR = "reinstall Listening Coach, or rebuild it with training/convert_encoder.py"


class SentenceEncoder:
    """The encoder and its tokenizer; `encode` turns texts into unit-length 384-dimensional vectors."""

    def __init__(self, arrays: dict[str, np.ndarray], tokenizer) -> None:
        self.network = Bert(arrays)
        self.word_embeddings = self.network.word_embeddings
        self.tokenizer = tokenizer
        self.cache: LruCache[str, np.ndarray] = LruCache(CACHE_SIZE)  # text → its (VIEWS, 384) views

    def token_ids(self, text: str) -> list[list[int]]:
        """The text's word-piece ids as one or more windows of at most MAX_TOKENS ids, [CLS] … [SEP] each."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        width = MAX_TOKENS - 2
        starts = list(range(0, max(len(ids), 1), width))
        if len(starts) > MAX_WINDOWS:
            step = (len(starts) - 1) / (MAX_WINDOWS - 1)
            starts = [starts[round(i * step)] for i in range(MAX_WINDOWS)]
        cls, sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        return [[cls, *ids[start : start + width], sep] for start in starts]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text (float32); texts seen before come from the cache."""
        return self.encode_views(texts)[:, 0]

    def encode_views(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, VIEWS, 384): each text's unit-length mean of all tokens, of its first and of its last
        EDGE_TOKENS tokens (how a turn opens and ends: a question usually ends it), from one forward pass."""
        out = np.zeros((len(texts), VIEWS, DIMENSIONS), dtype=np.float32)
        known = self.cache.found(texts)
        missing: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            if text in known:
                out[row] = known[text]
            else:
                missing.setdefault(text, []).append(row)
        if missing:
            fresh = dict(zip(missing, self._encode_uncached(list(missing)), strict=True))  # text → (VIEWS, 384)
            for text, rows in missing.items():
                out[rows] = fresh[text]
            self.cache.add(fresh)
        return out

    def remember(self, views: dict[str, np.ndarray], limit: int = CACHE_SIZE) -> None:
        """Put texts' known views (from `encode_views`) in the cache, which may now hold `limit` texts (training
        scripts reuse their stored views so the analysis they run does not encode the corpus again)."""
        self.cache.limit = max(limit, len(views))
        self.cache.add(views)

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode_views([text])[0, 0]

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        windows = [(row, ids) for row, text in enumerate(texts) for ids in self.token_ids(text)]
        sums = np.zeros((len(texts), VIEWS, DIMENSIONS), dtype=np.float32)
        # Similar lengths share a batch, so little of each batch is padding.
        windows.sort(key=lambda item: len(item[1]))
        batches, start = [], 0
        while start < len(windows):
            size = max(1, BATCH_TOKENS // len(windows[min(start + 31, len(windows) - 1)][1]))
            batches.append(windows[start : start + min(size, 32)])
            start += len(batches[-1])
        pooled = each_batch(self._pooled, [[ids for _, ids in batch] for batch in batches])
        for batch, vectors in zip(batches, pooled, strict=True):
            for (row, _), vector in zip(batch, vectors, strict=True):
                sums[row] += vector
        return sums / np.maximum(np.linalg.norm(sums, axis=2, keepdims=True), _EPS)

    def states(self, windows: Sequence[Sequence[int]], types: Sequence[Sequence[int]] | None = None):
        """The last layer's token states (windows, length, 384) of id windows padded to one length, and the mask
        (windows, length; float32, 1 on real tokens); `types`: each window's token types (all 0 when None)."""
        length = max(len(ids) for ids in windows)
        ids = np.zeros((len(windows), length), dtype=np.int64)
        mask = np.zeros((len(windows), length), dtype=np.float32)
        token_types = None if types is None else np.zeros((len(windows), length), dtype=np.int64)
        for i, window in enumerate(windows):
            ids[i, : len(window)] = window
            mask[i, : len(window)] = 1.0
            if token_types is not None:
                token_types[i, : len(window)] = types[i]
        return self.network.states(ids, mask, token_types), mask

    def _pooled(self, batch: list[list[int]]) -> np.ndarray:
        """(windows, VIEWS, 384): L2-normalised pooled token vectors of a batch of id windows."""
        x, mask = self.states(batch)
        lengths = mask.sum(1).astype(np.int64)
        positions = np.arange(mask.shape[1])[None, :]
        first = mask * (positions <= EDGE_TOKENS)  # [CLS] and the first EDGE_TOKENS word pieces
        last = mask * (positions >= (lengths - 1 - EDGE_TOKENS)[:, None])  # the last ones and [SEP]
        pooled = np.stack([np.einsum("bt,btd->bd", m, x) / m.sum(1, keepdims=True) for m in (mask, first, last)], 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=2, keepdims=True), _EPS)

    def pair_states(self, batch: list[tuple[list[int], list[int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The last layer's token states (pairs, length, 384) of a batch of `pair_ids` inputs, with the padding
        mask and the second-segment mask (both (pairs, length), float32). Every token gets the first token type:
        the fine-tuning kept the type embedding frozen."""
        states, mask = self.states([ids for ids, _ in batch])
        second = np.zeros_like(mask)
        for i, (_, types) in enumerate(batch):
            second[i, : len(types)] = types
        return states, mask, second


def pair_ids(tokenizer, first: str, second: str, max_tokens: int) -> tuple[list[int], list[int]]:
    """BERT pair input `[CLS] first [SEP] second [SEP]` of at most `max_tokens` ids, and its token types (0 for the
    first segment, 1 for the second); over the limit, the end of `first` and the start of `second` are kept, and
    `first` keeps at least a quarter of the room when it is that long."""
    a = tokenizer.encode(first, add_special_tokens=False).ids
    b = tokenizer.encode(second, add_special_tokens=False).ids
    room = max_tokens - 3
    b = b[: max(room - len(a), room - room // 4)]
    a = a[len(a) - min(len(a), room - len(b)) :]
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    ids = [cls, *a, sep, *b, sep]
    return ids, [0] * (len(a) + 2) + [1] * (len(b) + 1)


def load_encoder(folder: Path) -> SentenceEncoder:
    """Read the encoder's weights and tokenizer from `folder`; a missing or damaged file raises ModelError."""
    from tokenizers import Tokenizer  # imported here: only needed once the encoder is loaded

    weights, tokenizer_path = folder / WEIGHTS_FILE, folder / TOKENIZER_FILE
    for path in (weights, tokenizer_path):
        if not path.is_file():
            raise ModelError(f"The sentence encoder file {path} is missing; {_REPAIR}.")
    try:
        with np.load(weights, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        encoder = SentenceEncoder(arrays, Tokenizer.from_file(str(tokenizer_path)))
    except Exception as exc:  # numpy, zipfile and the tokenizer raise many kinds for a damaged file
        raise ModelError(f"The sentence encoder in {folder} cannot be read ({exc}); {_REPAIR}.") from exc
    if encoder.word_embeddings.shape[1] != DIMENSIONS:
        raise ModelError(f"The sentence encoder in {folder} has unexpected shapes; {_REPAIR}.")
    return encoder


@lru_cache(maxsize=1)
def shipped_encoder() -> SentenceEncoder:
    """The encoder shipped in resources/models, loaded once."""
    return load_encoder(resource("models", ENCODER_DIR))
