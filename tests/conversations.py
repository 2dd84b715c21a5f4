"""Longer synthetic calls for voice separation: two eSpeak NG voices taking turns with pauses, talking over each
other and saying "mm-hmm" in the other's pauses, written as one-track WAVs with the true turns."""

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import soundfile as sf
from speech import SAMPLERATE, TrueTurn, synthesize


class Voice(NamedTuple):
    """An eSpeak NG voice (language+variant) spoken at a pitch (0–99) and speed (words per minute)."""

    name: str
    pitch: int = 50
    speed_wpm: int = 165


DIFFERENT_SEX = {"rep": "en-us+m3", "customer": "en+f2"}
SAME_SEX = {"rep": "en-us+m1", "customer": "en-gb+m7"}
BACKCHANNELS = ("mm hmm", "yeah", "right", "okay", "I see")

# Each turn is one or two sentences; `pause` is the silence before it (negative: it starts that long before the
# previous turn ends, i.e. talks over it). Where a turn has two sentences, the listener may back-channel between.
SCRIPT = (
    ("rep", ("Thank you for calling North Star Broadband, my name is Sam.", "How can I help you today?"), 0.0),
    (
        "customer",
        ("Hi Sam, my internet keeps dropping out every evening.", "It has been going on for a week now."),
        0.9,
    ),
    ("rep", ("I am sorry to hear that, it sounds really frustrating.",), 0.7),
    ("customer", ("It is, I work from home and I lost two video calls yesterday.",), -0.5),
    ("rep", ("Could you tell me the account number or the postcode?",), 1.0),
    ("customer", ("The postcode is B four, seven S W.", "The account is in my husband's name, David."), 0.8),
    ("rep", ("Thanks, I can see the account.", "There were some faults reported in your area this week."), 1.2),
    ("customer", ("Nobody told us anything about that.",), -0.6),
    ("rep", ("You are right, we should have let you know, and I apologise.",), 0.8),
    ("customer", ("So what happens now?",), 0.9),
    ("rep", ("An engineer is working on the line today.", "I will also send you a new router by Thursday."), 1.0),
    ("customer", ("Thursday is fine, but will that actually fix it?",), -0.4),
    (
        "rep",
        ("If the line fault is the cause, yes.", "And I will call you on Friday to check that it is working."),
        0.9,
    ),
    ("customer", ("Okay, that sounds good, thank you.",), 0.7),
    ("rep", ("Is there anything else I can help you with today?",), 0.8),
    ("customer", ("No, that is everything, goodbye.",), 0.9),
)
SENTENCE_GAP_S = 0.9  # the pause inside a two-sentence turn, where the listener may say "mm-hmm"
BACKCHANNEL_PAUSE_S = 0.3  # silence before and after a backchannel


def varied_script(seed: int, script=SCRIPT) -> tuple:
    """`script` with other pauses: about a third of the turns talk over the previous one (0.2–0.8 s), the others
    start after 0.4–1.4 s of silence (a call of the same words, timed differently)."""
    rng = np.random.default_rng(seed)
    varied = []
    for speaker, sentences, _pause in script:
        pause = -rng.uniform(0.2, 0.8) if rng.random() < 0.35 else rng.uniform(0.4, 1.4)
        varied.append((speaker, sentences, round(float(pause), 2)))
    return tuple(varied)


def _say(text: str, voice: "str | Voice", samplerate: int) -> np.ndarray:
    voice = Voice(voice) if isinstance(voice, str) else voice
    return synthesize(text, voice.name, samplerate, voice.speed_wpm, voice.pitch)


@dataclass(frozen=True)
class Conversation:
    """A built call: the one-track WAV, its duration and where each speaker really speaks."""

    path: Path
    turns: tuple[TrueTurn, ...]
    duration_s: float


def build_conversation(
    path: Path,
    voices: dict[str, "str | Voice"],
    backchannel_every: int = 2,
    script=SCRIPT,
    samplerate: int = SAMPLERATE,
) -> Conversation:
    """Write the call with `voices` to `path`; every `backchannel_every`-th two-sentence turn gets a backchannel.

    True turns are the stretches of one speaker not interrupted by the other: a backchannel splits the turn it
    falls in, as the transcript of a one-track recording does."""
    pieces: list[tuple[str, float, np.ndarray, str]] = []
    clock, two_sentence_turns = 0.5, 0
    for speaker, sentences, pause in script:
        start = clock + pause if pieces else clock
        listener = "customer" if speaker == "rep" else "rep"
        for index, sentence in enumerate(sentences):
            clip = _say(sentence, voices[speaker], samplerate)
            pieces.append((speaker, start, clip, sentence))
            end = start + len(clip) / samplerate
            if index + 1 < len(sentences):
                start = end + SENTENCE_GAP_S
                if two_sentence_turns % backchannel_every == 0:  # said in the pause, which it lengthens a little
                    word = BACKCHANNELS[two_sentence_turns // backchannel_every % len(BACKCHANNELS)]
                    backchannel = _say(word, voices[listener], samplerate)
                    pieces.append((listener, end + BACKCHANNEL_PAUSE_S, backchannel, word))
                    start = max(start, end + 2 * BACKCHANNEL_PAUSE_S + len(backchannel) / samplerate)
                two_sentence_turns += 1
        clock = end
    total = int((max(p[1] + len(p[2]) / samplerate for p in pieces) + 1.0) * samplerate)
    track = np.zeros(total, dtype=np.int32)
    for _, start, clip, _ in pieces:
        begin = int(round(start * samplerate))
        track[begin : begin + len(clip)] += clip
    sf.write(path, np.clip(track, -32768, 32767).astype(np.int16), samplerate, subtype="PCM_16")
    return Conversation(path, _true_turns(pieces, samplerate), total / samplerate)


def _true_turns(pieces, samplerate: int) -> tuple[TrueTurn, ...]:
    """Consecutive pieces of one speaker join into one turn; a piece of the other speaker in between splits it."""
    ordered = sorted(pieces, key=lambda p: p[1])
    turns: list[TrueTurn] = []
    for speaker, start, clip, text in ordered:
        end = start + len(clip) / samplerate
        if turns and turns[-1].speaker == speaker:
            last = turns[-1]
            turns[-1] = TrueTurn(speaker, last.start_s, max(last.end_s, end), f"{last.text} {text}")
        else:
            turns.append(TrueTurn(speaker, start, end, text))
    return tuple(turns)


def one_voice(path: Path, voice: str = DIFFERENT_SEX["rep"], samplerate: int = SAMPLERATE) -> Conversation:
    """The same script read by a single voice (a one-person recording, e.g. a rep practising alone)."""
    return build_conversation(path, {"rep": voice, "customer": voice}, backchannel_every=1000, samplerate=samplerate)
