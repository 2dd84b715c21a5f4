"""Acoustic measures of one stretch of speech: loudness windows, pitch (Praat via parselmouth), syllable nuclei."""

import math
from dataclasses import dataclass

import numpy as np
import parselmouth

FRAME_S = 0.05  # loudness frames
WINDOW_S = 0.5  # phrase-level loudness windows (long enough to smooth over syllables)
SUSTAIN_S = 1.0  # a raised voice must last this long to count
FLOOR_DB = -55.0  # frames quieter than this (dBFS) are never speech
SPEECH_SPAN_DB = 30.0  # frames more than this below the stretch's loud frames are pauses
PITCH_FLOOR_HZ = 75.0
PITCH_CEILING_HZ = 500.0
MIN_VOICED_FRAMES = 80  # 0.8 s of voiced 10 ms frames before a pitch range means anything
SYLLABLE_DIP_DB = 2.0  # a syllable nucleus is an intensity peak this far above the dips around it


@dataclass(frozen=True)
class Loudness:
    """Loudness of a stretch: median level, phrase-level windows (dBFS), the loudest sustained level."""

    median_db: float
    window_dbs: tuple[float, ...]
    sustained_peak_db: float | None
    speech_s: float

    @property
    def range_db(self) -> float | None:
        """Spread of phrase loudness (90th minus 10th percentile), None with fewer than four windows."""
        if len(self.window_dbs) < 4:
            return None
        return float(np.percentile(self.window_dbs, 90) - np.percentile(self.window_dbs, 10))


@dataclass(frozen=True)
class Pitch:
    """Pitch of the voiced frames of a stretch, in semitones around its median."""

    median_hz: float
    range_st: float  # 95th minus 5th percentile
    sd_st: float
    voiced_s: float


def _db(power: np.ndarray) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(power, 1e-12))


def loudness(samples: np.ndarray, samplerate: int, keep: np.ndarray | None = None) -> Loudness | None:
    """Loudness of float samples in [-1, 1]; `keep` (one bool per sample) excludes other speakers' audio."""
    frame = int(FRAME_S * samplerate)
    count = len(samples) // frame
    if count == 0:
        return None
    power = np.mean(samples[: count * frame].reshape(count, frame).astype(np.float64) ** 2, axis=1)
    levels = _db(power)
    speech = levels > max(FLOOR_DB, float(np.percentile(levels, 95)) - SPEECH_SPAN_DB)
    if keep is not None:
        speech &= keep[: count * frame].reshape(count, frame).mean(axis=1) > 0.5
    if not speech.any():
        return None
    per_window = int(round(WINDOW_S / FRAME_S))
    windows = []
    for begin in range(0, count - per_window + 1, per_window):
        chosen = speech[begin : begin + per_window]
        if chosen.mean() >= 0.5:  # mostly speech: a window of pauses says nothing about loudness
            windows.append(float(_db(np.mean(power[begin : begin + per_window][chosen]))))
        else:
            windows.append(float("nan"))
    span = int(round(SUSTAIN_S / WINDOW_S))
    runs = [min(windows[i : i + span]) for i in range(len(windows) - span + 1)]
    runs = [value for value in runs if not np.isnan(value)]
    return Loudness(
        median_db=float(np.median(levels[speech])),
        window_dbs=tuple(value for value in windows if not np.isnan(value)),
        sustained_peak_db=max(runs) if runs else None,
        speech_s=float(speech.sum() * FRAME_S),
    )


def pitch(samples: np.ndarray, samplerate: int, keep: np.ndarray | None = None) -> Pitch | None:
    """Pitch range of the voiced frames (Praat's autocorrelation tracker), or None with too little voicing."""
    if len(samples) < samplerate * 0.1:
        return None
    track = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=samplerate).to_pitch(
        time_step=0.01, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
    )
    f0 = track.selected_array["frequency"]
    voiced = f0 > 0
    if keep is not None:
        at = np.clip((track.xs() * samplerate).astype(int), 0, len(keep) - 1)
        voiced &= keep[at]
    if voiced.sum() < MIN_VOICED_FRAMES:
        return None
    semitones = 12.0 * np.log2(f0[voiced] / np.median(f0[voiced]))
    return Pitch(
        median_hz=float(np.median(f0[voiced])),
        range_st=float(np.percentile(semitones, 95) - np.percentile(semitones, 5)),
        sd_st=float(np.std(semitones)),
        voiced_s=float(voiced.sum() * track.time_step),
    )


def syllable_count(samples: np.ndarray, samplerate: int) -> int:
    """Count syllable nuclei: voiced intensity peaks standing out from the dips on both sides (de Jong & Wempe)."""
    if len(samples) < samplerate * 0.2:
        return 0
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=samplerate)
    intensity = sound.to_intensity(minimum_pitch=100.0, time_step=0.01)
    levels = intensity.values[0]
    times = intensity.xs()
    track = sound.to_pitch(time_step=0.01, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    threshold = max(float(np.median(levels)), float(levels.max()) - 25.0)
    peaks = [i for i in range(1, len(levels) - 1) if levels[i - 1] < levels[i] >= levels[i + 1]]
    peaks = [i for i in peaks if levels[i] > threshold]
    count, previous = 0, None
    for index in peaks:
        if previous is not None and levels[index] - levels[previous:index].min() < SYLLABLE_DIP_DB:
            if levels[index] > levels[previous]:
                previous = index  # the same syllable, a higher point of it
            continue
        if not math.isnan(track.get_value_at_time(times[index])):  # NaN where unvoiced
            count += 1
            previous = index
    return count
