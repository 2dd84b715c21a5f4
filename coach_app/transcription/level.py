"""Level normalisation before recognition: DC offset removed and quiet recordings raised to a speaking level.

The gain follows the loud part of the recent audio (the speech), changes smoothly and never lowers the level, so
a recording at −40 dBFS is recognised like one at −20 dBFS; loud or clipped recordings pass through unchanged.
"""

import numpy as np

FRAME = 160  # 10 ms at 16 kHz
TARGET_DBFS = -20.0  # the loud 10 % of speech frames are brought up to about this level
MAX_GAIN_DB = 36.0  # enough for a −40 dBFS recording; more would mostly raise hiss
HISTORY_FRAMES = 3000  # the speech level is judged over the last 30 s
DC_SMOOTHING = 0.05  # per block: the offset estimate follows slow drifts, not the speech itself
QUIET_DBFS = -60.0  # frames this quiet are hiss or silence, not speech: they never set the gain


class LevelNormaliser:
    """Streams int16 blocks at 16 kHz; `process` returns each block with DC removed and the gain applied."""

    def __init__(self):
        self._dc = None
        self._levels = np.zeros(0, dtype=np.float32)
        self._gain_db = 0.0

    def process(self, samples: np.ndarray) -> np.ndarray:
        if not len(samples):
            return samples.astype(np.int16)
        audio = samples.astype(np.float32)
        block_mean = float(audio.mean())
        self._dc = block_mean if self._dc is None else self._dc + DC_SMOOTHING * (block_mean - self._dc)
        audio -= self._dc
        whole = len(audio) // FRAME * FRAME
        if whole:
            power = np.square(audio[:whole] / 32768.0).reshape(-1, FRAME).mean(axis=1)
            levels = 10 * np.log10(np.maximum(power, 1e-12)).astype(np.float32)
            self._levels = np.concatenate([self._levels, levels])[-HISTORY_FRAMES:]
        heard = self._levels[self._levels > QUIET_DBFS]
        target = self._gain_db
        if len(heard) >= 50:  # half a second of sound before judging the level
            target = float(np.clip(TARGET_DBFS - np.percentile(heard, 90), 0.0, MAX_GAIN_DB))
        ramp = np.linspace(self._gain_db, target, len(audio), dtype=np.float32)
        self._gain_db = target
        return np.clip(np.rint(audio * 10 ** (ramp / 20)), -32768, 32767).astype(np.int16)
