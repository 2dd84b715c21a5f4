"""Delivery on a real Vosk transcript: a raised rep turn is found at its true time and lowers the delivery score."""

import numpy as np
import soundfile as sf
import speech
from model_trees import KOREAN_MODEL

from coach_app.analysis import analyze
from coach_app.audio import delivery
from coach_app.transcription.pipeline import transcribe_file


def test_raised_turn_found_on_a_vosk_transcript(tmp_path):
    """Rep's second turn 10 dB louder than the first: the Vosk transcript's matching turn gets voice_raised."""
    tracks, truth = speech.place(speech.CALL)
    rep = tracks["rep"].astype(np.float32) * 0.3
    loud = [t for t in truth if t.speaker == "rep"][1]
    begin, end = int(loud.start_s * speech.SAMPLERATE), int(loud.end_s * speech.SAMPLERATE)
    rep[begin:end] = tracks["rep"][begin:end] * 0.3 * 10 ** (10 / 20)
    path = tmp_path / "call.wav"
    stereo = np.stack([rep, tracks["customer"].astype(np.float32)], axis=1) / 32768
    sf.write(path, stereo, speech.SAMPLERATE, subtype="PCM_16")
    transcript = transcribe_file(path, KOREAN_MODEL, rep_channel="left")
    findings = delivery.delivery_findings(path, transcript, rep_channel="left")
    raised = [f for f in findings if f.kind == "voice_raised"]
    assert len(raised) == 1
    assert abs(raised[0].start_s - loud.start_s) < 0.5 and abs(raised[0].end_s - loud.end_s) < 0.5
    assert transcript.turns[raised[0].turn].speaker == "rep"
    measures = delivery.measure_voice(path, transcript, rep_channel="left")
    assert all(90 < m.pitch_median_hz < 125 for m in measures)  # the rep's en-us+m3 voice, not the customer's
    plain = analyze(transcript)
    scored = analyze(transcript, extra_findings=findings)
    delivery_score = {d.dimension: d for d in scored.dimensions}["delivery"]
    assert delivery_score.score < {d.dimension: d for d in plain.dimensions}["delivery"].score
    assert "voice_raised" in [scored.findings[i].kind for i in delivery_score.evidence]
