"""Session bundles: export/import round trip, deduplication, atomicity, and refusal of every hostile archive."""

import hashlib
import json
import stat
import zipfile

import pytest
from session_factory import make_scorecard, make_transcript

from coach_app.core import Finding
from coach_app.errors import StorageError
from coach_app.storage import bundle_import
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.corrections import add_missed_finding, reject_finding
from coach_app.storage.db import open_db
from coach_app.storage.sessions import add_comment, load_session, save_session


@pytest.fixture
def bundle(tmp_path):
    """A bundle exported from a library with audio, a rejected finding, an added finding and comments."""
    db = open_db(tmp_path / "sender" / "coach.db")
    audio = tmp_path / "call.wav"
    audio.write_bytes(b"RIFF" + bytes(range(256)) * 40)
    t = make_transcript(8)
    session_id = save_session(db, t, make_scorecard(t), "Sam", "Late drone", audio_path=audio, tags=("drone",))
    first = load_session(db, session_id).findings[0]
    reject_finding(db, first.id, note="not a question", author="Tess")
    add_missed_finding(db, session_id, Finding("empathy", 3, 10.8, 13.8, "i am sorry", "missed", "name it"))
    add_comment(db, session_id, "Great recap here", at_s=12.0, author="Tess")
    original = load_session(db, session_id)
    path = export_bundle(db, session_id, tmp_path / "session.zip")
    db.close()
    return path, original


@pytest.fixture
def receiver(tmp_path):
    db = open_db(tmp_path / "receiver" / "coach.db")
    yield db
    db.close()


def _rewrite(src, dst, replace=None, extra=()):
    """Copy a bundle, replacing some entries' bytes (None drops one) and appending raw extra entries."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for info, data in extra:
            zout.writestr(info, data)
    return dst


def _assert_nothing_imported(db, tmp_path):
    assert db["sessions"].count == 0
    recordings = tmp_path / "receiver" / "recordings"
    assert not recordings.exists() or not any(recordings.rglob("*"))


def test_round_trip_keeps_everything(bundle, receiver, tmp_path):
    """Import restores transcript, both score views, corrections, comments, tags and a private copy of the audio."""
    path, original = bundle
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    result = import_bundle(receiver, path)
    assert not result.duplicate
    copy = load_session(receiver, result.session_id)
    assert copy.transcript == original.transcript
    assert copy.automatic == original.automatic
    assert copy.corrected == original.corrected
    assert [(f.finding, f.origin, f.rejected) for f in copy.findings] == [
        (f.finding, f.origin, f.rejected) for f in original.findings
    ]
    assert [(c.action, c.note, c.author) for c in copy.corrections] == [
        (c.action, c.note, c.author) for c in original.corrections
    ]
    assert [(c.body, c.at_s, c.author) for c in copy.comments] == [("Great recap here", 12.0, "Tess")]
    assert copy.summary.tags == ("drone",) and copy.summary.source == "bundle"
    audio = tmp_path / "receiver" / copy.summary.audio_path
    assert audio.read_bytes() == (tmp_path / "call.wav").read_bytes()
    assert stat.S_IMODE(audio.stat().st_mode) == 0o600
    assert not list((tmp_path / "receiver" / "recordings").glob(".import-*"))


def test_second_import_is_deduplicated(bundle, receiver):
    """Importing the same bundle twice keeps one session and says it was already there."""
    path, _ = bundle
    first = import_bundle(receiver, path)
    second = import_bundle(receiver, path)
    assert second.duplicate and second.session_id == first.session_id
    assert receiver["sessions"].count == 1


def test_manifest_lists_checksums(bundle):
    """The manifest has a format version and the SHA-256 of every other file."""
    path, _ = bundle
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format_version"] == 1
        for name, meta in manifest["files"].items():
            assert hashlib.sha256(z.read(name)).hexdigest() == meta["sha256"]
        assert any(name.startswith("audio/") for name in manifest["files"])


def _symlink(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((zipfile.ZipInfo("../evil.txt"), b"x"), "outside the bundle"),
        ((zipfile.ZipInfo("audio/../../evil.wav"), b"x"), "outside the bundle"),
        ((zipfile.ZipInfo("/etc/evil.txt"), b"x"), "absolute path"),
        ((zipfile.ZipInfo("C:/evil.txt"), b"x"), "absolute path"),
        ((_symlink("audio/link.wav"), b"/etc/passwd"), "symbolic link"),
        ((zipfile.ZipInfo("run.sh"), b"rm -rf ~"), "not part of a session bundle"),
    ],
)
def test_hostile_entries_are_refused(bundle, receiver, tmp_path, extra, message):
    """Traversal, absolute paths, symlinks and unexpected files are refused and nothing is imported."""
    path, _ = bundle
    hostile = _rewrite(path, tmp_path / "hostile.zip", extra=[extra])
    with pytest.raises(StorageError, match=message):
        import_bundle(receiver, hostile)
    _assert_nothing_imported(receiver, tmp_path)


def test_zip_bomb_is_refused(bundle, receiver, tmp_path):
    """An entry that expands far beyond any real transcript's compression ratio is not unpacked."""
    path, _ = bundle
    bomb = _rewrite(path, tmp_path / "bomb.zip", replace={"comments.json": b"\0" * (16 * 1024**2)})
    with pytest.raises(StorageError, match="zip bomb"):
        import_bundle(receiver, bomb)
    _assert_nothing_imported(receiver, tmp_path)


def test_oversize_audio_is_refused(bundle, receiver, tmp_path, monkeypatch):
    """A recording over the size limit is refused before unpacking."""
    path, _ = bundle
    monkeypatch.setattr(bundle_import, "MAX_AUDIO_BYTES", 1000)
    with pytest.raises(StorageError, match="over the 0 MB limit"):
        import_bundle(receiver, path)
    _assert_nothing_imported(receiver, tmp_path)


def test_tampered_file_fails_checksum_and_imports_nothing(bundle, receiver, tmp_path):
    """A file whose bytes differ from the manifest's checksum aborts the import with no rows or files left."""
    path, _ = bundle
    with zipfile.ZipFile(path) as z:
        transcript = json.loads(z.read("transcript.json"))
    transcript["turns"][0]["text"] = "tampered"
    tampered = _rewrite(path, tmp_path / "t.zip", replace={"transcript.json": json.dumps(transcript).encode()})
    with pytest.raises(StorageError, match="Checksum mismatch for transcript.json"):
        import_bundle(receiver, tampered)
    _assert_nothing_imported(receiver, tmp_path)


def test_malformed_notes_roll_back_everything(bundle, receiver, tmp_path):
    """If storing fails half-way (bad corrections list), the session rows and the audio are both rolled back."""
    path, _ = bundle
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        notes = json.loads(z.read("findings.json"))
    notes["corrections"][0]["finding"] = 999
    data = json.dumps(notes).encode()
    manifest["files"]["findings.json"]["sha256"] = hashlib.sha256(data).hexdigest()
    bad = _rewrite(path, tmp_path / "bad.zip", replace={"findings.json": data, "manifest.json": json.dumps(manifest)})
    with pytest.raises(StorageError, match="not imported"):
        import_bundle(receiver, bad)
    _assert_nothing_imported(receiver, tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip at all", "not a readable session bundle"), (None, "no manifest.json")],
)
def test_non_bundles_are_refused(receiver, tmp_path, content, message):
    """Random files and zips without a manifest get a clear message."""
    path = tmp_path / "x.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("transcript.json", "{}")
    else:
        path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        import_bundle(receiver, path)


def test_newer_bundle_format_is_refused(bundle, receiver, tmp_path):
    """A bundle from a newer app version says to update instead of guessing."""
    path, _ = bundle
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest["format_version"] = 99
    newer = _rewrite(path, tmp_path / "newer.zip", replace={"manifest.json": json.dumps(manifest)})
    with pytest.raises(StorageError, match="newer Listening Coach"):
        import_bundle(receiver, newer)
