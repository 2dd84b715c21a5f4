"""Level meter readings: RMS and peak per channel in dB relative to full scale."""

import math
from dataclasses import dataclass

import numpy as np

SILENCE_DBFS = -100.0  # floor of the meter, so silence is a number a UI can draw


@dataclass(frozen=True)
class LevelReading:
    """Loudness of the latest written block, per channel, in dB relative to full scale."""

    rms_dbfs: tuple[float, ...]
    peak_dbfs: tuple[float, ...]


def level_of(frames: np.ndarray) -> LevelReading:
    """RMS and peak per channel of int16 frames, in dBFS, floored at `SILENCE_DBFS`."""
    samples = frames.astype(np.float64) / 32768.0
    if not len(samples):
        silent = (SILENCE_DBFS,) * frames.shape[1]
        return LevelReading(silent, silent)

    def to_dbfs(values: np.ndarray) -> tuple[float, ...]:
        return tuple(max(SILENCE_DBFS, 20 * math.log10(v)) if v > 0 else SILENCE_DBFS for v in values.tolist())

    return LevelReading(to_dbfs(np.sqrt(np.mean(samples**2, axis=0))), to_dbfs(np.max(np.abs(samples), axis=0)))
