"""Random and hostile transcript files get a clear TranscriptError or load cleanly: never a crash or a hang."""

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach_app.errors import TranscriptError
from coach_app.transcript_io import load_transcript, transcript_from_dict

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
turn_like = st.fixed_dictionaries(
    {},
    optional={
        "speaker": st.sampled_from(["rep", "customer", "agent", "", 3]),
        "start": st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.text(max_size=3)),
        "end": st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.none()),
        "text": st.one_of(st.text(max_size=30), st.integers()),
        "words": st.one_of(st.lists(json_values, max_size=3), st.text(max_size=3)),
    },
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.one_of(json_values, st.fixed_dictionaries({"turns": st.lists(turn_like, max_size=5)})))
def test_any_json_value_loads_or_gets_transcript_error(data):
    """Whatever JSON arrives, validation either accepts it with sane times or raises TranscriptError."""
    try:
        transcript = transcript_from_dict(data, source="fuzz.json")
    except TranscriptError as exc:
        assert str(exc).startswith("fuzz.json")
        return
    assert transcript.turns
    for turn in transcript.turns:
        assert 0 <= turn.start_s <= turn.end_s
        assert turn.speaker in ("rep", "customer")


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path, blob):
    """Arbitrary bytes on disk load or fail with TranscriptError naming the file."""
    path = tmp_path / "blob.json"
    path.write_bytes(blob)
    try:
        load_transcript(path)
    except TranscriptError as exc:
        assert str(path) in str(exc)


@FUZZ
@given(st.text(max_size=200))
def test_mangled_valid_json_text_never_crashes(tmp_path, noise):
    """A valid transcript with text spliced into it loads or fails cleanly."""
    valid = json.dumps({"turns": [{"speaker": "rep", "start": 0, "end": 1, "text": "hi"}]})
    cut = len(noise) % len(valid)
    path = tmp_path / "mangled.json"
    path.write_text(valid[:cut] + noise + valid[cut:], encoding="utf-8")
    with contextlib.suppress(TranscriptError):
        load_transcript(path)
