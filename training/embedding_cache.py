"""Sentence-encoder views of many texts for the training scripts, cached in build/ (delete the file to recompute)."""

import time
from pathlib import Path

import numpy as np

from coach_app.analysis.encoder import shipped_encoder


def cached_views(texts: set[str], cache: Path) -> dict[str, np.ndarray]:
    """Each text's encoder views (see `SentenceEncoder.encode_views`), reusing and extending `cache`."""
    known: dict[str, np.ndarray] = {}
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted(texts - known.keys())
    if missing:
        start = time.perf_counter()
        known.update(zip(missing, shipped_encoder().encode_views(missing), strict=True))
        print(f"encoded {len(missing)} texts in {time.perf_counter() - start:.0f} s", flush=True)
        cache.parent.mkdir(exist_ok=True)
        keys = sorted(known)
        np.savez(cache, texts=np.array(keys, dtype=str), vectors=np.stack([known[k] for k in keys]))
    return known
