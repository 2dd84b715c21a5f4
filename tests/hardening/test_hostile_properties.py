"""Property-based checks for each class of hostile input: output targets, input files, depth, numbers, dates,
deletes with a locked folder, the file-size limit and scenario clips. Each property says what must always hold."""

import contextlib
import json
import os
import resource
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hostile_files import fifo, no_hang, unwritable, with_first_weight
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach_app.cli import main
from coach_app.errors import FileError, RubricError, TranscriptError
from coach_app.files import read_input, write_private
from coach_app.paths import resource as app_resource
from coach_app.scoring.rubric import MAX_WEIGHT, load_rubric
from coach_app.storage.db import open_db
from coach_app.storage.sessions import library_dir, list_sessions
from coach_app.transcript_io import load_transcript
from coach_app.values import MAX_SECONDS, parse_datetime

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "birthday_gift_good.json"
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _fresh(factory, name: str) -> Path:
    return factory.mktemp(name)


def _make(kind: str, path: Path) -> None:
    if kind == "regular":
        path.write_bytes(b"old")
    elif kind == "fifo":
        fifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link to file":
        path.with_name("real").write_bytes(b"real")
        path.symlink_to("real")
    elif kind == "dangling link":
        path.symlink_to("nowhere")


KINDS = ["absent", "regular", "fifo", "folder", "link to file", "dangling link"]


@PROPERTY
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=5000))
def test_outputs_replace_only_regular_files(tmp_path_factory, kind, data):
    """write_private writes exactly `data` over nothing or a regular file; anything else is refused untouched."""
    folder = _fresh(tmp_path_factory, "out")
    target = folder / "out.bin"
    _make(kind, target)
    before = sorted(p.name for p in folder.iterdir())
    with no_hang():
        if kind in ("absent", "regular"):
            write_private(target, data)
            assert target.read_bytes() == data and not target.is_symlink()
        else:
            with pytest.raises(FileError, match="out.bin"):
                write_private(target, data)
            assert sorted(p.name for p in folder.iterdir()) == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


@PROPERTY
@given(kind=st.sampled_from(KINDS), size=st.integers(0, 3000), cap=st.integers(0, 3000))
def test_inputs_are_regular_files_within_the_cap(tmp_path_factory, kind, size, cap):
    """read_input returns a regular file's bytes when within the cap; everything else is a FileError, at once."""
    folder = _fresh(tmp_path_factory, "in")
    path = folder / "in.bin"
    _make(kind, path)
    if kind in ("regular", "link to file"):
        (folder / ("real" if kind == "link to file" else "in.bin")).write_bytes(b"x" * size)
    with no_hang():
        if kind in ("regular", "link to file") and size <= cap:
            assert read_input(path, "test file", cap) == b"x" * size
        else:
            with pytest.raises(FileError):
                read_input(path, "test file", cap)


nested = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda children: st.lists(children, max_size=2) | st.dictionaries(st.text(max_size=2), children, max_size=2),
    max_leaves=8,
)


@PROPERTY
@given(depth=st.integers(1, 200_000), opener=st.sampled_from(["[", '{"a":']))
def test_any_nesting_depth_is_a_clear_transcript_error(tmp_path_factory, depth, opener):
    """However deep the nesting, loading gives a TranscriptError (never RecursionError)."""
    closer = "]" if opener == "[" else "}"
    path = _fresh(tmp_path_factory, "deep") / "t.json"
    path.write_text('{"turns": ' + opener * depth + "1" + closer * depth + "}")
    with pytest.raises(TranscriptError):
        load_transcript(path)


@PROPERTY
@given(depth=st.integers(1, 8000))
def test_any_toml_depth_is_a_clear_rubric_error(tmp_path_factory, depth):
    """A rubric nesting arrays to any depth is a RubricError (never RecursionError)."""
    path = _fresh(tmp_path_factory, "deep") / "r.toml"
    path.write_text("version = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(RubricError):
        load_rubric(path)


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.sampled_from(["1e400", "-1e400", "1" + "0" * 500, "NaN", "Infinity", "-0", "1e-400"]),
)


@PROPERTY
@given(end=numbers)
def test_times_load_only_when_finite_and_in_range(tmp_path_factory, end):
    """A transcript loads only if its time is a finite number from 0 to MAX_SECONDS."""
    path = _fresh(tmp_path_factory, "time") / "t.json"
    literal = end if isinstance(end, str) else json.dumps(end)
    path.write_text('{"turns": [{"speaker": "rep", "start": 0, "end": ' + literal + ', "text": "hi"}]}')
    try:
        transcript = load_transcript(path)
    except TranscriptError:
        return
    assert 0 <= transcript.turns[0].end_s <= MAX_SECONDS


@PROPERTY
@given(weight=numbers)
def test_rubric_weights_load_only_when_finite_and_bounded(tmp_path_factory, weight):
    """A rubric loads only with weights above 0 and at most MAX_WEIGHT, whatever number is written."""
    text = app_resource("rubrics", "default.toml").read_text(encoding="utf-8")
    literal = {"NaN": "nan", "Infinity": "inf"}.get(weight, weight) if isinstance(weight, str) else repr(weight)
    literal = {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(literal, literal)
    path = _fresh(tmp_path_factory, "rubric") / "r.toml"
    path.write_text(with_first_weight(text, literal), encoding="utf-8")
    try:
        rubric = load_rubric(path)
    except RubricError:
        return
    assert all(0 < d.weight <= MAX_WEIGHT for d in rubric.dimensions)


def _status(argv: list[str]) -> int:
    with no_hang(), open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            return main(argv)
        except SystemExit as exc:
            return int(exc.code or 0)


command_text = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["inf", "nan", "-5", "1e400", "2024-13-45", "2024-02-29", "2024-05-01T09:30:00"]),
)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A library with one stored session, shared by the command-line properties."""
    home = tmp_path_factory.mktemp("library")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        assert _status(["analyze", str(SAMPLE), "--save", "--rep", "Sam"]) == 0
        yield home


@PROPERTY
@given(
    template=st.sampled_from(
        [
            ["sessions", "show", "{}"],
            ["sessions", "comment", "1", "note", "--at", "{}"],
            ["sessions", "comment", "1", "note", "--turn", "{}"],
            ["sessions", "list", "--since", "{}"],
            ["sessions", "list", "--limit", "{}"],
            ["sessions", "speakers", "1", "--turn", "{}", "--speaker", "rep"],
            ["report", "{}", "--html", "/dev/null/x.html"],
        ]
    ),
    value=command_text,
)
def test_command_line_values_exit_0_or_2(library, monkeypatch, template, value):
    """Whatever number or date is typed, a command finishes with status 0 or 2: never a traceback."""
    monkeypatch.setenv("COACH_APP_HOME", str(library))
    argv = [value if part == "{}" else part for part in template]
    status = _status(argv)
    assert status in (0, 2)
    if status == 0 and "--since" in argv:
        assert parse_datetime(value) is not None


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.booleans(), min_size=1, max_size=4))
def test_delete_keeps_rows_and_recordings_in_step(tmp_path_factory, steps):
    """Deleting with the recordings folder locked or not, the stored sessions and recording files always match."""
    home = tmp_path_factory.mktemp("home")
    audio = home / "call.wav"
    sf.write(audio, np.zeros(1600, dtype=np.int16), 16000)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        for _ in steps:
            assert _status(["analyze", str(SAMPLE), "--save", "--audio", str(audio)]) == 0
        db = open_db()
        recordings = library_dir(db) / "recordings"
        for locked in steps:
            session_id = list_sessions(db)[0].id
            with unwritable(recordings) if locked else contextlib.nullcontext():
                status = _status(["sessions", "delete", str(session_id)])
            assert status == (2 if locked else 0)
            stored = {s.audio_path for s in list_sessions(db)}
            on_disk = {f"recordings/{p.name}" for p in recordings.iterdir()}
            assert stored == on_disk
        db.close()
    shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def file_size_limit(limit: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@PROPERTY
@given(size=st.integers(0, 200_000), limit=st.integers(1, 100_000))
def test_file_size_limit_leaves_whole_file_or_nothing(tmp_path_factory, size, limit):
    """Under any file-size limit an output is written whole, or refused naming it with nothing left behind."""
    folder = _fresh(tmp_path_factory, "limit")
    target = folder / "report.html"
    try:
        with file_size_limit(limit):
            write_private(target, b"r" * size)
    except FileError as exc:
        assert str(target) in str(exc) and "limit" in str(exc)
        assert list(folder.iterdir()) == []
    else:
        assert target.read_bytes() == b"r" * size


@PROPERTY
@given(blob=st.binary(max_size=400), header=st.sampled_from([b"", b"RIFF", b"RIFF\x00\x00\x00\x00WAVEfmt "]))
def test_any_clip_bytes_validate_cleanly(tmp_path_factory, blob, header):
    """`scenarios validate` with any bytes as a clip ends with status 0 (readable audio) or 2, never a crash."""
    folder = _fresh(tmp_path_factory, "scenario")
    scenario = folder / "birthday-gift.toml"
    scenario.write_bytes(app_resource("scenarios", "birthday-gift.toml").read_bytes())
    (folder / "clips").mkdir()
    clip = folder / "clips" / "opening.wav"
    clip.write_bytes(header + blob)
    status = _status(["scenarios", "validate", str(scenario)])
    assert status in (0, 2)
    if status == 0:
        assert sf.info(clip).frames > 0


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, bytes]:
    """The members of a real exported bundle (no recording), to rewrite."""
    home = tmp_path_factory.mktemp("sender")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        assert _status(["analyze", str(SAMPLE), "--save", "--rep", "Sam"]) == 0
        assert _status(["export", "1", str(home / "s.zip")]) == 0
    with zipfile.ZipFile(home / "s.zip") as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


@PROPERTY
@given(started_at=st.one_of(st.text(max_size=30), st.sampled_from(["2024-13-45", "2024-02-30", "2024-05-01"])))
def test_bundle_start_times_import_only_when_real_dates(tmp_path_factory, exported, started_at):
    """A bundle is imported only if its start time is a real ISO date; progress works afterwards either way."""
    home = tmp_path_factory.mktemp("receiver")
    manifest = json.loads(exported["manifest.json"])
    manifest["session"]["started_at"] = started_at
    path = home / "b.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in exported.items():
            bundle.writestr(name, json.dumps(manifest) if name == "manifest.json" else data)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_APP_HOME", str(home))
        status = _status(["import", str(path)])
        assert status == (0 if parse_datetime(started_at) is not None else 2)
        if status == 0:
            assert _status(["progress", "--rep", "Sam", "--json"]) == 0
    shutil.rmtree(home, ignore_errors=True)
