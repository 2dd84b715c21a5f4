"""Delivery from the voice on real espeak-ng speech: each finding fires on the voice it describes and not otherwise."""

import subprocess
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import speech

from coach_app import session
from coach_app.audio import delivery, voice
from coach_app.core import Transcript, Turn, Word
from coach_app.errors import AudioError
from coach_app.paths import resource
from coach_app.scoring.rubric import VoiceThresholds, load_rubric


def default_rubric_text() -> str:
    return resource("rubrics", "default.toml").read_text(encoding="utf-8")


RATE = speech.SAMPLERATE
REP_LINES = (
    "I am sorry to hear about the delay with your parcel, and I can see why that would be frustrating.",
    "Let me check the tracking details for you now, so we can work out together what happened and what to do next.",
    "Thank you for your patience while I look into this, it should only take a moment to find the right information.",
)
CUSTOMER_LINE = "Yes, it was meant to arrive on Monday."
GAIN_10_DB = 10 ** (10 / 20)


@cache
def say(text: str, voice: str = speech.VOICES["rep"], speed: int = 150, prosody: str = "") -> np.ndarray:
    """espeak-ng speech as trimmed float samples; `prosody` is an SSML range (x-low…x-high) or "alternate"
    (phrases alternately high and low, a lively contour)."""
    markup = text
    if prosody == "alternate":
        phrases = text.split(", ")
        markup = "".join(
            f'<prosody pitch="{"+60%" if i % 2 == 0 else "-30%"}">{phrase}, </prosody>'
            for i, phrase in enumerate(phrases)
        )
        markup = f'<prosody range="x-high">{markup}</prosody>'
    elif prosody:
        markup = f'<prosody range="{prosody}">{text}</prosody>'
    with tempfile.TemporaryDirectory() as tmp:
        raw, wav = Path(tmp) / "raw.wav", Path(tmp) / "turn.wav"
        subprocess.run(
            ["espeak-ng", "-m", "-v", voice, "-s", str(speed), "-w", raw, f"<speak>{markup}</speak>"], check=True
        )
        subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", wav], check=True)
        samples, _ = sf.read(wav, dtype="float32")
    loud = np.flatnonzero(np.abs(samples) >= speech.SILENCE_LEVEL / 32768)
    return samples[loud[0] : loud[-1] + 1]


def spread_words(text: str, start_s: float, end_s: float) -> tuple[Word, ...]:
    """Word timings spread evenly over the clip (the true words per minute of the synthesised turn)."""
    words = text.split()
    step = (end_s - start_s) / len(words)
    return tuple(Word(w, start_s + i * step, start_s + (i + 1) * step - 0.02) for i, w in enumerate(words))


def call(rep_clips, with_words: bool = True, customer_gain: float = 1.0, overlap_s: float = 0.0):
    """Customer line, then each rep clip (with a customer line between), rep on the left channel.

    `overlap_s` > 0 starts each later customer line that long before the previous rep clip ends."""
    customer = say(CUSTOMER_LINE, speech.VOICES["customer"]) * customer_gain
    placed, turns, cursor = [], [], 0.0
    for position, (text, clip) in enumerate(rep_clips):
        start = cursor if position == 0 else cursor - overlap_s
        placed.append(("customer", customer, start))
        turns.append(Turn("customer", start, start + len(customer) / RATE, CUSTOMER_LINE))
        cursor = max(cursor, start + len(customer) / RATE) + 0.6
        placed.append(("rep", clip, cursor))
        end = cursor + len(clip) / RATE
        turns.append(Turn("rep", cursor, end, text, spread_words(text, cursor, end) if with_words else ()))
        cursor = end + 0.6
    total = int((cursor + 0.5) * RATE)
    tracks = {"rep": np.zeros(total, np.float32), "customer": np.zeros(total, np.float32)}
    for speaker, clip, start in placed:
        begin = int(round(start * RATE))
        tracks[speaker][begin : begin + len(clip)] += clip
    stereo = np.stack([tracks["rep"], tracks["customer"]], axis=1)
    return stereo, Transcript(tuple(turns))


def kinds(findings) -> list[tuple[str, int]]:
    return sorted((f.kind, f.turn) for f in findings)


def test_calm_pace_is_praised_once_and_nothing_else_fires():
    """A steady rep at about 140 wpm gets one calm-pace finding and no problem findings."""
    stereo, transcript = call([(t, say(t, speed=100)) for t in REP_LINES])
    findings = delivery.delivery_findings((stereo, RATE), transcript, rep_channel="left")
    assert kinds(findings) == [("voice_pace_calm", 3)]
    calm = findings[0]
    assert calm.quote == REP_LINES[1] and "words per minute" in calm.reason and "unhurried" in calm.tip
    assert (calm.start_s, calm.end_s) == (transcript.turns[3].start_s, transcript.turns[3].end_s)


def test_fast_pace_fires_per_turn():
    """At espeak's -s 260 every rep turn is flagged as fast, with its measured rate, and calm is not praised."""
    stereo, transcript = call([(t, say(t, speed=260)) for t in REP_LINES])
    findings = delivery.delivery_findings((stereo, RATE), transcript, rep_channel="left")
    assert kinds(findings) == [("voice_pace_fast", 1), ("voice_pace_fast", 3), ("voice_pace_fast", 5)]
    measures = delivery.measure_voice((stereo, RATE), transcript, rep_channel="left")
    assert all(m.words_per_min > 300 and m.rate_from == "words" for m in measures)


def test_pace_from_syllables_when_there_are_no_word_timings():
    """Without word timings the pace comes from syllable nuclei in the audio: slow speech is calm, fast is fast."""
    slow, slow_transcript = call([(t, say(t, speed=100)) for t in REP_LINES], with_words=False)
    measures = delivery.measure_voice((slow, RATE), slow_transcript, rep_channel="left")
    assert all(m.rate_from == "syllables" and 100 < m.words_per_min < 160 for m in measures)
    assert kinds(delivery.judge_delivery(measures, slow_transcript)) == [("voice_pace_calm", 3)]
    fast, fast_transcript = call([(t, say(t, speed=260)) for t in REP_LINES], with_words=False)
    findings = delivery.delivery_findings((fast, RATE), fast_transcript, rep_channel="left")
    assert [f.kind for f in findings] == ["voice_pace_fast"] * 3
    assert "estimated from" in findings[0].reason and "syllables per second" in findings[0].reason


def test_flat_pitch_is_monotone_and_default_pitch_is_not():
    """espeak's x-low pitch range is flagged monotone in every turn; its default range is neither flat nor lively."""
    flat, transcript = call([(t, say(t, speed=100, prosody="x-low")) for t in REP_LINES])
    findings = delivery.delivery_findings((flat, RATE), transcript, rep_channel="left")
    assert [f.kind for f in findings if f.kind.startswith("voice_monotone")] == ["voice_monotone"] * 3
    assert "smile comes through" in findings[0].tip and "semitones" in findings[0].reason
    plain, transcript = call([(t, say(t, speed=100)) for t in REP_LINES])
    measures = delivery.measure_voice((plain, RATE), transcript, rep_channel="left")
    assert all(3.0 < m.pitch_range_st < 8.0 for m in measures)
    assert not {"voice_monotone", "voice_lively"} & {f.kind for f in delivery.judge_delivery(measures, transcript)}


def test_lively_pitch_is_praised_once():
    """Pitch moving between high and low phrases is praised once as lively, and never called monotone."""
    lively, transcript = call([(t, say(t, speed=100, prosody="alternate")) for t in REP_LINES])
    findings = delivery.delivery_findings((lively, RATE), transcript, rep_channel="left")
    assert [f.kind for f in findings if f.kind in ("voice_lively", "voice_monotone")] == ["voice_lively"]


def test_raised_voice_in_one_turn_is_found_there_only():
    """A turn spoken 10 dB louder than the rep's others is a raised voice; equally loud turns are not."""
    clips = [(t, say(t, speed=100)) for t in REP_LINES]
    clips[1] = (clips[1][0], clips[1][1] * GAIN_10_DB)
    stereo, transcript = call(clips)
    findings = delivery.delivery_findings((stereo, RATE), transcript, rep_channel="left")
    raised = [f for f in findings if f.kind == "voice_raised"]
    assert [f.turn for f in raised] == [3] and "dB above your usual level" in raised[0].reason
    assert "voice_pace_calm" not in {f.kind for f in findings}
    all_loud, transcript = call([(t, say(t, speed=100) * GAIN_10_DB) for t in REP_LINES])
    assert kinds(delivery.delivery_findings((all_loud, RATE), transcript, rep_channel="left")) == [
        ("voice_pace_calm", 3)
    ]


def test_loudness_swings_within_a_turn():
    """A turn whose phrases alternate between normal and 14 dB quieter is flagged for loudness swings only there."""
    clips = [(t, say(t, speed=100)) for t in REP_LINES]
    phrases = [say(p, speed=100) * (1.0 if i % 2 == 0 else 0.2) for i, p in enumerate(REP_LINES[0].split(", "))]
    gap = np.zeros(int(0.3 * RATE), np.float32)
    swinging = np.concatenate([np.concatenate([p, gap]) for p in phrases] + [say(REP_LINES[2], speed=100) * 0.2])
    clips[0] = (f"{REP_LINES[0]} {REP_LINES[2]}", swinging)
    stereo, transcript = call(clips)
    findings = delivery.delivery_findings((stereo, RATE), transcript, rep_channel="left")
    assert [(f.kind, f.turn) for f in findings if f.kind.startswith("voice_loud")] == [("voice_loudness_swings", 1)]
    assert "voice_raised" not in {f.kind for f in findings}


def test_mono_mix_skips_the_customer_talking_over_the_rep(tmp_path):
    """On a mono mix, a loud customer overlapping rep turns does not make the rep's voice count as raised."""
    stereo, transcript = call([(t, say(t, speed=100)) for t in REP_LINES], customer_gain=GAIN_10_DB, overlap_s=1.5)
    mono = tmp_path / "mono.wav"
    sf.write(mono, np.clip(stereo.sum(axis=1), -1, 1), RATE, subtype="PCM_16")
    overlaps = [t for t in transcript.turns if t.speaker == "customer" and t.start_s > 0]
    assert all(any(r.start_s < c.start_s < r.end_s for r in transcript.turns if r.speaker == "rep") for c in overlaps)
    findings = delivery.delivery_findings(mono, transcript)
    assert "voice_raised" not in {f.kind for f in findings}
    assert "voice_loudness_swings" not in {f.kind for f in findings}


def test_stereo_file_channel_choice_and_bad_channel(tmp_path):
    """A 48 kHz stereo file is read and resampled; the chosen channel decides whose voice is measured."""
    stereo, transcript = call([(t, say(t, speed=100)) for t in REP_LINES[:2]])
    path = tmp_path / "call-48k.wav"
    resampled = np.stack([np.interp(np.arange(0, len(stereo), 1 / 3), np.arange(len(stereo)), ch) for ch in stereo.T])
    sf.write(path, resampled.T, 48000, subtype="PCM_16")
    rep = delivery.measure_voice(path, transcript, rep_channel="left")
    wrong = delivery.measure_voice(path, transcript, rep_channel="right")
    assert [round(m.start_s, 2) for m in rep] == [round(t.start_s, 2) for t in transcript.turns if t.speaker == "rep"]
    assert all(90 < m.pitch_median_hz < 125 for m in rep)  # en-us+m3
    assert all(m.loudness_db is None or m.loudness_db < rep[0].loudness_db - 20 for m in wrong)
    with pytest.raises(AudioError, match="cannot be on channel 3"):
        delivery.measure_voice(path, transcript, rep_channel=3)


def test_thresholds_are_parameters():
    """Raising the fast limit and the calm range above the measured rate turns the rushed turn into calm praise."""
    stereo, transcript = call([(t, say(t, speed=260)) for t in REP_LINES[:1]])
    measures = delivery.measure_voice((stereo, RATE), transcript, rep_channel="left")
    assert kinds(delivery.judge_delivery(measures, transcript)) == [("voice_pace_fast", 1)]
    relaxed = VoiceThresholds(calm_max_wpm=400)
    assert kinds(delivery.judge_delivery(measures, transcript, relaxed, fast_wpm=400)) == [("voice_pace_calm", 1)]


def test_rubric_voice_table_reaches_the_delivery_findings(tmp_path):
    """score_conversation judges the recording with the rubric's [voice] limits: a trainer who asks for 20
    semitones of pitch movement gets monotone findings for speech the default rubric lets pass."""
    stereo, transcript = call([(t, say(t)) for t in REP_LINES])
    path = tmp_path / "call.wav"
    sf.write(path, stereo, RATE)
    default = load_rubric()
    strict_file = tmp_path / "strict.toml"
    strict_text = default_rubric_text().replace("monotone_st = 3.0", "monotone_st = 20.0")
    strict_file.write_text(strict_text.replace("lively_st = 8.0", "lively_st = 25.0"), encoding="utf-8")
    strict = load_rubric(strict_file)
    plain = session.score_conversation(transcript, default, path, "left")
    demanding = session.score_conversation(transcript, strict, path, "left")
    assert not [f for f in plain.findings if f.kind == "voice_monotone"]
    monotone = [f for f in demanding.findings if f.kind == "voice_monotone"]
    assert {f.turn for f in monotone} == {i for i, t in enumerate(transcript.turns) if t.speaker == "rep"}
    assert all("below 20 " in f.reason for f in monotone)


def test_syllable_nuclei_count_the_syllables():
    """Syllable nuclei found in espeak speech match the 45 syllables of the text within 15 %, slow or fast."""
    text = (
        "I am sorry to hear that your order has not arrived yet. Let me look into it and see what happened "
        "with the delivery, and then we can decide together what to do next."
    )
    for speed in (100, 175, 260):
        assert abs(voice.syllable_count(say(text, speed=speed), RATE) - 45) <= 45 * 0.15
