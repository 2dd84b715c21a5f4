"""Speech-model manager: catalogue, offline import (folder and zip), refusal of broken or unsafe input, discovery."""

import hashlib
import json
import os
import threading
import time
import zipfile

import pytest
from model_trees import KOREAN_MODEL, TINY_FILES, korean_zip, write_tiny_model, zip_folder

from coach_app import paths
from coach_app.errors import Cancelled, ModelError
from coach_app.transcription import model_archive, models


def installed_names() -> list[str]:
    return sorted(p.name for p in paths.models_dir().iterdir())


def test_catalogue_recommends_the_small_english_model_from_the_publisher():
    """The shipped catalogue loads, puts the small US English model first and only points at alphacephei.com."""
    entries = models.catalogue()
    assert entries[0].name == "vosk-model-small-en-us-0.15"
    assert entries[0].language == "en-us"
    assert len(entries) >= 5
    assert all(e.url == f"https://alphacephei.com/vosk/models/{e.name}.zip" for e in entries)


def test_a_broken_catalogue_names_the_file_and_entry(tmp_path):
    """A catalogue entry with a URL off the publisher's site is refused, naming the file and the entry."""
    bad = tmp_path / "catalogue.toml"
    bad.write_text('[[model]]\nname="x"\nlanguage="en"\nsize_mb=1\nurl="http://evil.example/x.zip"\ndescription="d"\n')
    with pytest.raises(ModelError, match=r"catalogue.toml \[\[model\]\] #1"):
        models.catalogue(bad)


def test_no_model_says_exactly_how_to_get_one():
    """With nothing installed or found, require_model explains the install and import commands."""
    with pytest.raises(ModelError) as caught:
        models.require_model()
    assert str(caught.value) == (
        "No speech model installed. Run `coach-app models install vosk-model-small-en-us-0.15` when online, "
        "or download it on another computer and run `coach-app models import FILE.zip`."
    )


def test_missing_model_folder_is_refused(tmp_path):
    """A model path that does not exist is refused by require_model and import, naming the path."""
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match="no-such-model does not exist"):
        models.require_model(missing)
    with pytest.raises(ModelError, match="no-such-model does not exist"):
        models.import_model(missing)


def test_import_real_korean_model_from_folder():
    """The real Korean model folder imports byte-for-byte, is listed as installed and becomes the default."""
    model = models.import_model(KOREAN_MODEL, name="vosk-model-small-ko-0.22")
    assert model.source == "installed" and model.language == "ko"
    assert model.path == paths.models_dir() / "vosk-model-small-ko-0.22"
    for original in KOREAN_MODEL.rglob("*"):
        if original.is_file():
            assert (model.path / original.relative_to(KOREAN_MODEL)).stat().st_size == original.stat().st_size
    assert [m.name for m in models.list_models()] == ["vosk-model-small-ko-0.22"]
    assert models.require_model() == model.path
    assert installed_names() == ["vosk-model-small-ko-0.22"]


def test_import_real_korean_model_from_zip_records_its_checksum(tmp_path_factory):
    """The zipped Korean model installs under its top folder's name with the zip's SHA-256 recorded."""
    archive = korean_zip(tmp_path_factory)
    progress = []
    model = models.import_model(archive, on_progress=lambda f, m: progress.append(f))
    assert model.name == "vosk-model-small-ko-0.22"
    assert model.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    meta = json.loads((model.path / models.METADATA_FILE).read_text())
    assert meta["sha256"] == model.sha256 and meta["origin"] == f"import {archive}"
    assert (model.path / "graph" / "HCLr.fst").stat().st_size == (KOREAN_MODEL / "graph" / "HCLr.fst").stat().st_size
    assert progress == sorted(progress) and progress[-1] == 1.0


def test_zip_with_model_files_at_its_root_is_named_after_the_zip(tmp_path):
    """A zip holding am/, conf/, graph/ directly (no top folder) installs under the zip's name."""
    archive = zip_folder(write_tiny_model(tmp_path / "m"), tmp_path / "vosk-model-small-en-us-0.15.zip", None)
    model = models.import_model(archive)
    assert model.name == "vosk-model-small-en-us-0.15" and model.language == "en-us"
    assert sorted(p.relative_to(model.path).as_posix() for p in model.path.rglob("*") if p.is_file()) == sorted(
        [*TINY_FILES, models.METADATA_FILE]
    )


@pytest.mark.parametrize("omitted", ["graph/Gr.fst", "conf/model.conf", "ivector/final.mat"])
def test_zip_missing_a_file_is_refused_and_leaves_nothing(tmp_path, omitted):
    """A model zip lacking a required file is refused, naming the file, and nothing is left in the models folder."""
    folder = write_tiny_model(tmp_path / "m", omit=(omitted,))
    archive = zip_folder(folder, tmp_path / "broken.zip", "vosk-model-small-en-us-0.15")
    with pytest.raises(ModelError, match=f"incomplete.*{omitted}"):
        models.import_model(archive)
    assert installed_names() == []


def test_garbled_graph_file_is_refused(tmp_path):
    """A graph file without the OpenFst header is reported as damaged."""
    folder = write_tiny_model(tmp_path / "m")
    (folder / "graph" / "HCLr.fst").write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(ModelError, match=r"damaged \(graph/HCLr.fst"):
        models.import_model(folder)
    assert installed_names() == []


def _zip_with_extra(tmp_path, name: str, extra: zipfile.ZipInfo, data: bytes = b"x"):
    archive = zip_folder(write_tiny_model(tmp_path / "m"), tmp_path / "model.zip", "vosk-model-small-en-us-0.15")
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(extra, data)
    return archive


@pytest.mark.parametrize(
    ("member", "mode", "message"),
    [
        ("../escaped.txt", 0o644, "unsafe path"),
        ("vosk-model-small-en-us-0.15/../../escaped.txt", 0o644, "unsafe path"),
        ("/tmp/escaped.txt", 0o644, "unsafe path"),
        ("vosk-model-small-en-us-0.15/link", 0o120777, "symbolic link"),
    ],
)
def test_unsafe_zip_members_are_refused(tmp_path, member, mode, message):
    """Zips with ../ or absolute paths or symlinks are refused before anything is written."""
    info = zipfile.ZipInfo(member)
    info.external_attr = mode << 16
    archive = _zip_with_extra(tmp_path, member, info, b"/etc/passwd")
    with pytest.raises(ModelError, match=message):
        models.import_model(archive)
    assert installed_names() == []
    assert not (tmp_path / "escaped.txt").exists() and not (paths.data_dir() / "escaped.txt").exists()


def test_zip_bomb_is_refused(tmp_path):
    """A member that compresses a thousandfold is refused as unsafe without being unpacked."""
    info = zipfile.ZipInfo("vosk-model-small-en-us-0.15/graph/words.txt")
    info.compress_type = zipfile.ZIP_DEFLATED
    archive = _zip_with_extra(tmp_path, info.filename, info, bytes(64 << 20))
    with pytest.raises(ModelError, match="refused as unsafe"):
        models.import_model(archive)
    assert installed_names() == []


def test_text_file_and_corrupted_zip_are_refused(tmp_path):
    """A text file named .zip, and a zip whose data fails its CRC, are refused and leave nothing behind."""
    fake = tmp_path / "model.zip"
    fake.write_text("not a zip")
    with pytest.raises(ModelError, match="not a readable zip"):
        models.import_model(fake)
    archive = zip_folder(write_tiny_model(tmp_path / "m", padding_bytes=4096), tmp_path / "c.zip", "vosk-model-x")
    data = bytearray(archive.read_bytes())
    spot = data.index(b"<TransitionModel>") + 1000
    data[spot : spot + 8] = b"CORRUPT!"
    archive.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged"):
        models.import_model(archive)
    assert installed_names() == []


def test_zip_without_a_model_is_refused(tmp_path):
    """A zip with no am/final.mdl says it holds no Vosk model."""
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("holiday/photo.txt", "hi")
    with pytest.raises(ModelError, match="does not contain a Vosk speech model"):
        models.import_model(archive)


def test_cancelled_import_leaves_nothing(tmp_path):
    """Cancelling while unpacking raises Cancelled and removes the half-unpacked copy."""
    archive = zip_folder(write_tiny_model(tmp_path / "m", padding_bytes=3 << 20), tmp_path / "m.zip", "vosk-model-c")
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        models.import_model(archive, on_progress=lambda f, m: cancel.set(), cancel=cancel)
    assert installed_names() == []


def test_same_name_twice_is_refused_and_remove_deletes(tmp_path):
    """Importing over an installed model is refused; remove deletes it; removing it again says what is installed."""
    folder = write_tiny_model(tmp_path / "vosk-model-small-de-0.15")
    models.import_model(folder)
    with pytest.raises(ModelError, match="already installed.*models remove vosk-model-small-de-0.15"):
        models.import_model(folder)
    assert models.remove("vosk-model-small-de-0.15") == paths.models_dir() / "vosk-model-small-de-0.15"
    assert installed_names() == [] and models.list_models() == []
    with pytest.raises(ModelError, match=r"No installed model is called vosk-model-small-de-0.15 \(installed: none\)"):
        models.remove("vosk-model-small-de-0.15")


def test_models_in_vosks_own_folders_are_found(tmp_path, monkeypatch):
    """Models in ~/.cache/vosk and $VOSK_MODEL_PATH are listed as found; English is preferred as the default."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    cached = write_tiny_model(home / ".cache" / "vosk" / "vosk-model-small-en-us-0.15")
    write_tiny_model(home / ".cache" / "vosk" / "half-downloaded", omit=("am/final.mdl",))
    monkeypatch.setenv("VOSK_MODEL_PATH", str(tmp_path / "shared"))
    elsewhere = write_tiny_model(tmp_path / "shared" / "vosk-model-small-fr-0.22")
    models.import_model(KOREAN_MODEL, name="korean")
    listed = {m.name: m for m in models.list_models()}
    assert set(listed) == {"korean", "vosk-model-small-en-us-0.15", "vosk-model-small-fr-0.22"}
    assert listed["vosk-model-small-en-us-0.15"].source == "found"
    assert listed["vosk-model-small-en-us-0.15"].path == cached
    assert listed["vosk-model-small-fr-0.22"].path == elsewhere and listed["korean"].source == "installed"
    assert models.default_model_path() == cached
    with pytest.raises(ModelError, match="does not manage"):
        models.remove("vosk-model-small-en-us-0.15")
    assert cached.is_dir()


def test_extra_folder_and_old_layout(tmp_path):
    """A model folder given directly is found; an old-style (pre-am/) Vosk model is named as unsupported."""
    direct = write_tiny_model(tmp_path / "my-model")
    assert [m.path for m in models.list_models(extra_dirs=[direct])] == [direct]
    old = tmp_path / "old"
    old.mkdir()
    (old / "final.mdl").write_bytes(TINY_FILES["am/final.mdl"])
    with pytest.raises(ModelError, match="old-style"):
        models.check_layout(old)


def test_abandoned_staging_folders_are_hidden_and_swept(tmp_path):
    """A crashed import's staging folder is never listed, and is deleted once it is old."""
    staging = paths.models_dir() / f"{model_archive.STAGING_PREFIX}crashed"
    write_tiny_model(staging / "model")
    assert models.list_models() == []
    old = time.time() - model_archive.ABANDONED_AFTER_S - 60
    os.utime(staging, (old, old))
    models.import_model(write_tiny_model(tmp_path / "vosk-model-small-es-0.42"))
    assert installed_names() == ["vosk-model-small-es-0.42"]
