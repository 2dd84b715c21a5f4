"""The customer's voice: offline speech synthesis (pyttsx3: eSpeak NG, SAPI5, NSSpeechSynthesizer) or recorded clips.

Speech is synthesised to samples rather than spoken by the engine, so the turn loop knows each line's exact length
and can log playback times precisely.
"""

import contextlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from coach_app.errors import AudioError
from coach_app.scenarios.model import Line, Scenario, Voice
from coach_app.scenarios.simulator import CustomerReply

SAMPLERATE = 22050  # what eSpeak NG produces; clips and other engines are resampled to it
GAP_BETWEEN_LINES_S = 0.25
SILENCE_LEVEL = 0.01  # engines pad speech with near-silence; trimmed so a clip's length is the speech's


@dataclass(frozen=True)
class Speech:
    """Mono float32 samples at `SAMPLERATE`."""

    samples: np.ndarray

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLERATE


def trim_silence(samples: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples[:0]


class Synthesizer:
    """One pyttsx3 engine, created on first use in the thread that uses it (SAPI5 needs that on Windows)."""

    def __init__(self) -> None:
        self._engine = None
        self._lock = threading.Lock()

    def synthesize(self, text: str, voice: Voice) -> Speech:
        handle, name = tempfile.mkstemp(suffix=".wav", prefix="coach-voice-")
        os.close(handle)
        # pyttsx3 prints "Audio saved to …" on stdout, which would corrupt `--json` output.
        with self._lock, contextlib.redirect_stdout(io.StringIO()):
            try:
                engine = self._engine_for(voice)
                engine.save_to_file(text, name)
                engine.runAndWait()
                samples, rate = sf.read(name, dtype="float32", always_2d=True)
            except (RuntimeError, OSError, sf.LibsndfileError) as exc:
                raise AudioError(
                    f"Speech synthesis failed for {text[:40]!r}: {exc}; check espeak-ng is installed."
                ) from None
            finally:
                Path(name).unlink(missing_ok=True)
        return Speech(trim_silence(_to_samplerate(samples.mean(axis=1), rate)))

    def _engine_for(self, voice: Voice):
        if self._engine is None:
            import pyttsx3  # imported lazily: it loads the platform's speech engine

            try:
                self._engine = pyttsx3.init()
            except (RuntimeError, OSError, ImportError) as exc:
                raise AudioError(
                    f"No speech synthesiser is available ({exc}): on Linux install espeak-ng "
                    "(scripts/setup.sh does), or add recorded clips to the scenario."
                ) from None
        self._engine.setProperty("voice", self._voice_id(voice))
        self._engine.setProperty("rate", voice.rate_wpm)
        return self._engine

    def _voice_id(self, voice: Voice) -> str:
        """The engine's voice for the language, preferring the gender; eSpeak NG gets a gendered variant."""
        voices = self._engine.getProperty("voices")
        language = voice.language.lower()
        matching = [v for v in voices if language in [str(lang).lower() for lang in v.languages]] or list(voices)
        same_gender = [v for v in matching if str(v.gender).lower() == voice.gender]
        chosen = (same_gender or matching)[0]
        if type(self._engine.proxy._driver).__name__ == "EspeakDriver":
            return f"{chosen.id}+{'f3' if voice.gender == 'female' else 'm3'}"
        return chosen.id


class CustomerVoice:
    """Speech for a scenario's lines: a recorded clip `clips/<line id>.wav` next to the scenario if there is one."""

    def __init__(self, scenario: Scenario, synthesizer: Synthesizer | None = None) -> None:
        self.voice = scenario.persona.voice
        self.clips_dir = Path(scenario.source).parent / "clips"
        self.synthesizer = synthesizer or Synthesizer()

    def line(self, line: Line) -> Speech:
        clip = self.clips_dir / f"{line.id}.wav"
        if clip.is_file():
            try:
                samples, rate = sf.read(clip, dtype="float32", always_2d=True)
            except (sf.LibsndfileError, OSError) as exc:
                raise AudioError(
                    f"Cannot read recorded clip {clip}: {exc}; re-export it as WAV or remove it."
                ) from None
            return Speech(trim_silence(_to_samplerate(samples.mean(axis=1), rate)))
        return self.synthesizer.synthesize(line.text, self.voice)

    def reply(self, reply: CustomerReply) -> Speech:
        """The whole reply, its lines joined by short natural pauses."""
        gap = np.zeros(int(GAP_BETWEEN_LINES_S * SAMPLERATE), np.float32)
        parts: list[np.ndarray] = []
        for line in reply.lines:
            parts.extend([gap, self.line(line).samples] if parts else [self.line(line).samples])
        return Speech(np.concatenate(parts) if parts else np.zeros(0, np.float32))


def _to_samplerate(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLERATE:
        return samples.astype(np.float32, copy=False)
    return soxr.resample(samples, rate, SAMPLERATE).astype(np.float32, copy=False)
