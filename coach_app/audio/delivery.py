"""Delivery from the voice: per rep turn pace, loudness and pitch, judged into findings with times and tips."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach_app.audio import convert, voice
from coach_app.core import Finding, Transcript, Turn
from coach_app.errors import AudioError, Cancelled
from coach_app.scoring.rubric import Thresholds, VoiceThresholds

ProgressFn = Callable[[float, str], None]
Audio = Path | str | tuple[np.ndarray, int]

ANALYSIS_RATE = 16000
SYLLABLES_PER_WORD = 1.4  # conversational English; turns a syllable rate into an estimated words-per-minute
MIN_RATE_WORDS = 4  # fewer words ("OK", "Sure, one moment") give no meaningful pace
MIN_RATE_SPAN_S = 1.5


@dataclass(frozen=True)
class TurnVoice:
    """What the voice did in one rep turn (turn = index into the transcript's turns); None = not measurable."""

    turn: int
    start_s: float
    end_s: float
    words: int
    words_per_min: float | None
    rate_from: str  # "words" (word timings) or "syllables" (syllable nuclei in the audio)
    syllables_per_s: float | None
    loudness_db: float | None  # median dBFS of speech frames
    loudness_range_db: float | None  # spread of phrase loudness within the turn
    raised_by_db: float | None  # loudest sustained stretch above the rep's median phrase loudness
    pitch_median_hz: float | None
    pitch_range_st: float | None
    pitch_sd_st: float | None


def delivery_findings(
    audio: Audio,
    transcript: Transcript,
    rep_channel: str | int | None = None,
    limits: VoiceThresholds = VoiceThresholds(),
    fast_wpm: float = Thresholds.wpm_max,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> list[Finding]:
    """Findings on the rep's delivery, from the recording (`rep_channel` picks the rep in a stereo file)."""
    measures = measure_voice(audio, transcript, rep_channel, on_progress, cancel)
    return judge_delivery(measures, transcript, limits, fast_wpm)


def measure_voice(
    audio: Audio,
    transcript: Transcript,
    rep_channel: str | int | None = None,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> tuple[TurnVoice, ...]:
    """Measure every rep turn; on a shared (mono or mixed) track, audio where the customer also talks is skipped."""
    samples, samplerate, shared = _rep_track(audio, rep_channel)
    rep_turns = [(index, turn) for index, turn in enumerate(transcript.turns) if turn.speaker == "rep"]
    others = [turn for turn in transcript.turns if turn.speaker != "rep"] if shared else []
    raw = []
    for done, (index, turn) in enumerate(rep_turns):
        if cancel is not None and cancel.is_set():
            raise Cancelled("The voice analysis was cancelled.")
        begin, end = (int(round(t * samplerate)) for t in (turn.start_s, turn.end_s))
        clip = samples[max(0, begin) : max(0, end)]
        keep = _keep_mask(turn, others, len(clip), samplerate)
        raw.append((index, turn, clip, keep, voice.loudness(clip, samplerate, keep)))
        if on_progress is not None:
            on_progress((done + 1) / len(rep_turns) / 2, f"Measuring loudness: turn {done + 1} of {len(rep_turns)}")
    windows = [db for *_, level in raw if level for db in level.window_dbs]
    baseline_db = float(np.median(windows)) if windows else None
    measures = []
    for done, (index, turn, clip, keep, level) in enumerate(raw):
        if cancel is not None and cancel.is_set():
            raise Cancelled("The voice analysis was cancelled.")
        measures.append(_turn_voice(index, turn, clip, keep, level, baseline_db, samplerate))
        if on_progress is not None:
            on_progress(0.5 + (done + 1) / len(raw) / 2, f"Measuring pitch and pace: turn {done + 1} of {len(raw)}")
    return tuple(measures)


def _rep_track(audio: Audio, rep_channel: str | int | None) -> tuple[np.ndarray, int, bool]:
    """The rep's samples as float mono, the sample rate, and whether the customer may be on the same track."""
    if isinstance(audio, str | Path):
        blocks = list(convert.read_blocks(audio, ANALYSIS_RATE))
        samples, samplerate = np.concatenate(blocks).astype(np.float32) / 32768.0, ANALYSIS_RATE
    else:
        samples, samplerate = np.asarray(audio[0]), int(audio[1])
        if samples.dtype == np.int16:
            samples = samples.astype(np.float32) / 32768.0
    samples = samples.reshape(len(samples), -1)
    channel = {"left": 0, "right": 1}.get(rep_channel, rep_channel) if isinstance(rep_channel, str) else rep_channel
    if channel is None or samples.shape[1] == 1:
        return samples.mean(axis=1), samplerate, True
    if not 0 <= channel < samples.shape[1]:
        raise AudioError(
            f"The recording has {samples.shape[1]} channel(s), so the rep cannot be on channel {rep_channel}; "
            "choose left or right."
        )
    return samples[:, channel], samplerate, False


def _keep_mask(turn: Turn, others: Sequence[Turn], length: int, samplerate: int) -> np.ndarray | None:
    """Samples of the turn not overlapped by another speaker's turn (None when nothing overlaps)."""
    overlapping = [o for o in others if o.start_s < turn.end_s and o.end_s > turn.start_s]
    if not overlapping:
        return None
    keep = np.ones(length, dtype=bool)
    for other in overlapping:
        begin = max(0, int(round((other.start_s - turn.start_s) * samplerate)))
        keep[begin : max(begin, int(round((other.end_s - turn.start_s) * samplerate)))] = False
    return keep


def _turn_voice(index, turn, clip, keep, level, baseline_db, samplerate) -> TurnVoice:
    heard = clip if keep is None else clip[keep]
    syllables = voice.syllable_count(heard, samplerate)
    syllables_per_s = syllables / (len(heard) / samplerate) if len(heard) >= samplerate * MIN_RATE_SPAN_S else None
    words_per_min, rate_from = _words_per_min(turn), "words"
    if words_per_min is None and not turn.words and syllables_per_s is not None and syllables >= MIN_RATE_WORDS:
        words_per_min, rate_from = syllables_per_s * 60.0 / SYLLABLES_PER_WORD, "syllables"
    tone = voice.pitch(clip, samplerate, keep)
    peak = level.sustained_peak_db if level else None
    return TurnVoice(
        turn=index,
        start_s=turn.start_s,
        end_s=turn.end_s,
        words=len(turn.words) or len(turn.text.split()),
        words_per_min=words_per_min,
        rate_from=rate_from,
        syllables_per_s=syllables_per_s,
        loudness_db=level.median_db if level else None,
        loudness_range_db=level.range_db if level else None,
        raised_by_db=peak - baseline_db if peak is not None and baseline_db is not None else None,
        pitch_median_hz=tone.median_hz if tone else None,
        pitch_range_st=tone.range_st if tone else None,
        pitch_sd_st=tone.sd_st if tone else None,
    )


def _words_per_min(turn: Turn) -> float | None:
    """Words per minute from word timings, first word's start to last word's end."""
    if len(turn.words) < MIN_RATE_WORDS:
        return None
    span_s = turn.words[-1].end_s - turn.words[0].start_s
    return len(turn.words) / span_s * 60.0 if span_s >= MIN_RATE_SPAN_S else None


TIPS = {
    "voice_pace_fast": "Slow down and leave pauses: an unhurried pace gives the customer time to take in what "
    "you say and shows you are listening rather than rushing on. Aim for about 130–160 words a minute.",
    "voice_pace_calm": "Keep this unhurried pace: it gives the customer room to process and decide without "
    "feeling rushed.",
    "voice_raised": "Keep your voice calm and even, especially when the customer is upset: lower the volume and "
    "slow down, as a calm tone settles a heated call.",
    "voice_loudness_swings": "Keep a steady, moderate volume: sudden loud or quiet stretches can sound impatient "
    "or unsure. Keep the microphone at a fixed distance too.",
    "voice_monotone": "Smile while you talk (the smile comes through in your voice) and let your pitch move on "
    "the words that matter, so you sound engaged and congenial rather than scripted.",
    "voice_lively": "Your voice sounded engaged and congenial: the smile comes through in your tone. Keep it.",
}


def judge_delivery(
    measures: Sequence[TurnVoice],
    transcript: Transcript,
    limits: VoiceThresholds = VoiceThresholds(),
    fast_wpm: float = Thresholds.wpm_max,
) -> list[Finding]:
    """Turn measures into findings: problems per turn (a turn faster than `fast_wpm` is rushed), and praise once
    per call when the whole call earns it; `limits` come from the rubric's [voice] table."""
    findings: list[Finding] = []

    def add(kind: str, measure: TurnVoice, reason: str) -> None:
        quote = transcript.turns[measure.turn].text
        findings.append(Finding(kind, measure.turn, measure.start_s, measure.end_s, quote, reason, TIPS[kind]))

    for m in measures:
        pace = f"{m.words_per_min:.0f} words per minute" if m.words_per_min is not None else ""
        if m.rate_from == "syllables" and pace:
            pace += f" (estimated from {m.syllables_per_s:.1f} syllables per second)"
        if m.words_per_min is not None and m.words_per_min > fast_wpm:
            add("voice_pace_fast", m, f"You spoke at {pace}, faster than {fast_wpm:.0f}.")
        raised = m.raised_by_db is not None and m.raised_by_db >= limits.raised_db
        if raised:
            add(
                "voice_raised",
                m,
                f"Your voice rose {m.raised_by_db:.1f} dB above your usual level for at least "
                f"{voice.SUSTAIN_S:.0f} s (a raised voice is {limits.raised_db:.0f} dB or more).",
            )
        elif m.loudness_range_db is not None and m.loudness_range_db > limits.swings_db:
            add(
                "voice_loudness_swings",
                m,
                f"Your loudness swung over {m.loudness_range_db:.1f} dB within this turn "
                f"(steady speech stays within {limits.swings_db:.0f} dB).",
            )
        if m.pitch_range_st is not None and m.pitch_range_st < limits.monotone_st:
            add(
                "voice_monotone",
                m,
                f"Your pitch moved over only {m.pitch_range_st:.1f} semitones (below {limits.monotone_st:.0f} "
                "sounds flat).",
            )
    _praise(measures, {finding.kind for finding in findings}, limits, add)
    return findings


def _praise(measures, problem_kinds: set[str], limits: VoiceThresholds, add) -> None:
    """One calm-pace and one lively finding for the whole call, when the whole call earns them."""
    paced = [m for m in measures if m.words_per_min is not None]
    if paced and "voice_pace_fast" not in problem_kinds and "voice_raised" not in problem_kinds:
        weights = [m.end_s - m.start_s for m in paced]
        overall = float(np.average([m.words_per_min for m in paced], weights=weights))
        if limits.calm_min_wpm <= overall <= limits.calm_max_wpm:
            longest = max(paced, key=lambda m: m.end_s - m.start_s)
            add(
                "voice_pace_calm",
                longest,
                f"Across {len(paced)} turn(s) you spoke at {overall:.0f} words per minute, an unhurried pace "
                f"({limits.calm_min_wpm:.0f}–{limits.calm_max_wpm:.0f}).",
            )
    pitched = [m for m in measures if m.pitch_range_st is not None]
    if pitched and all(m.pitch_range_st >= limits.lively_st for m in pitched):
        widest = max(pitched, key=lambda m: m.pitch_range_st)
        add(
            "voice_lively",
            widest,
            f"Your pitch moved over {min(m.pitch_range_st for m in pitched):.1f}–{widest.pitch_range_st:.1f} "
            f"semitones per turn (lively from {limits.lively_st:.0f}).",
        )
