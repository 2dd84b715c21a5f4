"""End of the rep's turn from silence: an energy voice-activity detector with hysteresis and an adaptive floor."""

from dataclasses import dataclass

import numpy as np

FRAME_S = 0.02
SILENCE_DBFS = -100.0


@dataclass(frozen=True)
class VadSettings:
    """Speech starts `start_margin_db` above the noise floor and continues while `stop_margin_db` above it;
    the turn ends after `end_pause_s` below that."""

    end_pause_s: float = 0.9  # above the ~0.7 s pauses people (and eSpeak) make at commas and full stops
    min_speech_s: float = 0.12  # shorter bursts (clicks, a cough) are not speech
    start_margin_db: float = 15.0
    stop_margin_db: float = 8.0
    min_speech_dbfs: float = -50.0  # never call anything quieter than this speech, however quiet the room
    initial_floor_dbfs: float = -70.0


@dataclass(frozen=True)
class SpeechStarted:
    start_s: float


@dataclass(frozen=True)
class TurnEnded:
    """The rep's turn: speech from `start_s` to `end_s`, decided at `decided_s` (= end_s + the pause)."""

    start_s: float
    end_s: float
    decided_s: float


def frame_levels_dbfs(samples: np.ndarray, frame_len: int) -> np.ndarray:
    """RMS level of each whole frame of mono float samples, in dB relative to full scale."""
    count = len(samples) // frame_len
    frames = samples[: count * frame_len].reshape(count, frame_len).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    with np.errstate(divide="ignore"):
        return np.maximum(SILENCE_DBFS, 20 * np.log10(rms))


class TurnDetector:
    """Feed audio blocks in order; get `SpeechStarted` and `TurnEnded` events on the audio's own clock."""

    def __init__(self, samplerate: int, settings: VadSettings | None = None) -> None:
        self.settings = settings or VadSettings()
        self.samplerate = samplerate
        self._frame_len = round(FRAME_S * samplerate)
        self._pending = np.zeros(0, np.float32)
        self._frames_seen = 0
        self._floor_dbfs = self.settings.initial_floor_dbfs
        self._loud_run = 0
        self._in_speech = False
        self._speech_start_s = 0.0
        self._last_voiced_s = 0.0

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    @property
    def now_s(self) -> float:
        """Audio time of everything processed so far."""
        return self._frames_seen * FRAME_S

    def feed(self, samples: np.ndarray) -> list[SpeechStarted | TurnEnded]:
        """Process mono samples (int16 or float in -1..1) and return the events they complete."""
        if samples.dtype == np.int16:
            samples = samples.astype(np.float32) / 32768.0
        audio = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        levels = frame_levels_dbfs(audio, self._frame_len)
        self._pending = audio[len(levels) * self._frame_len :]
        events: list[SpeechStarted | TurnEnded] = []
        for level in levels.tolist():
            self._frames_seen += 1
            event = self._step(level)
            if event is not None:
                events.append(event)
        return events

    def _step(self, level: float) -> SpeechStarted | TurnEnded | None:
        s = self.settings
        frame_end_s = self.now_s
        start_at = max(self._floor_dbfs + s.start_margin_db, s.min_speech_dbfs)
        keep_at = max(self._floor_dbfs + s.stop_margin_db, s.min_speech_dbfs - (s.start_margin_db - s.stop_margin_db))
        if not self._in_speech:
            self._loud_run = self._loud_run + 1 if level >= start_at else 0
            if level < start_at:
                # The floor follows quiet frames quickly downwards and slowly upwards.
                rate = 0.5 if level < self._floor_dbfs else 0.02
                self._floor_dbfs += rate * (level - self._floor_dbfs)
            if self._loud_run * FRAME_S >= s.min_speech_s:
                self._in_speech = True
                self._speech_start_s = frame_end_s - self._loud_run * FRAME_S
                self._last_voiced_s = frame_end_s
                return SpeechStarted(round(self._speech_start_s, 3))
            return None
        if level >= keep_at:
            self._last_voiced_s = frame_end_s
        elif frame_end_s - self._last_voiced_s >= s.end_pause_s:
            self._in_speech = False
            self._loud_run = 0
            return TurnEnded(round(self._speech_start_s, 3), round(self._last_voiced_s, 3), round(frame_end_s, 3))
        return None
