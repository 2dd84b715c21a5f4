"""Real test speech: espeak-ng turns placed at known times on stereo and mono WAVs, with the ground truth."""

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

VOICES = {"rep": "en-us+m3", "customer": "en+f2"}  # "en-gb+f2" ignores the female variant
SAMPLERATE = 16000
SILENCE_LEVEL = 300  # espeak pads clips with near-silence below this (int16); trimmed so clip length = speech


@dataclass(frozen=True)
class Line:
    """One line to say: who says it, what, and when it starts (seconds from the start of the dialogue)."""

    speaker: str
    text: str
    start_s: float


@dataclass(frozen=True)
class TrueTurn:
    """Where a line really is in the built audio."""

    speaker: str
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Dialogue:
    """A built dialogue: stereo (rep on `rep_channel`) and mono WAVs, and the true turn times."""

    stereo_path: Path
    mono_path: Path
    turns: tuple[TrueTurn, ...]
    rep_channel: str
    samplerate: int
    duration_s: float


# A short call where the customer talks over the end of a rep turn (0.6 s) and the rep then interrupts the
# customer (0.8 s). Pauses between turns are well above espeak's ~0.7 s comma pauses.
CALL = (
    Line("customer", "Hello, I am calling because my parcel never arrived and I need it by Friday.", 0.0),
    Line("rep", "I am sorry to hear that. Can you tell me your order number?", 6.0),
    Line("customer", "Yes, it is four five six seven, and I already called twice about this.", 8.7),
    Line("rep", "Let me check that for you right now.", 12.4),
    Line("customer", "Thank you so much.", 15.5),
)

# The same lines, one speaker at a time (what a mono recording splits best).
TAKE_TURNS = (
    Line("customer", "Hello, I am calling because my parcel never arrived and I need it by Friday.", 0.0),
    Line("rep", "I am sorry to hear that. Can you tell me your order number?", 5.8),
    Line("customer", "Yes, it is four five six seven, and I already called twice about this.", 10.6),
    Line("rep", "Let me check that for you right now.", 16.6),
    Line("customer", "Thank you so much.", 19.8),
)

# Two short lines, one each, for tests that only need a quick real exchange.
GREETING = (
    Line("customer", "Hello, my parcel is late.", 0.0),
    Line("rep", "I am sorry, let me check that for you.", 2.6),
)


def synthesize(
    text: str, voice: str, samplerate: int = SAMPLERATE, speed_wpm: int = 165, pitch: int = 50
) -> np.ndarray:
    """Speak `text` with espeak-ng (`pitch` 0–99) and return trimmed mono int16 samples at `samplerate`."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, wav = Path(tmp) / "raw.wav", Path(tmp) / "turn.wav"
        command = ["espeak-ng", "-v", voice, "-s", str(speed_wpm), "-p", str(pitch), "-w", str(raw), text]
        subprocess.run(command, check=True)
        subprocess.run(["sox", str(raw), "-r", str(samplerate), "-c", "1", "-b", "16", str(wav)], check=True)
        samples, _ = sf.read(wav, dtype="int16")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) >= SILENCE_LEVEL)
    return samples[loud[0] : loud[-1] + 1]


def place(lines: tuple[Line, ...], samplerate: int = SAMPLERATE, tail_s: float = 1.0):
    """Render `lines` onto one track per speaker; returns ({speaker: int16 track}, true turns)."""
    clips = [synthesize(line.text, VOICES[line.speaker], samplerate) for line in lines]
    total = max(int(round(line.start_s * samplerate)) + len(clip) for line, clip in zip(lines, clips, strict=True))
    total += int(tail_s * samplerate)
    tracks = {speaker: np.zeros(total, dtype=np.int32) for speaker in VOICES}
    truth = []
    for line, clip in zip(lines, clips, strict=True):
        begin = int(round(line.start_s * samplerate))
        tracks[line.speaker][begin : begin + len(clip)] += clip
        truth.append(TrueTurn(line.speaker, begin / samplerate, (begin + len(clip)) / samplerate, line.text))
    clipped = {name: np.clip(track, -32768, 32767).astype(np.int16) for name, track in tracks.items()}
    return clipped, tuple(sorted(truth, key=lambda t: t.start_s))


def build_dialogue(
    directory: Path, lines: tuple[Line, ...] = CALL, rep_channel: str = "left", samplerate: int = SAMPLERATE
) -> Dialogue:
    """Write `<directory>/stereo.wav` (rep on `rep_channel`) and `mono.wav` (both voices summed)."""
    tracks, truth = place(lines, samplerate)
    rep, customer = tracks["rep"], tracks["customer"]
    left, right = (rep, customer) if rep_channel == "left" else (customer, rep)
    stereo_path, mono_path = directory / "stereo.wav", directory / "mono.wav"
    sf.write(stereo_path, np.stack([left, right], axis=1), samplerate, subtype="PCM_16")
    mono = np.clip(rep.astype(np.int32) + customer.astype(np.int32), -32768, 32767).astype(np.int16)
    sf.write(mono_path, mono, samplerate, subtype="PCM_16")
    return Dialogue(stereo_path, mono_path, truth, rep_channel, samplerate, len(mono) / samplerate)


_CACHE: dict[tuple, Dialogue] = {}


def cached_dialogue(
    tmp_path_factory, lines: tuple[Line, ...] = CALL, rep_channel: str = "left", samplerate: int = SAMPLERATE
) -> Dialogue:
    """`build_dialogue` once per test session for the same arguments (pass pytest's `tmp_path_factory`)."""
    key = (lines, rep_channel, samplerate)
    if key not in _CACHE:
        _CACHE[key] = build_dialogue(tmp_path_factory.mktemp("dialogue"), lines, rep_channel, samplerate)
    return _CACHE[key]


def speech_wav(path: Path, text: str, voice: str = VOICES["rep"], samplerate: int = SAMPLERATE) -> Path:
    """Write one trimmed espeak-ng utterance as a mono 16-bit WAV at `path`."""
    sf.write(path, synthesize(text, voice, samplerate), samplerate, subtype="PCM_16")
    return path
