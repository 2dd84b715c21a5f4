"""Model install over HTTP from a local server on 127.0.0.1: real model, resume after a cut, cancel, checksums."""

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from model_trees import korean_zip, write_tiny_model, zip_folder

from coach_app import paths
from coach_app.errors import Cancelled, ModelError
from coach_app.transcription import models
from coach_app.transcription.engine import load_model

NAME = "vosk-model-small-en-us-0.15"


@dataclass
class Served:
    """What the local server serves and how it misbehaves; `ranges` records each request's Range header."""

    file: Path
    cut_first_at: int | None = None
    honour_range: bool = True
    status: int = 200
    ranges: list = field(default_factory=list)


class RangeHandler(BaseHTTPRequestHandler):
    """Serves `server.served.file` with Range support (stdlib's SimpleHTTPRequestHandler has none)."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        served: Served = self.server.served
        requested = self.headers.get("Range")
        served.ranges.append(requested)
        if served.status != 200:
            self.send_error(served.status)
            return
        size = served.file.stat().st_size
        start = int(requested.removeprefix("bytes=").rstrip("-")) if requested and served.honour_range else 0
        if start >= size and start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        stop = size
        if served.cut_first_at is not None:
            stop, served.cut_first_at = served.cut_first_at, None
            self.close_connection = True
        with served.file.open("rb") as stream:
            stream.seek(start)
            remaining = stop - start
            while remaining > 0:
                chunk = stream.read(min(remaining, 1 << 20))
                self.wfile.write(chunk)
                remaining -= len(chunk)

    def log_message(self, *args):
        """Keep test output quiet."""


@pytest.fixture
def server():
    """A threaded HTTP server on 127.0.0.1 (random port); set `.served` before use."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def entries_for(httpd, sha256: str = "") -> list[models.CatalogueEntry]:
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{NAME}.zip"
    return [models.CatalogueEntry(NAME, "en-us", 1, url, "test model", sha256)]


def tiny_zip(tmp_path, padding_bytes: int = 2 << 20) -> Path:
    return zip_folder(write_tiny_model(tmp_path / "m", padding_bytes), tmp_path / "served.zip", NAME)


def part_file() -> Path:
    return paths.models_dir() / ".downloads" / f"{NAME}.zip.part"


def test_install_downloads_verifies_and_loads_the_real_model(server, tmp_path_factory):
    """The real Korean model, served as a zip, installs with its SHA-256 checked and recorded, and Vosk loads it."""
    archive = korean_zip(tmp_path_factory)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    server.served = Served(archive)
    progress = []
    model = models.install(NAME, on_progress=lambda f, m: progress.append((f, m)), entries=entries_for(server, digest))
    assert model.path == paths.models_dir() / NAME and model.sha256 == digest
    assert progress[-1][0] == 1.0 and any("Downloading" in message for _, message in progress)
    assert [f for f, _ in progress] == sorted(f for f, _ in progress)
    assert not part_file().exists()
    assert load_model(model.path) is not None


def test_cut_connection_then_resume(server, tmp_path):
    """A connection dropped halfway keeps the partial file; the next install asks for the rest and finishes."""
    archive = tiny_zip(tmp_path)
    half = archive.stat().st_size // 2
    server.served = Served(archive, cut_first_at=half)
    with pytest.raises(ModelError, match=r"cut off at 1\.0 of 2\.0 MB; run the same command again to resume"):
        models.install(NAME, entries=entries_for(server))
    assert part_file().stat().st_size == half
    assert not (paths.models_dir() / NAME).exists()
    model = models.install(NAME, entries=entries_for(server))
    assert server.served.ranges == [None, f"bytes={half}-"]
    assert model.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert (model.path / "am" / "final.mdl").read_bytes() == (tmp_path / "m" / "am" / "final.mdl").read_bytes()


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    """If the server answers a resume with the whole file, the partial file is replaced rather than appended to."""
    archive = tiny_zip(tmp_path)
    server.served = Served(archive, cut_first_at=1000, honour_range=False)
    with pytest.raises(ModelError, match="cut off"):
        models.install(NAME, entries=entries_for(server))
    model = models.install(NAME, entries=entries_for(server))
    assert model.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_cancel_keeps_the_partial_download_for_resume(server, tmp_path):
    """Cancelling mid-download installs nothing and keeps the partial file; installing again resumes it."""
    archive = tiny_zip(tmp_path)
    server.served = Served(archive)
    cancel = threading.Event()
    with pytest.raises(Cancelled, match="run the install again to resume"):
        models.install(NAME, on_progress=lambda f, m: cancel.set(), cancel=cancel, entries=entries_for(server))
    kept = part_file().stat().st_size
    assert 0 < kept < archive.stat().st_size
    assert not (paths.models_dir() / NAME).exists()
    models.install(NAME, entries=entries_for(server))
    assert server.served.ranges[-1] == f"bytes={kept}-"


def test_checksum_mismatch_is_refused_and_discarded(server, tmp_path):
    """A download that does not match the catalogue's SHA-256 is refused and deleted, and nothing is installed."""
    server.served = Served(tiny_zip(tmp_path))
    with pytest.raises(ModelError, match="does not match the catalogue's checksum"):
        models.install(NAME, entries=entries_for(server, "0" * 64))
    assert not part_file().exists() and not (paths.models_dir() / NAME).exists()


def test_download_that_is_not_a_model_is_discarded(server, tmp_path):
    """A complete download that is not a model zip is refused and deleted so a retry starts afresh."""
    page = tmp_path / "page.html"
    page.write_text("<html>maintenance</html>")
    server.served = Served(page)
    with pytest.raises(ModelError, match="not a readable zip"):
        models.install(NAME, entries=entries_for(server))
    assert not part_file().exists()


def test_http_error_and_unreachable_server(server, tmp_path):
    """A 404 and a closed port give messages that offer the offline import instead."""
    server.served = Served(tmp_path, status=404)
    with pytest.raises(ModelError, match="answered 404.*models import FILE.zip"):
        models.install(NAME, entries=entries_for(server))
    closed = [models.CatalogueEntry(NAME, "en-us", 1, "http://127.0.0.1:9/x.zip", "closed port")]
    with pytest.raises(ModelError, match="Could not reach 127.0.0.1:9.*models import FILE.zip"):
        models.install(NAME, entries=closed)


def test_already_installed_is_not_downloaded_again(server, tmp_path):
    """Installing a model that is already installed is refused before any request is made."""
    models.import_model(write_tiny_model(tmp_path / NAME))
    server.served = Served(tmp_path)
    with pytest.raises(ModelError, match="already installed"):
        models.install(NAME, entries=entries_for(server))
    assert server.served.ranges == []


def test_cancel_while_unpacking_keeps_the_complete_download(server, tmp_path):
    """Cancelled after the download finished: the next install finds the file complete (416) and just unpacks it."""
    archive = tiny_zip(tmp_path)
    server.served = Served(archive)
    cancel = threading.Event()

    def cancel_when_unpacking(fraction, message):
        if message.startswith("Unpacking"):
            cancel.set()

    with pytest.raises(Cancelled, match="nothing was installed"):
        models.install(NAME, on_progress=cancel_when_unpacking, cancel=cancel, entries=entries_for(server))
    assert part_file().stat().st_size == archive.stat().st_size
    assert sorted(p.name for p in paths.models_dir().iterdir()) == [".downloads"]
    model = models.install(NAME, entries=entries_for(server))
    assert server.served.ranges == [None, f"bytes={archive.stat().st_size}-"]
    assert model.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
