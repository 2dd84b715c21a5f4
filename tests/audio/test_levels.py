"""The level meter's RMS and peak in dBFS."""

import numpy as np
import pytest

from coach_app.audio.levels import SILENCE_DBFS, level_of


def test_full_scale_sine_and_silence():
    """A full-scale sine reads about -3 dBFS RMS and 0 dBFS peak; digital silence reads the floor."""
    t = np.arange(16000) / 16000
    sine = np.round(32767 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    frames = np.stack([sine, np.zeros_like(sine)], axis=1)
    level = level_of(frames)
    assert level.rms_dbfs[0] == pytest.approx(-3.01, abs=0.05)
    assert level.peak_dbfs[0] == pytest.approx(0.0, abs=0.01)
    assert level.rms_dbfs[1] == level.peak_dbfs[1] == SILENCE_DBFS
    assert all(isinstance(value, float) for value in level.rms_dbfs + level.peak_dbfs)


def test_quieter_by_20_db_reads_20_db_lower():
    """Scaling the signal by 1/10 lowers both readings by 20 dB; an empty block reads as silence."""
    rng = np.random.default_rng(0)
    loud = rng.integers(-20000, 20000, size=(4000, 1)).astype(np.int16)
    quiet = (loud // 10).astype(np.int16)
    assert level_of(loud).rms_dbfs[0] - level_of(quiet).rms_dbfs[0] == pytest.approx(20, abs=0.1)
    assert level_of(np.zeros((0, 1), np.int16)).rms_dbfs == (SILENCE_DBFS,)
