"""Two-speaker one-track calls made of real people's speech (`data/real_voices/`: meeting speech of six speakers,
and nine more people each recorded alone): utterances of two speakers taking turns with seeded pauses, some talking
over the previous turn and some short ones said inside the other's turn (backchannels), with who speaks when; and
one speaker's speech alone.

Calls are split by voice pair: `TUNING` pairs may be used to choose weights, `VALIDATION` and `OTHERS_VALIDATION`
pairs only to measure."""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

VOICES = Path(__file__).resolve().parent.parent / "data" / "real_voices"
SAMPLERATE = 16000
# (rep, customer, seed). Same-meeting pairs share room and microphones, as a real call's two voices share a line.
# The last three tuning calls are further pairs of the tuning voices (the first three had almost no errors left to
# learn from): MEE012 / MEE009 is the first pair again with other utterances and timing, and heard as one voice.
TUNING = (
    ("MEE009", "MEE012", 1),
    ("MEO069", "MEE012", 2),
    ("MEO069", "FEE083", 3),
    ("MEE009", "MEO069", 4),
    ("MEE012", "FEE083", 6),
    ("MEE012", "MEE009", 7),
)
VALIDATION = (("MEO069", "MEE068", 11), ("MEE009", "MEE068", 12), ("FEE078", "FEE083", 13), ("MEE009", "FEE078", 14))
ALONE = ("FEE078", "FEE083", "MEE009", "MEO069")  # the speakers with over 20 s of speech
# Other real people, each recorded alone (`alone.json`: the alphabet read aloud, radio amateurs' transmissions), for
# checking one voice stays one, and calls of two of them, which only measure (their recordings differ in room and
# microphone, as a real call's two voices on one line need not)
OTHERS_ALONE = (
    "KLETTRES-DA",
    "KLETTRES-DE",
    "KLETTRES-EN",
    "KLETTRES-EN-GB",
    "KLETTRES-FR",
    "KLETTRES-NL",
    "KLETTRES-RU",
    "VE9QRP",
    "VK5QI",
)
OTHERS_VALIDATION = (
    ("VE9QRP", "VK5QI", 15),
    ("KLETTRES-EN", "KLETTRES-FR", 16),
    ("KLETTRES-DE", "KLETTRES-NL", 17),
    ("KLETTRES-EN-GB", "KLETTRES-DA", 18),
)
UTTERANCE_S = (2.0, 6.0)  # longer clips are cut at their quietest 10 ms near a length drawn from this range
SHORT_S = 1.2  # an utterance this short may be said inside the other speaker's long utterance
LEVEL_DB = 3.0  # each utterance's level is drawn within ± this much of the common level


@dataclass(frozen=True)
class RealCall:
    """A built call: the one-track WAV, its duration, and (speaker, start_s, end_s) of every utterance."""

    path: Path
    reference: tuple[tuple[str, float, float], ...]
    duration_s: float
    kind: str


def speaker_index(speaker: str) -> dict:
    """The speaker's sex and clips, from `clips.json` (meeting speech) or `alone.json` (recorded alone)."""
    meetings = json.loads((VOICES / "clips.json").read_text())
    return meetings[speaker] if speaker in meetings else json.loads((VOICES / "alone.json").read_text())[speaker]


def sex(speaker: str) -> str:
    return speaker_index(speaker)["sex"]


def utterances(speaker: str, rng: np.random.Generator) -> list[np.ndarray]:
    """The speaker's clips, long ones cut at a quiet point, each at the common level (float, ±LEVEL_DB)."""
    audio, _ = sf.read(VOICES / f"{speaker}.flac", dtype="float32")
    pieces = []
    for clip in speaker_index(speaker)["clips"]:
        rest = audio[clip["start"] : clip["start"] + clip["length"]]
        while len(rest) > UTTERANCE_S[1] * SAMPLERATE * 1.3:
            target = int(rng.uniform(*UTTERANCE_S) * SAMPLERATE)
            frames = rest[target - SAMPLERATE // 2 : target + SAMPLERATE // 2].reshape(-1, SAMPLERATE // 100)
            cut = target - SAMPLERATE // 2 + int(np.argmin((frames**2).mean(axis=1))) * (SAMPLERATE // 100)
            pieces.append(rest[:cut])
            rest = rest[cut:]
        pieces.append(rest)
    rms = np.sqrt(np.mean(np.concatenate(pieces) ** 2))
    return [p * (0.05 / rms) * 10 ** (rng.uniform(-LEVEL_DB, LEVEL_DB) / 20) for p in pieces]


def build_call(path: Path, rep: str, customer: str, seed: int) -> RealCall:
    """The two speakers' utterances taking turns (the speaker with more of them says more per turn); a third of the
    turns start 0.2–0.7 s before the previous one ends, the others after 0.3–1.2 s of silence; a short utterance
    is said inside a long one of the other speaker about every third turn."""
    rng = np.random.default_rng(seed)
    said = {name: utterances(name, rng) for name in (rep, customer)}
    per_turn = {name: max(1, round(len(said[name]) / min(map(len, said.values())))) for name in said}
    placed: list[tuple[str, float, np.ndarray]] = []
    clock, speaker = 0.5, rep
    while any(said.values()):
        if not said[speaker]:
            speaker = customer if speaker == rep else rep
        listener = customer if speaker == rep else rep
        start = clock + (-rng.uniform(0.2, 0.7) if placed and rng.random() < 0.33 else rng.uniform(0.3, 1.2))
        for _ in range(per_turn[speaker]):
            if not said[speaker]:
                break
            clip = said[speaker].pop(0)
            placed.append((speaker, start, clip))
            end = start + len(clip) / SAMPLERATE
            short = [i for i, c in enumerate(said[listener]) if len(c) <= SHORT_S * SAMPLERATE]
            if len(clip) > 3 * SAMPLERATE and short and rng.random() < 0.35:
                backchannel = said[listener].pop(short[0])
                placed.append((listener, start + rng.uniform(1.0, len(clip) / SAMPLERATE - 1.5), backchannel))
            start = end + rng.uniform(0.15, 0.5)
            clock = end
        speaker = listener
    return _write(path, placed, "same sex" if sex(rep) == sex(customer) else "different sex")


def one_speaker(path: Path, speaker: str, seed: int = 0, start_s: float = 0.0, length_s: float = np.inf) -> RealCall:
    """One speaker's utterances with pauses of 0.3–1.2 s (a monologue): those starting in start_s … start_s +
    length_s of all of them said so, cut at its end."""
    rng = np.random.default_rng(seed)
    placed, clock = [], 0.5
    for clip in utterances(speaker, rng):
        if start_s <= clock < start_s + length_s:
            keep = int(min(len(clip), (start_s + length_s - clock) * SAMPLERATE))
            placed.append((speaker, clock - start_s, clip[:keep]))
        clock += len(clip) / SAMPLERATE + rng.uniform(0.3, 1.2)
    return _write(path, placed, "one voice")


def _write(path: Path, placed: list[tuple[str, float, np.ndarray]], kind: str) -> RealCall:
    total = int((max(start + len(clip) / SAMPLERATE for _, start, clip in placed) + 1.0) * SAMPLERATE)
    track = np.zeros(total)
    for _, start, clip in placed:
        begin = int(round(start * SAMPLERATE))
        track[begin : begin + len(clip)] += clip
    sf.write(path, np.round(np.clip(track, -1, 1) * 32767).astype(np.int16), SAMPLERATE, subtype="PCM_16")
    reference = tuple((name, start, start + len(clip) / SAMPLERATE) for name, start, clip in placed)
    return RealCall(path, reference, total / SAMPLERATE, kind)
