"""Mono recordings → two speakers by voice (MFCCs and pitch from Praat, two-way clustering), plus manual fixes."""

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import parselmouth

from coach_app.core import SPEAKERS, Speaker, Transcript, Word
from coach_app.errors import TranscriptError
from coach_app.transcription.turns import TURN_GAP_S, make_turn, sort_turns, speech_spans, split_at_pauses

SEGMENT_GAP_S = 0.25  # people hand over the turn after pauses this short; a segment is one speaker's stretch
FEATURE_BLOCK_S = 10.0  # features are computed as audio arrives, this much at a time, so Stop has little left
FRAME_STEP_S = 0.01
# Pitch counts as much as all 12 MFCCs together: it separates most pairs of voices best, while the MFCCs (vocal
# tract, timbre) tell apart voices of similar pitch.
PITCH_SHARE = 0.5


@dataclass(frozen=True)
class VoiceFrames:
    """Per-frame voice features of a recording: times (s), 12 MFCCs and log pitch (NaN where unvoiced)."""

    times_s: np.ndarray
    mfcc: np.ndarray
    log_pitch: np.ndarray


class VoiceFeatures:
    """Computes voice features block by block as mono audio arrives; `finish()` returns them all."""

    def __init__(self, samplerate: int):
        self.samplerate = samplerate
        self._pending: list[np.ndarray] = []
        self._pending_frames = 0
        self._offset_s = 0.0
        self._parts: list[VoiceFrames] = []

    def add(self, samples: np.ndarray) -> None:
        self._pending.append(samples)
        self._pending_frames += len(samples)
        if self._pending_frames >= FEATURE_BLOCK_S * self.samplerate:
            self._compute()

    def finish(self) -> VoiceFrames:
        self._compute()
        parts = self._parts or [VoiceFrames(np.zeros(0), np.zeros((0, 12)), np.zeros(0))]
        return VoiceFrames(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(VoiceFrames)))

    def _compute(self) -> None:
        if not self._pending_frames:
            return
        audio = np.concatenate(self._pending).astype(np.float64) / 32768.0
        self._pending, self._pending_frames = [], 0
        duration_s = len(audio) / self.samplerate
        if duration_s >= 0.1:  # Praat needs a few windows' worth of sound
            sound = parselmouth.Sound(audio, sampling_frequency=self.samplerate)
            mfcc = sound.to_mfcc(number_of_coefficients=12, window_length=0.025, time_step=FRAME_STEP_S)
            pitch = sound.to_pitch(time_step=FRAME_STEP_S, pitch_floor=60.0, pitch_ceiling=500.0)
            times = np.asarray(mfcc.xs())
            f0 = np.interp(times, pitch.xs(), pitch.selected_array["frequency"])
            with np.errstate(divide="ignore"):
                log_f0 = np.where(f0 > 0, np.log(np.maximum(f0, 1e-9)), np.nan)
            self._parts.append(VoiceFrames(times + self._offset_s, mfcc.to_array()[1:].T, log_f0))
        self._offset_s += duration_s


def _segment_features(segments: list[list[Word]], frames: VoiceFrames) -> np.ndarray:
    """One row per segment: mean MFCCs and median log pitch over the frames the segment covers."""
    rows = []
    for words in segments:
        inside = (frames.times_s >= words[0].start_s) & (frames.times_s <= words[-1].end_s)
        mfcc = frames.mfcc[inside].mean(axis=0) if inside.any() else np.full(frames.mfcc.shape[1], np.nan)
        voiced = frames.log_pitch[inside]
        voiced = voiced[~np.isnan(voiced)]
        rows.append(np.append(mfcc, np.median(voiced) if len(voiced) else np.nan))
    table = np.array(rows, dtype=np.float64)
    known = ~np.isnan(table)
    column_means = np.where(known, table, 0.0).sum(axis=0) / np.maximum(known.sum(axis=0), 1)
    return np.where(known, table, column_means)


def _two_clusters(features: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Label rows 0/1 with weighted 2-means on standardised features, started from the main axis of variation."""
    spread = features.std(axis=0)
    scaled = (features - features.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    scaled[:, :-1] *= np.sqrt((1 - PITCH_SHARE) / (scaled.shape[1] - 1))
    scaled[:, -1] *= np.sqrt(PITCH_SHARE)
    _, _, axes = np.linalg.svd(scaled, full_matrices=False)
    labels = (scaled @ axes[0] > 0).astype(int)
    for _ in range(50):
        if labels.min() == labels.max():
            break
        centres = np.array([np.average(scaled[labels == k], axis=0, weights=weights[labels == k]) for k in (0, 1)])
        distances = ((scaled[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new_labels = distances.argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return labels


def split_speakers(
    words: Sequence[Word], frames: VoiceFrames, first_speaker: Speaker = "rep", active: np.ndarray | None = None
) -> Transcript:
    """Turns for a mono recording: stretches of speech grouped into two voices; whoever speaks first is
    `first_speaker` (reps usually answer the call, so the default is "rep"); `active` marks speech frames."""
    segments = split_at_pauses(words, SEGMENT_GAP_S)
    if len(segments) < 2:
        labels = np.zeros(len(segments), dtype=int)
    else:
        weights = np.array([seg[-1].end_s - seg[0].start_s + 0.05 for seg in segments])
        labels = _two_clusters(_segment_features(segments, frames), weights)
    other = SPEAKERS[1 - SPEAKERS.index(first_speaker)]
    names = {labels[0]: first_speaker, 1 - labels[0]: other}
    runs = _runs_by_speaker(segments, [names[k] for k in labels])
    spans = speech_spans([words for _, words in runs], active)
    return sort_turns([make_turn(speaker, words, span) for (speaker, words), span in zip(runs, spans, strict=True)])


def _runs_by_speaker(segments: list[list[Word]], speakers: list[Speaker]):
    """Join consecutive segments of the same speaker into turns unless a long pause separates them."""
    runs: list[tuple[Speaker, list[Word]]] = []
    for speaker, words in zip(speakers, segments, strict=True):
        if runs and runs[-1][0] == speaker and words[0].start_s - runs[-1][1][-1].end_s < TURN_GAP_S:
            runs[-1][1].extend(words)
        else:
            runs.append((speaker, list(words)))
    return runs


def swap_speakers(transcript: Transcript) -> Transcript:
    """The same transcript with rep and customer exchanged (when the automatic split guessed them the wrong way)."""
    swapped = {"rep": "customer", "customer": "rep"}
    return Transcript(turns=tuple(replace(turn, speaker=swapped[turn.speaker]) for turn in transcript.turns))


def reassign_turn(transcript: Transcript, index: int, speaker: Speaker) -> Transcript:
    """The same transcript with turn `index` (0-based) given to `speaker`."""
    if speaker not in SPEAKERS:
        raise TranscriptError(f"Speaker {speaker!r} is not valid; choose rep or customer.")
    if not 0 <= index < len(transcript.turns):
        raise TranscriptError(
            f"There is no turn {index}: the transcript's turns are numbered from 0 (the first) to "
            f"{len(transcript.turns) - 1}."
        )
    turns = list(transcript.turns)
    turns[index] = replace(turns[index], speaker=speaker)
    return Transcript(turns=tuple(turns))
