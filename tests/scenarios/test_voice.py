"""The customer's voice: offline synthesis to samples, and recorded clips replacing it line by line."""

import shutil

import pytest
import soundfile as sf
from speech import speech_wav

from coach_app.paths import resource
from coach_app.scenarios.loader import load_scenario_file
from coach_app.scenarios.model import Line
from coach_app.scenarios.simulator import CustomerReply
from coach_app.scenarios.voice import GAP_BETWEEN_LINES_S, CustomerVoice


@pytest.fixture
def scenario_copy(tmp_path):
    """The shipped birthday scenario in a folder of its own, where a test may add clips."""
    path = tmp_path / "birthday-gift.toml"
    shutil.copy(resource("scenarios", "birthday-gift.toml"), path)
    return load_scenario_file(path)


def test_synthesised_line_is_speech_of_plausible_length(scenario_copy, capsys):
    """A line becomes trimmed samples whose length fits the persona's speaking rate; nothing leaks to stdout."""
    voice = CustomerVoice(scenario_copy)
    speech = voice.line(scenario_copy.opening)
    words = len(scenario_copy.opening.text.split())
    expected_s = words / (scenario_copy.persona.voice.rate_wpm / 60)
    assert speech.samples.dtype.name == "float32"
    assert 0.6 * expected_s < speech.duration_s < 1.6 * expected_s
    assert abs(speech.samples[:50]).max() > 0.01  # starts with speech, not padding
    assert capsys.readouterr().out == ""


def test_recorded_clip_replaces_synthesis_for_its_line(scenario_copy, tmp_path):
    """`clips/<line id>.wav` next to the scenario is used (resampled) instead of the synthesiser."""
    clips = tmp_path / "clips"
    clips.mkdir()
    clip = speech_wav(clips / "facts.0.wav", "This is a recorded clip.", samplerate=16000)
    clip_s = sf.info(clip).duration
    voice = CustomerVoice(scenario_copy)
    speech = voice.line(scenario_copy.facts[0])
    assert speech.duration_s == pytest.approx(clip_s, abs=0.05)
    assert voice.line(scenario_copy.facts[1]).duration_s > 2.0  # other lines are still synthesised


def test_reply_joins_its_lines_with_a_short_pause(scenario_copy):
    """A reply of two lines lasts both lines plus one natural gap."""
    voice = CustomerVoice(scenario_copy)
    first, second = Line("a", "Okay, thanks."), Line("b", "It was due on Tuesday.")
    reply = CustomerReply((first, second), 0, (), False, False)
    total = voice.reply(reply).duration_s
    parts = voice.line(first).duration_s + voice.line(second).duration_s
    assert total == pytest.approx(parts + GAP_BETWEEN_LINES_S, abs=0.02)  # eSpeak varies by a few samples
