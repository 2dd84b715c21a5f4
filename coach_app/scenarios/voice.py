"""The customer's voice: offline speech synthesis (eSpeak NG, or pyttsx3's SAPI5/NSSS) or recorded clips.

Speech is synthesised to samples rather than spoken by the engine, so the turn loop knows each line's exact length
and can log playback times precisely.
"""

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from coach_app.audio.convert import open_audio
from coach_app.errors import AudioError
from coach_app.scenarios.model import Line, Scenario, Voice
from coach_app.scenarios.simulator import CustomerReply

SAMPLERATE = 22050  # what eSpeak NG produces; clips and other engines are resampled to it
GAP_BETWEEN_LINES_S = 0.25
SILENCE_LEVEL = 0.01  # engines pad speech with near-silence; trimmed so a clip's length is the speech's
SYNTH_TIMEOUT_S = 10.0
_ENGINE_LOCK = threading.Lock()  # pyttsx3 hands every caller the same engine


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
    """Offline speech synthesis: the eSpeak NG program where it is installed (Linux; optional elsewhere), else
    pyttsx3's native engine (SAPI5 on Windows, NSSpeechSynthesizer on macOS).

    eSpeak NG is called directly rather than through pyttsx3 because pyttsx3's eSpeak driver synthesises on a
    thread of its own and can return before (or without) writing the audio.
    """

    def __init__(self) -> None:
        self._espeak = shutil.which("espeak-ng")
        self._engine = None
        self._finished = threading.Event()

    def synthesize(self, text: str, voice: Voice) -> Speech:
        try:
            samples, rate = self._espeak_ng(text, voice) if self._espeak else self._pyttsx3(text, voice)
        except (RuntimeError, OSError, sf.LibsndfileError, subprocess.SubprocessError) as exc:
            raise AudioError(f"Speech synthesis failed for {text[:40]!r} ({exc}): reinstall espeak-ng.") from None
        return Speech(trim_silence(_to_samplerate(samples.mean(axis=1), rate)))

    def _espeak_ng(self, text: str, voice: Voice) -> tuple[np.ndarray, int]:
        variant = "f3" if voice.gender == "female" else "m3"
        # eSpeak NG's British voice is "en"; through its "en-gb" alias the gender variant is ignored.
        language = "en" if voice.language.lower() == "en-gb" else voice.language
        command = [self._espeak, "-v", f"{language}+{variant}", "-s", str(voice.rate_wpm), "--stdout", text]
        wav = subprocess.run(command, capture_output=True, check=True, timeout=SYNTH_TIMEOUT_S).stdout
        return sf.read(io.BytesIO(wav), dtype="float32", always_2d=True)

    def _pyttsx3(self, text: str, voice: Voice) -> tuple[np.ndarray, int]:
        handle, name = tempfile.mkstemp(suffix=".wav", prefix="coach-voice-")
        os.close(handle)
        # pyttsx3 hands every caller the same engine, and some drivers print progress on stdout.
        with _ENGINE_LOCK, contextlib.redirect_stdout(io.StringIO()):
            try:
                engine = self._pyttsx3_engine(voice)
                self._finished.clear()
                engine.save_to_file(text, name)
                engine.runAndWait()
                if not self._finished.wait(SYNTH_TIMEOUT_S):
                    raise RuntimeError(f"no audio after {SYNTH_TIMEOUT_S:.0f} s")
                return sf.read(name, dtype="float32", always_2d=True)
            finally:
                Path(name).unlink(missing_ok=True)

    def _pyttsx3_engine(self, voice: Voice):
        if self._engine is None:
            import pyttsx3  # imported lazily: it loads the platform's speech engine

            try:
                self._engine = pyttsx3.init()
            except (RuntimeError, OSError, ImportError) as exc:
                raise AudioError(
                    f"No speech synthesiser is available ({exc}): install espeak-ng, or add recorded clips to "
                    "the scenario's clips folder."
                ) from None
            self._engine.connect("finished-utterance", lambda **_: self._finished.set())
        voices = self._engine.getProperty("voices")
        language = voice.language.lower()
        matching = [v for v in voices if language in [str(lang).lower() for lang in v.languages]] or list(voices)
        same_gender = [v for v in matching if str(v.gender).lower() == voice.gender]
        self._engine.setProperty("voice", (same_gender or matching)[0].id)
        self._engine.setProperty("rate", voice.rate_wpm)
        return self._engine


class CustomerVoice:
    """Speech for a scenario's lines: a recorded clip `clips/<line id>.wav` next to the scenario if there is one."""

    def __init__(self, scenario: Scenario, synthesizer: Synthesizer | None = None) -> None:
        self.voice = scenario.persona.voice
        self.clips_dir = Path(scenario.source).parent / "clips"
        self.synthesizer = synthesizer or Synthesizer()

    def line(self, line: Line) -> Speech:
        clip = self.clips_dir / f"{line.id}.wav"
        if os.path.lexists(clip):  # a clip that is there but unusable is an error, never silently skipped
            with open_audio(clip) as audio:
                try:
                    samples, rate = audio.read(dtype="float32", always_2d=True), audio.samplerate
                except (sf.LibsndfileError, RuntimeError) as exc:
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
