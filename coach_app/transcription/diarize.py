"""One-track recordings → two speakers (or one) by voice: windows' speaker embeddings clustered, the speaker of
each moment smoothed, then the recognised words given to speakers and built into turns; plus manual fixes."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from coach_app.core import SPEAKERS, Speaker, Transcript, Word
from coach_app.errors import AudioError, TranscriptError
from coach_app.transcription import speech_detector
from coach_app.transcription.activity import FRAME_S as ACTIVITY_FRAME_S
from coach_app.transcription.turns import TURN_GAP_S, make_turn, sort_turns, speech_spans
from coach_app.transcription.voice_track import FRAME_S as POWER_FRAME_S
from coach_app.transcription.voice_track import VoiceFrames

FRAME_S = speech_detector.FRAME_S
MIN_SPEECH_S = 1.0  # less speech than this in the whole recording: nothing to transcribe
MIN_WINDOWS = 6  # fewer embedded windows (about 3 s of speech) cannot tell voices apart
# Spectral clustering decides how many voices there are from the eigenvalues of the windows' similarity graph: with
# k clearly different voices the (k+1)-th eigenvalue is much larger than the k-th. Measured ratios λ3/λ2: two
# voices 2.7–15 (same-sex eSpeak voices 2.7, pyannote's sample 3.5), one voice 1.3–1.6.
EIGENGAP = 2.2
# ... or when the two best clusters lie further apart than one voice's windows split in two do. For one voice,
# 1 − cosine of the two clusters' centroids shrinks with the number of windows n about as ONE_VOICE_SPREAD / n +
# ONE_VOICE_FLOOR (fitted on one-voice recordings: real speakers alone, whole and cut to 8–20 s, and eSpeak voices,
# which all stay under 1.34 times it); real same-sex pairs that the eigengap hears as one lie 1.8–4.2 times it away.
ONE_VOICE_SPREAD = 2.0
ONE_VOICE_FLOOR = 0.03
APART = 1.5  # two voices at this many times the one-voice distance
# The pitch sharpens the gap, but where it makes it alone (no gap without it) the split may be a few seconds of one
# voice's creak or emphasis far from the rest in pitch: such a gap counts only when the embeddings keep the split,
# k-means from it leaving at least this share of the windows where they are (two voices in the tuning calls keep
# 96–100 %, also where only the pitch makes the gap; one real voice's pitch-made splits 76–92 %).
KEEP_SHARE = 0.95
MIN_VOICE_SHARE = 0.07  # a "second voice" with less of the speech than this is noise in the first one
# ... or with less speech than this: splits of one real voice hold at most 5.0 s on their smaller side (real speakers
# alone, cut to 8–15 s), the less talkative voice of the two-voice tuning calls and pyannote's sample 8.6 s or more.
MIN_VOICE_S = 6.0
SEXES_APART_ST = 10.0  # ... unless their pitches are this far apart, as a man's and a woman's (the tests' short calls)
THIRD_VOICE_SHARE = 0.1  # a third voice is reported when it has at least this share of the speech ...
THIRD_VOICE_MIN_S = 10.0  # ... and this much of it (a few short turns of one voice can look like two voices)
MAX_GRAPH_WINDOWS = 1500  # about 12 minutes of speech; longer recordings are clustered from a spread sample
NEIGHBOUR_S = 0.5  # each window's embedding is averaged with the windows starting this close (less noise)
WINDOW_FOCUS = 0.9  # where in its window an embedding's evidence is strongest (fraction of the window)
SWITCH_PENALTY = 3.0  # how much evidence (log-odds) a change of speaker needs inside speech ...
PAUSE_SWITCH_PENALTY = 1.5  # ... and in a pause
SHARPNESS = 6.0  # similarity differences (centred embeddings) → log-odds; also sets how fast `speaker_conf` rises
# Turn-taking: a short stretch between pauses inside the other voice's turn is most often a backchannel. Its own
# embedding is weak evidence (too little speech; a hummed "mm-hmm" hardly sounds like its speaker), so it is pushed
# towards the listener by this share of a typical window's difference between the voices.
BACKCHANNEL_PRIOR = 0.6
CONTEXT_S = 1.5  # "inside the other voice's turn": that voice speaks ...
CONTEXT_SPEECH_S = 0.8  # ... at least this much of the CONTEXT_S before and of the CONTEXT_S after
VOICE_PRINT_MARGIN = 0.03  # the rep's voice print must be this much closer to one voice to name it
PURE_SHARE = 0.95  # a window is "pure" when at least this share of its speech is labelled one voice
LOW_CONFIDENCE = 0.7  # turns whose speaker is less sure than this are flagged in Review
# Overlaps: where one voice's turn runs straight into the other's (less than ABUT_S between them), a stretch near the
# change louder than both voices' own speech (OVERLAP_DB over the median level of the SIDE_S on each side) is both
# voices at once. Measured on the synthetic calls: overlaps are 2–5 dB louder than the speech around them when the
# two voices are about as loud; a much louder second voice hides the first, and then nothing is changed.
ABUT_S = 0.15
SIDE_S = 1.2
OVERLAP_DB = 2.0
LEVEL_SMOOTH_S = 0.2  # the level is the mean power over this long (syllables come and go faster)
MIN_OVERLAP_S = 0.2
MAX_OVERLAP_DISTANCE_S = 0.4  # the loud stretch must reach this close to where the voices change
# Overlaps are also found by the voices' evidence: before a change the first voice's log-odds fall while the second
# voice is already heard with it, and after the change the second voice's rise only once the first has stopped.
MIXED_SHARE = 0.4  # both voices are heard where the evidence is under this share of the voice's level in its turn
MAX_MIXED_S = 1.0  # ... up to this far from the change
# Pitch: voices of the same sex that the encoder hears as alike often still differ in pitch. Each voice's pitch is a
# Gaussian (its windows' median pitch, one spread for both) learned from the windows clustered to it; a window's
# log-likelihood ratio between the two adds to its voice evidence, so it adds nothing when both voices have the same
# pitch and more the further apart they are.
PITCH_MIN_VOICED_S = 0.2  # a window's pitch is the median of at least this much voiced speech
PITCH_MIN_SPREAD_ST = 1.0  # a voice's pitch varies at least this much (semitones) between windows
PITCH_WEIGHT = 1.0  # log-likelihood ratio of the pitch → log-odds of the evidence
PITCH_AFFINITY_ST = 3.0  # windows' similarity falls with their pitch difference (Gaussian of this spread)
PITCH_MAX_LLR = 3.0  # no window's pitch counts for more than this (an octave error, a shout)
# Resegmentation: after the voices are labelled from the embeddings, each voice's spectral envelope (mel cepstrum of
# its frames, a full-covariance Gaussian) is learned from the frames labelled with it, and every stretch of speech is
# judged again by which model explains its frames better (classic resegmentation after clustering).
CEPSTRAL_WEIGHT = 1.0  # mean log-likelihood ratio per frame → log-odds of the evidence of a chunk
CEPSTRAL_SMOOTH_S = 0.3  # frames' ratios are averaged over this much time (one frame says little)
CEPSTRAL_MAX_LLR = 3.0  # no chunk's cepstral evidence counts for more than this
MIN_MODEL_FRAMES = 200  # a voice needs 2 s of labelled speech for its model
NoteFn = Callable[[str], None]


@dataclass(frozen=True)
class Separation:
    """The transcript of a one-track recording and each speaker's voice as heard (mean embedding, speech seconds)."""

    transcript: Transcript
    voices: dict[Speaker, tuple[np.ndarray, float]]


@dataclass(frozen=True)
class Voices:
    """The voice of each 32 ms chunk (0, 1, or -1 outside speech), the log-odds of voice 0 over voice 1 there, the
    probability the label is right, the voices' centroids as heard (for voice prints) and each window's voice."""

    labels: np.ndarray
    evidence: np.ndarray
    confidence: np.ndarray
    centroids: np.ndarray
    window_voices: np.ndarray


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def _smoothed(frames: VoiceFrames) -> np.ndarray:
    """Each window's embedding averaged with its neighbours in time (windows are in time order)."""
    starts = frames.windows[:, 0]
    sums = np.vstack(
        [np.zeros((1, frames.embeddings.shape[1])), np.cumsum(frames.embeddings, axis=0, dtype=np.float64)]
    )
    low = np.searchsorted(starts, starts - NEIGHBOUR_S - 1e-6, side="left")
    high = np.searchsorted(starts, starts + NEIGHBOUR_S + 1e-6, side="right")
    return _unit(sums[high] - sums[low])


def _spectrum(centred: np.ndarray, pitch: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (ascending) and eigenvectors of the normalised Laplacian of the windows' similarity graph: the
    cosine similarity of their embeddings, lowered by a Gaussian of their pitch difference when `pitch` is given
    (semitones; NaN: unknown)."""
    if len(centred) > MAX_GRAPH_WINDOWS:  # evenly spread windows stand for the rest: memory grows with n²
        picked = np.linspace(0, len(centred) - 1, MAX_GRAPH_WINDOWS).round().astype(int)
        values, vectors = _spectrum(centred[picked], None if pitch is None else pitch[picked])
        # each window takes the spectral coordinates of its most similar picked window
        nearest = np.concatenate(
            [(centred[i : i + 1000] @ centred[picked].T).argmax(axis=1) for i in range(0, len(centred), 1000)]
        )
        return values, vectors[nearest]
    affinity = np.maximum(centred @ centred.T, 0.0)
    if pitch is not None:
        affinity *= np.exp(-0.5 * (np.nan_to_num(np.subtract.outer(pitch, pitch)) / PITCH_AFFINITY_ST) ** 2)
    degree = np.maximum(affinity.sum(axis=1), 1e-9)
    laplacian = np.eye(len(affinity)) - affinity / np.sqrt(np.outer(degree, degree))
    return np.linalg.eigh(laplacian)


def _spectral_split(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Two groups from the two lowest eigenvectors, rows normalised (the split does not depend on how a solver
    happens to rotate them when the graph falls apart into two pieces and both eigenvalues are 0)."""
    points = _unit(vectors[:, :2])
    far = int(np.argmin(points @ points[0]))
    return _refine(points, (points @ points[[0, far]].T).argmax(axis=1), weights, 2)


def _refine(embeddings: np.ndarray, labels: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """A few rounds of k-means (cosine) from the spectral split."""
    for _ in range(20):
        centroids = np.array([_centroid(embeddings[labels == c], weights[labels == c]) for c in range(k)])
        new_labels = (embeddings @ centroids.T).argmax(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return labels


def _centroid(embeddings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    if not len(embeddings):
        return np.zeros(embeddings.shape[1])
    return _unit((embeddings * weights[:, None]).sum(axis=0))


def _shares(labels: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    return np.array([weights[labels == c].sum() for c in range(k)]) / max(weights.sum(), 1e-9)


def cluster_voices(frames: VoiceFrames, on_note: NoteFn, source: str) -> np.ndarray:
    """Each window's voice: 0, or 0/1 when two voices are heard; notes what was decided when it is not clear."""
    weights = frames.windows[:, 2]
    if len(weights) < MIN_WINDOWS:
        on_note(
            f"{source} has too little speech ({frames.speech_s:.1f} s) to tell voices apart: all of it is given "
            "to one speaker; fix the speakers in Review if needed."
        )
        return np.zeros(len(weights), dtype=int)
    smoothed = _smoothed(frames)
    centred = _unit(smoothed - smoothed.mean(axis=0))
    pitch = _span_pitch(frames, frames.windows)
    values, vectors = _spectrum(centred, pitch)
    split = _spectral_split(vectors, weights)
    labels = _refine(smoothed, split, weights, 2)
    kept = float((labels == split).mean())
    gap = _eigengap(values) and (kept >= KEEP_SHARE or _eigengap(_spectrum(centred)[0]))
    if not gap and not _apart(smoothed, labels, weights):
        return np.zeros(len(weights), dtype=int)
    if _shares(labels, weights, 2).min() < MIN_VOICE_SHARE:
        return np.zeros(len(weights), dtype=int)
    if _voice_speech_s(frames, labels).min() < MIN_VOICE_S and not _pitch_apart_st(pitch, labels) >= SEXES_APART_ST:
        return np.zeros(len(weights), dtype=int)
    _note_third_voice(frames, smoothed, labels, on_note, source)
    return labels


def _eigengap(values: np.ndarray) -> bool:
    """Whether the graph's eigenvalues say two voices (λ3 ≥ EIGENGAP·λ2)."""
    return bool(values[2] >= EIGENGAP * max(values[1], 1e-9))


def _voice_speech_s(frames: VoiceFrames, labels: np.ndarray) -> np.ndarray:
    """Seconds of speech of each of the two voices, each speech chunk going to the voice of the window whose
    middle is nearest."""
    speech = np.flatnonzero(frames.speech_prob >= speech_detector.SPEECH_PROB)
    middles = frames.windows[:, :2].mean(axis=1)
    order = np.argsort(middles)
    at = (speech + 0.5) * FRAME_S
    right = np.clip(np.searchsorted(middles[order], at), 1, len(order) - 1)
    nearest = np.where(at - middles[order][right - 1] <= middles[order][right] - at, right - 1, right)
    voices = labels[order][nearest]
    return np.array([(voices == c).sum() * FRAME_S for c in (0, 1)])


def _pitch_apart_st(pitch: np.ndarray, labels: np.ndarray) -> float:
    """How far apart (semitones) the two voices' median window pitches are; NaN when a voice has none."""
    voiced = [pitch[(labels == c) & ~np.isnan(pitch)] for c in (0, 1)]
    medians = [np.median(values) if len(values) else np.nan for values in voiced]
    return float(abs(medians[0] - medians[1]))


def _apart(smoothed: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> bool:
    """Whether the two clusters' centroids are further apart than one voice's would be (see APART)."""
    centroids = [_centroid(smoothed[labels == c], weights[labels == c]) for c in (0, 1)]
    one_voice = ONE_VOICE_SPREAD / len(labels) + ONE_VOICE_FLOOR
    return 1.0 - float(centroids[0] @ centroids[1]) >= APART * one_voice


def _note_third_voice(
    frames: VoiceFrames, smoothed: np.ndarray, labels: np.ndarray, on_note: NoteFn, source: str
) -> None:
    """Say so when one of the two voices found is itself two voices with a real share of the speech (the same
    eigengap test, inside each cluster, without pitch: with it, one voice's intonation alone made it report a third
    voice in the different-sex validation calls); the extra voice stays folded into the voice it was grouped with."""
    weights = frames.windows[:, 2]
    for voice in (0, 1):
        inside = labels == voice
        if inside.sum() < MIN_WINDOWS:
            continue
        centred = _unit(smoothed[inside] - smoothed[inside].mean(axis=0))
        values, vectors = _spectrum(centred)
        if not _eigengap(values):
            continue
        split = _refine(smoothed[inside], _spectral_split(vectors, weights[inside]), weights[inside], 2)
        part_shares = [weights[inside][split == c].sum() / weights.sum() for c in (0, 1)]
        extra = int(np.argmin(part_shares))
        if part_shares[extra] < THIRD_VOICE_SHARE or weights[inside][split == extra].sum() < THIRD_VOICE_MIN_S:
            continue
        starts = frames.windows[inside][split == extra, 0]
        on_note(
            f"{source} has more than two voices: only two are kept as rep and customer. Another voice "
            f"({weights[inside][split == extra].sum():.0f} s of speech, first heard at {_clock(float(starts.min()))}) "
            "is given to the speaker it was grouped with: check those turns in Review."
        )
        return


def _span_pitch(frames: VoiceFrames, spans: np.ndarray) -> np.ndarray:
    """Median pitch (semitones above 1 Hz) of the voiced speech in each (start_s, end_s, …) span; NaN with less
    than PITCH_MIN_VOICED_S of it."""
    speech = frames.speech_prob >= speech_detector.SPEECH_PROB
    chunk = np.minimum((np.arange(len(frames.pitch)) * POWER_FRAME_S / FRAME_S).astype(int), len(speech) - 1)
    voiced = ~np.isnan(frames.pitch) & speech[chunk] if len(speech) else np.zeros(len(frames.pitch), dtype=bool)
    semitones = 12.0 * np.where(voiced, frames.pitch, 0.0)
    least = PITCH_MIN_VOICED_S / POWER_FRAME_S
    medians = np.full(len(spans), np.nan)
    for index, (start_s, end_s, _) in enumerate(spans):
        first, last = int(start_s / POWER_FRAME_S), int(end_s / POWER_FRAME_S)
        heard = semitones[first:last][voiced[first:last]]
        if len(heard) >= least:
            medians[index] = np.median(heard)
    return medians


def _pitch_log_odds(pitch: np.ndarray, voices: np.ndarray, weights: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """From windows' pitch and voice (0/1, -1 unknown): the log-likelihood ratio of voice 0 over voice 1 for any
    pitch (0 where unknown), each voice's pitch a Gaussian with a shared spread; always 0 if a voice has no pitch."""
    known = ~np.isnan(pitch) & (voices >= 0)
    if not all((known & (voices == c)).any() for c in (0, 1)):
        return lambda values: np.zeros(len(values))
    means = np.array([np.average(pitch[known & (voices == c)], weights=weights[known & (voices == c)]) for c in (0, 1)])
    spread = np.sqrt(np.average((pitch[known] - means[voices[known]]) ** 2, weights=weights[known]))
    variance = max(spread, PITCH_MIN_SPREAD_ST) ** 2

    def log_odds(values: np.ndarray) -> np.ndarray:
        ratio = (means[0] - means[1]) / variance * (values - means.mean())
        return np.nan_to_num(np.clip(PITCH_WEIGHT * ratio, -PITCH_MAX_LLR, PITCH_MAX_LLR))

    return log_odds


def label_frames(frames: VoiceFrames, window_voices: np.ndarray) -> Voices:
    """The voice of every 32 ms chunk: each window's similarity to the voices, spread over the chunks it covers,
    then the most likely sequence of voices with a cost for every change (Viterbi over two states). The voices are
    then heard again from the windows that lie within one voice's speech only, and the chunks labelled anew."""
    n = len(frames.speech_prob)
    speech = frames.speech_prob >= speech_detector.SPEECH_PROB
    weights = frames.windows[:, 2]
    smoothed = _smoothed(frames) if len(weights) else np.zeros((0, 256))
    k = int(window_voices.max()) + 1 if len(window_voices) else 1
    centroids = np.array([_centroid(smoothed[window_voices == c], weights[window_voices == c]) for c in range(k)])
    if k == 1:
        return Voices(np.where(speech, 0, -1), np.zeros(n), np.ones(n), centroids, window_voices)
    pitch, island_pitch = _span_pitch(frames, frames.windows), _span_pitch(frames, frames.islands)
    log_odds = _pitch_log_odds(pitch, window_voices, weights)
    pitch_odds = (log_odds(pitch), log_odds(island_pitch))
    labels, evidence, covered = _label_chunks(frames, smoothed.mean(axis=0), centroids, speech, pitch_odds)
    # windows that straddle a change of voice blur the centroids: hear each voice again from its pure windows
    pure = _pure_windows(frames, labels, speech)
    if all((pure == c).any() for c in range(k)):
        centroids = np.array([_centroid(smoothed[pure == c], weights[pure == c]) for c in range(k)])
        log_odds = _pitch_log_odds(pitch, pure, weights)
        pitch_odds = (log_odds(pitch), log_odds(island_pitch))
        labels, evidence, covered = _label_chunks(frames, smoothed.mean(axis=0), centroids, speech, pitch_odds)
    cepstral_odds = _cepstral_log_odds(frames, labels, speech)
    labels, evidence, covered = _label_chunks(
        frames, smoothed.mean(axis=0), centroids, speech, pitch_odds, cepstral_odds
    )
    confidence = np.where(covered, 1 / (1 + np.exp(-np.abs(evidence))), 0.5)
    return Voices(np.where(speech, labels, -1), evidence, confidence, centroids, window_voices)


def _pure_windows(frames: VoiceFrames, labels: np.ndarray, speech: np.ndarray) -> np.ndarray:
    """Each window's voice when (almost) all its speech carries that voice's label, else -1."""
    pure = np.full(len(frames.windows), -1)
    for index, (start_s, end_s, _) in enumerate(frames.windows):
        first, last = int(start_s / FRAME_S), min(len(labels), int(np.ceil(end_s / FRAME_S)))
        heard = labels[first:last][speech[first:last]]
        if len(heard):
            share = np.bincount(heard, minlength=2) / len(heard)
            if share.max() >= PURE_SHARE:
                pure[index] = int(share.argmax())
    return pure


def _label_chunks(
    frames: VoiceFrames,
    mean: np.ndarray,
    centroids: np.ndarray,
    speech: np.ndarray,
    pitch_odds: tuple[np.ndarray, np.ndarray],
    extra: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(voice, log-odds of voice 0 over 1, covered by some embedding) of every chunk given the voices' centroids,
    the pitch's log-likelihood ratio of voice 0 over voice 1 in each window and in each short stretch and any `extra`
    log-odds per chunk."""
    n = len(frames.speech_prob)
    centred = _unit(centroids - mean)
    scores, counts = np.zeros((n, 3)), np.zeros(n)
    similarity = _unit(frames.embeddings.astype(np.float64) - mean) @ centred.T
    rows = np.column_stack([similarity, pitch_odds[0]])
    for (start_s, end_s, _), row in zip(frames.windows, rows, strict=True):
        # the encoder's last state hears the end of a window best: weighting each window towards that part places
        # speaker changes where they are (measured on overlapping turns of the synthetic calls)
        first, last = int(start_s / FRAME_S), min(n, int(np.ceil(end_s / FRAME_S)))
        position = (np.arange(first, last) + 0.5) * FRAME_S
        focus = start_s + WINDOW_FOCUS * (end_s - start_s)
        spread = max(end_s - start_s, FRAME_S) * np.where(position < focus, WINDOW_FOCUS, 1 - WINDOW_FOCUS)
        weight = np.maximum(1.0 - np.abs(position - focus) / spread, 0.05)
        scores[first:last] += weight[:, None] * row
        counts[first:last] += weight
    covered = counts > 0
    scores[covered] /= counts[covered, None]
    # a short stretch between pauses is judged by its own embedding: the windows around it mostly hear the neighbours
    island_similarity = _unit(frames.island_embeddings.astype(np.float64) - mean) @ centred.T
    island_rows = np.column_stack([island_similarity, pitch_odds[1]])
    for (start_s, end_s, _), row in zip(frames.islands, island_rows, strict=True):
        first, last = int(start_s / FRAME_S), min(n, int(np.ceil(end_s / FRAME_S)))
        scores[first:last] = row
        covered[first:last] = True
    evidence = SHARPNESS * (scores[:, 0] - scores[:, 1]) + scores[:, 2]  # log-odds of voice 0 over 1, 0 if unknown
    if extra is not None:
        evidence += extra
    evidence[~speech] = 0.0
    labels = _viterbi(evidence, speech)
    window_scale = float(np.median(np.abs(similarity[:, 0] - similarity[:, 1])))
    for start_s, end_s, _ in frames.islands:
        first, last = int(start_s / FRAME_S), min(n, int(np.ceil(end_s / FRAME_S)))
        listener = _listener(np.where(speech, labels, -1), first, last)
        if listener is not None:
            evidence[first:last] += (1 if listener == 0 else -1) * SHARPNESS * BACKCHANNEL_PRIOR * window_scale
    labels = _viterbi(evidence, speech)
    return labels, evidence, covered


def _cepstral_log_odds(frames: VoiceFrames, labels: np.ndarray, speech: np.ndarray) -> np.ndarray:
    """Per chunk: the log-likelihood ratio of voice 0 over voice 1 of the mel cepstra around it (weighted, clipped),
    each voice a full-covariance Gaussian learned from the speech frames labelled with it; 0 without both models."""
    n = len(labels)
    evidence = np.zeros(n)
    cepstra = frames.cepstra.astype(np.float64)
    chunk = np.minimum((np.arange(len(cepstra)) * POWER_FRAME_S / FRAME_S).astype(int), n - 1)
    voice = np.where(speech[chunk], labels[chunk], -1)
    if min((voice == 0).sum(), (voice == 1).sum()) < MIN_MODEL_FRAMES:
        return evidence
    likelihood = np.zeros((len(cepstra), 2))
    for c in (0, 1):
        heard = cepstra[voice == c]
        covariance = np.cov(heard.T) + 1e-3 * np.eye(heard.shape[1])
        inverse, (_, log_det) = np.linalg.inv(covariance), np.linalg.slogdet(covariance)
        offset = cepstra - heard.mean(axis=0)
        likelihood[:, c] = -0.5 * (np.einsum("ij,jk,ik->i", offset, inverse, offset) + log_det)
    ratio = np.where(voice >= 0, likelihood[:, 0] - likelihood[:, 1], 0.0)
    smooth = max(1, int(CEPSTRAL_SMOOTH_S / POWER_FRAME_S))
    kernel = np.ones(smooth)
    mean_ratio = np.convolve(ratio, kernel, "same") / np.maximum(np.convolve(voice >= 0, kernel, "same"), 1)
    sums = np.bincount(chunk, weights=mean_ratio, minlength=n)
    counts = np.maximum(np.bincount(chunk, minlength=n), 1)
    return np.clip(CEPSTRAL_WEIGHT * sums / counts, -CEPSTRAL_MAX_LLR, CEPSTRAL_MAX_LLR)


def _listener(labels: np.ndarray, first: int, last: int) -> int | None:
    """The voice that is listening when the short stretch of speech in chunks first:last falls inside the other
    voice's turn (that voice speaks at least CONTEXT_SPEECH_S of the CONTEXT_S before and after it), else None."""
    span, least = int(CONTEXT_S / FRAME_S), CONTEXT_SPEECH_S / FRAME_S
    before, after = labels[max(0, first - span) : first], labels[last : last + span]
    for speaker in (0, 1):
        if (before == speaker).sum() >= least and (after == speaker).sum() >= least:
            return 1 - speaker
    return None


def _viterbi(evidence: np.ndarray, speech: np.ndarray) -> np.ndarray:
    """The 0/1 sequence maximising agreement with `evidence` (positive favours 0) minus a cost per change:
    SWITCH_PENALTY inside speech, PAUSE_SWITCH_PENALTY in a pause (where voices usually take turns)."""
    n = len(evidence)
    back = np.zeros((n, 2), dtype=np.int8)
    penalty = np.where(speech, SWITCH_PENALTY, PAUSE_SWITCH_PENALTY)
    score = np.array([evidence[0] / 2, -evidence[0] / 2]) if n else np.zeros(2)
    for t in range(1, n):
        stay, switch = score, score[::-1] - penalty[t]
        back[t] = np.where(stay >= switch, [0, 1], [1, 0])
        score = np.maximum(stay, switch) + np.array([evidence[t] / 2, -evidence[t] / 2])
    labels = np.zeros(n, dtype=int)
    if n:
        labels[-1] = int(np.argmax(score))
        for t in range(n - 1, 0, -1):
            labels[t - 1] = back[t, labels[t]]
    return labels


def _word_voice(word: Word, voices: Voices) -> tuple[int, float]:
    """The voice speaking during `word` (the one most of its chunks carry; nearest speech if none) and how sure."""
    n = len(voices.labels)
    first, last = int(word.start_s / FRAME_S), max(int(word.start_s / FRAME_S) + 1, int(np.ceil(word.end_s / FRAME_S)))
    first, last = min(first, n - 1), min(last, n)
    labels = voices.labels[first:last]
    heard = labels[labels >= 0]
    if not len(heard):
        speech = np.flatnonzero(voices.labels >= 0)
        nearest = speech[np.argmin(np.abs(speech - (first + last) // 2))]
        return int(voices.labels[nearest]), float(voices.confidence[nearest])
    voice = int(np.bincount(heard).argmax())
    return voice, float(voices.confidence[first:last][labels == voice].mean())


def words_in_speech(words: Sequence[Word], frames: VoiceFrames) -> list[Word]:
    """The words with speech under or next to them (the recogniser also "hears" words in music and noise)."""
    speech = frames.speech_prob >= speech_detector.SPEECH_PROB
    if not speech.any():
        return []
    near = np.convolve(speech.astype(float), np.ones(2 * int(0.3 / FRAME_S) + 1), mode="same") > 0
    n = len(near)
    kept = []
    for word in words:
        first, last = int(word.start_s / FRAME_S), int(np.ceil(word.end_s / FRAME_S))
        if near[min(first, n - 1) : max(min(last, n), min(first, n - 1) + 1)].any():
            kept.append(word)
    return kept


def split_speakers(
    words: Sequence[Word],
    frames: VoiceFrames,
    first_speaker: Speaker = "rep",
    active: np.ndarray | None = None,
    rep_voice: np.ndarray | None = None,
    on_note: NoteFn = lambda message: None,
    source: str = "the recording",
) -> Separation:
    """Turns for a one-track recording. The voices are told apart by `frames`; whoever speaks first is
    `first_speaker` unless `rep_voice` (the rep's known voice print) says which voice is the rep's. `active`
    marks speech frames (10 ms) for placing turn edges; `on_note` receives what the user should know."""
    if frames.speech_s < MIN_SPEECH_S:
        raise AudioError(
            f"No speech was found in {source} ({frames.speech_s:.1f} s at most): it sounds like silence, music or "
            "noise. Check that you chose the right file and that the microphone picked up the voices."
        )
    kept = words_in_speech(words, frames)
    if not kept:
        raise AudioError(
            f"No words were recognised in the speech of {source}: check that the speech model matches the "
            "language spoken."
        )
    voices = label_frames(frames, cluster_voices(frames, on_note, source))
    assigned = [(word, *_word_voice(word, voices)) for word in sorted(kept, key=lambda w: w.start_s)]
    names = _voice_names(voices, assigned[0][1], first_speaker, rep_voice)
    if len(voices.centroids) == 1:
        on_note(f"Only one voice was heard in {source}: every turn is given to the {names[0]}.")
    runs: list[tuple[int, list[Word], list[float]]] = []
    for word, voice, conf in assigned:
        if runs and runs[-1][0] == voice and word.start_s - runs[-1][1][-1].end_s < TURN_GAP_S:
            runs[-1][1].append(word)
            runs[-1][2].append(conf)
        else:
            runs.append((voice, [word], [conf]))
    masks = _voice_masks(voices, active)
    spans = speech_spans([run_words for _, run_words, _ in runs], [masks[voice] for voice, _, _ in runs])
    spans = [
        span or (run_words[0].start_s, max(w.end_s for w in run_words))
        for span, (_, run_words, _) in zip(spans, runs, strict=True)
    ]
    spans = _with_mixed_voices(_with_overlaps(spans, runs, frames.power), runs, voices)
    turns = []
    for (voice, run_words, confs), span in zip(runs, spans, strict=True):
        turn = make_turn(names[voice], run_words, span)
        conf = round(float(np.mean(confs)), 2) if len(voices.centroids) > 1 else None
        turns.append(replace(turn, speaker_conf=conf))
    window_voices = voices.window_voices
    heard = {
        names[v]: (voices.centroids[v], float(frames.windows[window_voices == v, 2].sum()))
        for v in range(len(voices.centroids))
    }
    return Separation(sort_turns(turns), heard)


def _with_overlaps(
    spans: list[tuple[float, float]], runs: Sequence[tuple[int, list[Word], list[float]]], power: np.ndarray
) -> list[tuple[float, float]]:
    """Turn spans that overlap where both voices are heard at once: when one voice's turn runs straight into the
    other's and a stretch near the change is louder than either voice alone, the earlier turn ends where that
    stretch ends and the later one starts where it starts."""
    spans = list(spans)
    smooth = max(1, int(LEVEL_SMOOTH_S / POWER_FRAME_S))
    level = 10 * np.log10(np.convolve(power, np.ones(smooth) / smooth, mode="same") + 1e-10)
    side, reach = int(SIDE_S / POWER_FRAME_S), int(MAX_OVERLAP_DISTANCE_S / POWER_FRAME_S)
    for index in range(len(runs) - 1):
        (start_a, end_a), (start_b, end_b) = spans[index], spans[index + 1]
        if runs[index][0] == runs[index + 1][0] or start_b - end_a > ABUT_S:
            continue
        change = int((start_b + end_a) / 2 / POWER_FRAME_S)
        low = max(int(start_a / POWER_FRAME_S), change - side)
        high = min(int(end_b / POWER_FRAME_S), change + side, len(level))
        if change - low <= side // 2 or high - change <= side // 2:
            continue  # no frames of one voice alone to compare with
        alone = max(np.median(level[low : change - side // 2]), np.median(level[change + side // 2 : high]))
        near = [
            (max(0, low + first - change, change - low - last), low + first, low + last)
            for first, last in _stretches(level[low:high] > alone + OVERLAP_DB)
            if (last - first) * POWER_FRAME_S >= MIN_OVERLAP_S
        ]
        distance, first, last = min(near, default=(reach + 1, 0, 0))
        if distance <= reach:
            spans[index] = (start_a, max(end_a, last * POWER_FRAME_S))
            spans[index + 1] = (min(start_b, first * POWER_FRAME_S), end_b)
    return spans


def _with_mixed_voices(
    spans: list[tuple[float, float]], runs: Sequence[tuple[int, list[Word], list[float]]], voices: Voices
) -> list[tuple[float, float]]:
    """Turn spans that overlap where the evidence for each voice fades near a change: when one voice's turn runs
    straight into the other's, the stretch before the change where the first voice's evidence is under MIXED_SHARE
    of its level in its own speech (the second voice already heard with it), and the stretch after it where the
    second voice's evidence is, are both voices at once."""
    spans = list(spans)
    reach, n = int(MAX_MIXED_S / FRAME_S), len(voices.labels)
    for index in range(len(runs) - 1):
        (start_a, end_a), (start_b, end_b) = spans[index], spans[index + 1]
        voice_a, voice_b = runs[index][0], runs[index + 1][0]
        if voice_a == voice_b or start_b - end_a > ABUT_S:
            continue
        change = min(n - 1, int((start_b + end_a) / 2 / FRAME_S))
        toward_a = voices.evidence * (1 if voice_a == 0 else -1)
        turn_a, turn_b = slice(int(start_a / FRAME_S), change), slice(change, int(np.ceil(end_b / FRAME_S)))
        before = toward_a[turn_a][voices.labels[turn_a] == voice_a]
        after = -toward_a[turn_b][voices.labels[turn_b] == voice_b]
        if not len(before) or not len(after):
            continue
        limit_a, limit_b = MIXED_SHARE * np.median(before), MIXED_SHARE * np.median(after)
        first, last = change, change
        speech = voices.labels >= 0
        while first > max(0, change - reach) and speech[first - 1] and toward_a[first - 1] < limit_a:
            first -= 1
        while last < min(n, change + reach) and speech[last] and -toward_a[last] < limit_b:
            last += 1
        if (last - first) * FRAME_S >= MIN_OVERLAP_S:
            spans[index] = (start_a, max(end_a, last * FRAME_S))
            spans[index + 1] = (min(start_b, first * FRAME_S), end_b)
    return spans


def _stretches(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) of each run of True in `mask`."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _voice_masks(voices: Voices, active: np.ndarray | None) -> list[np.ndarray]:
    """Per voice, which 10 ms frames hold its speech (and are loud enough, when `active` says), so a turn's edges
    reach the speech of its own voice only."""
    length = len(active) if active is not None else int(len(voices.labels) * FRAME_S / ACTIVITY_FRAME_S)
    chunk = np.minimum((np.arange(length) * ACTIVITY_FRAME_S / FRAME_S).astype(int), len(voices.labels) - 1)
    masks = []
    for voice in range(len(voices.centroids)):
        mask = voices.labels[chunk] == voice if len(voices.labels) else np.zeros(length, dtype=bool)
        masks.append(mask & active if active is not None else mask)
    return masks


def _voice_names(
    voices: Voices, first_voice: int, first_speaker: Speaker, rep_voice: np.ndarray | None
) -> dict[int, Speaker]:
    """Rep and customer for voices 0 and 1: by the rep's voice print when it clearly matches one voice better,
    otherwise by who speaks first."""
    other: Speaker = SPEAKERS[1 - SPEAKERS.index(first_speaker)]
    if rep_voice is not None and len(voices.centroids) == 2:
        closeness = voices.centroids @ rep_voice
        if abs(closeness[0] - closeness[1]) >= VOICE_PRINT_MARGIN:
            rep = int(np.argmax(closeness))
            return {rep: "rep", 1 - rep: "customer"}
    return {first_voice: first_speaker, 1 - first_voice: other}


def swap_speakers(transcript: Transcript) -> Transcript:
    """The same transcript with rep and customer exchanged (when the automatic split guessed them the wrong way)."""
    swapped = {"rep": "customer", "customer": "rep"}
    return Transcript(turns=tuple(replace(turn, speaker=swapped[turn.speaker]) for turn in transcript.turns))


def reassign_turn(transcript: Transcript, index: int, speaker: Speaker) -> Transcript:
    """The same transcript with turn `index` (0-based) given to `speaker`, who is then certain."""
    if speaker not in SPEAKERS:
        raise TranscriptError(f"Speaker {speaker!r} is not valid; choose rep or customer.")
    if not 0 <= index < len(transcript.turns):
        raise TranscriptError(
            f"There is no turn {index}: the transcript's turns are numbered from 0 (the first) to "
            f"{len(transcript.turns) - 1}."
        )
    turns = list(transcript.turns)
    turns[index] = replace(turns[index], speaker=speaker, speaker_conf=None)
    return Transcript(turns=tuple(turns))
