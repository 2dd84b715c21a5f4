"""Speech models: the built-in catalogue, models on disk, and safe install, import and removal."""

import json
import os
import re
import shutil
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from coach_app import paths
from coach_app.errors import ModelError
from coach_app.files import check_input, sha256_file
from coach_app.transcription import model_archive
from coach_app.transcription.model_download import download

ProgressFn = Callable[[float, str], None]

METADATA_FILE = "coach-model.json"
PUBLISHER_URL = "https://alphacephei.com/vosk/models/"
DOWNLOAD_SHARE = 0.85  # of an install's progress bar; unpacking and checking take the rest
MAX_ARCHIVE_BYTES = 8 << 30  # the largest official Vosk model archives are about 2 GB
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANGUAGE_IN_NAME = re.compile(r"^vosk-model-(?:small-)?([a-z]{2,3}(?:-[a-z]{2})?)(?:-|$)")
_OPENFST_MAGIC = bytes.fromhex("d6fdb27e")


@dataclass(frozen=True)
class CatalogueEntry:
    """An official model the app can download."""

    name: str
    language: str
    size_mb: int
    url: str
    description: str
    sha256: str = ""


@dataclass(frozen=True)
class SpeechModel:
    """A usable model folder; `source` is "installed" (in the app's models folder) or "found" (elsewhere)."""

    name: str
    path: Path
    language: str
    size_bytes: int
    source: str
    sha256: str = ""

    def to_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


def catalogue(path: Path | None = None) -> tuple[CatalogueEntry, ...]:
    """The shipped catalogue (`resources/models/catalogue.toml`), recommended model first."""
    path = path or paths.resource("models", "catalogue.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"The model catalogue {path} cannot be read ({exc}); reinstall Listening Coach.") from exc
    entries = []
    for index, item in enumerate(data.get("model", [])):
        where = f"{path} [[model]] #{index + 1}"
        fields = {key: item.get(key) for key in ("name", "language", "url", "description")}
        if not all(isinstance(value, str) and value for value in fields.values()):
            raise ModelError(f"{where} needs text values for name, language, url and description; fix the file.")
        if not isinstance(item.get("size_mb"), int) or not fields["url"].startswith(PUBLISHER_URL):
            raise ModelError(f"{where} needs an integer size_mb and a url under {PUBLISHER_URL}; fix the file.")
        entries.append(CatalogueEntry(**fields, size_mb=item["size_mb"], sha256=item.get("sha256", "")))
    recommended = data.get("recommended")
    entries.sort(key=lambda entry: entry.name != recommended)
    return tuple(entries)


def catalogue_entry(name: str, entries: Sequence[CatalogueEntry] | None = None) -> CatalogueEntry:
    """The catalogue entry called `name`; an unknown name gets a message listing the choices."""
    entries = catalogue() if entries is None else entries
    for entry in entries:
        if entry.name == name:
            return entry
    choices = ", ".join(f"{e.name} ({e.language}, {e.size_mb} MB)" for e in entries)
    raise ModelError(f"There is no model called '{name}' in the catalogue; choose one of: {choices}.")


def check_layout(folder: Path) -> None:
    """Refuse a folder that Vosk could not load: missing, empty or garbled files of the current model layout."""
    if not folder.is_dir():
        raise ModelError(f"The speech model folder {folder} does not exist; check the path or import the model again.")
    if (folder / "final.mdl").is_file() and not (folder / "am").exists():
        raise ModelError(f"{folder} is an old-style Vosk model this app cannot use; install one from the catalogue.")
    required = ["am/final.mdl", "conf/mfcc.conf", "conf/model.conf"]
    graph = folder / "graph"
    if (graph / "HCLG.fst").exists():
        required.append("graph/HCLG.fst")
    else:
        required += ["graph/HCLr.fst", "graph/Gr.fst", "graph/disambig_tid.int"]
    if (folder / "ivector").exists():
        required += [f"ivector/{n}" for n in ("final.ie", "final.dubm", "final.mat", "global_cmvn.stats")]
        required += ["ivector/online_cmvn.conf", "ivector/splice.conf"]
    if (folder / "rescore" / "G.carpa").exists():
        required.append("rescore/G.fst")
    missing = [name for name in required if not (folder / name).is_file() or (folder / name).stat().st_size == 0]
    if missing:
        raise ModelError(
            f"The speech model in {folder} is incomplete (missing or empty: {', '.join(missing)}); "
            "download it again and re-import it."
        )
    garbled = [name for name in required if not _looks_right(folder / name)]
    if garbled:
        raise ModelError(
            f"The speech model in {folder} is damaged ({', '.join(garbled)} not in the expected format); "
            "download it again and re-import it."
        )


def _looks_right(file: Path) -> bool:
    """Cheap format checks on a model file's first bytes: Kaldi model headers, OpenFst magic, readable config."""
    with file.open("rb") as stream:
        head = stream.read(64)
    if file.suffix == ".fst":
        return head.startswith(_OPENFST_MAGIC)
    if file.name == "final.mdl":
        return b"<TransitionModel>" in head
    if file.suffix == ".conf":
        return b"\0" not in head
    return True


def vosk_search_dirs() -> tuple[Path, ...]:
    """The folders the vosk library itself searches for models (mirrors `vosk.MODEL_DIRS`, without importing vosk)."""
    env = os.environ.get("VOSK_MODEL_PATH")
    home = Path.home()
    return (*([Path(env)] if env else []), Path("/usr/share/vosk"), home / "AppData/Local/vosk", home / ".cache/vosk")


def list_models(extra_dirs: Iterable[Path] = ()) -> list[SpeechModel]:
    """Installed models, then valid models found in `extra_dirs` and in the vosk library's folders."""
    installed_root = paths.models_dir()
    models = [_describe(folder, "installed") for folder in _model_folders(installed_root)]
    seen = {model.path.resolve() for model in models}
    for directory in (*extra_dirs, *vosk_search_dirs()):
        candidates = [directory] if _is_usable(directory) else _model_folders(directory)
        for folder in candidates:
            if folder.resolve() not in seen and folder.resolve().parent != installed_root.resolve():
                seen.add(folder.resolve())
                models.append(_describe(folder, "found"))
    return models


def _model_folders(directory: Path) -> list[Path]:
    try:
        children = sorted(directory.iterdir())
    except OSError:
        return []
    return [child for child in children if not child.name.startswith(".") and _is_usable(child)]


def _is_usable(folder: Path) -> bool:
    try:
        check_layout(folder)
    except (ModelError, OSError):
        return False
    return True


def _describe(folder: Path, source: str) -> SpeechModel:
    try:
        meta = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    size = sum(file.stat().st_size for file in folder.rglob("*") if file.is_file())
    language = meta.get("language") or language_of(folder.name)
    return SpeechModel(folder.name, folder, language, size, source, meta.get("sha256", ""))


def language_of(name: str) -> str:
    """A model's language from the catalogue or from Vosk's naming scheme (`vosk-model-small-en-us-0.15`)."""
    for entry in catalogue():
        if entry.name == name:
            return entry.language
    match = _LANGUAGE_IN_NAME.match(name)
    return match.group(1) if match else "unknown"


def default_model_path(models: Sequence[SpeechModel] | None = None) -> Path | None:
    """The best model to use: English before other languages, installed before found, catalogue order first."""
    models = list_models() if models is None else models
    order = {entry.name: rank for rank, entry in enumerate(catalogue())}

    def preference(model: SpeechModel) -> tuple:
        english = model.language == "en" or model.language.startswith("en-")
        return (not english, model.source != "installed", order.get(model.name, len(order)), model.name)

    return min(models, key=preference).path if models else None


def require_model(path: Path | str | None = None) -> Path:
    """The model folder to load: `path` if given and valid, else the default; a clear error when there is none."""
    if path is not None:
        folder = Path(path).expanduser()
        check_layout(folder)
        return folder
    found = default_model_path()
    if found is None:
        recommended = catalogue()[0].name
        raise ModelError(
            f"No speech model installed. Run `coach-app models install {recommended}` when online, or download it "
            "on another computer and run `coach-app models import FILE.zip`."
        )
    return found


def install(
    name: str,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    entries: Sequence[CatalogueEntry] | None = None,
) -> SpeechModel:
    """Download catalogue model `name` (resuming an interrupted download), verify it and install it atomically.

    `entries` replaces the shipped catalogue (tests point it at a local server).
    """
    entry = catalogue_entry(name, entries)
    report = on_progress or (lambda fraction, message: None)
    _refuse_existing(entry.name)
    part = _ensure_private(paths.models_dir() / ".downloads") / f"{entry.name}.zip.part"
    download(
        entry.url,
        part,
        lambda fraction, message: report(fraction * DOWNLOAD_SHARE, message),
        cancel,
    )
    try:
        digest = sha256_file(part)
        if entry.sha256 and digest != entry.sha256.lower():
            raise ModelError(
                f"The download of {entry.name} from {entry.url} does not match the catalogue's checksum "
                "(damaged or altered); it was deleted, so run the install again."
            )
        model = _install_from(
            part,
            entry.name,
            f"download {entry.url}",
            digest,
            lambda fraction, message: report(DOWNLOAD_SHARE + fraction * (1 - DOWNLOAD_SHARE), message),
            cancel,
        )
    except ModelError:
        part.unlink(missing_ok=True)  # a complete but unusable download must not be "resumed" forever
        raise
    part.unlink()
    return model


def import_model(
    path: Path | str,
    on_progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    name: str | None = None,
) -> SpeechModel:
    """Install a model from a downloaded `.zip` or an unpacked folder, fully offline; never half-installed."""
    path = Path(path)
    if not path.exists():
        raise ModelError(
            f"{path} does not exist; give the path of a downloaded model .zip or an unpacked model folder."
        )
    if not path.is_dir():
        check_input(path, "model archive (.zip)", MAX_ARCHIVE_BYTES, ModelError)
    digest = "" if path.is_dir() else sha256_file(path)
    return _install_from(path, name, f"import {path}", digest, on_progress or (lambda f, m: None), cancel)


def _install_from(
    path: Path, name: str | None, origin: str, digest: str, report: ProgressFn, cancel: threading.Event | None
) -> SpeechModel:
    root = paths.models_dir()
    model_archive.sweep_abandoned(root)
    staging = Path(tempfile.mkdtemp(prefix=model_archive.STAGING_PREFIX, dir=root))
    unpacked = staging / "model"
    try:
        if path.is_dir():
            check_layout(path)
            name = _valid_name(name or path.name)
            _refuse_existing(name)
            model_archive.copy_tree(path, unpacked, report, cancel)
        else:
            top = model_archive.extract_model(path, unpacked, report, cancel)
            name = _valid_name(name or top or path.name.removesuffix(".part").removesuffix(".zip"))
            _refuse_existing(name)
        check_layout(unpacked)
        metadata = {
            "name": name,
            "language": language_of(name),
            "origin": origin,
            "sha256": digest,
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (unpacked / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        final = root / name
        try:
            os.rename(unpacked, final)
        except OSError as exc:
            raise ModelError(
                f"Could not install the model into {final} ({exc.strerror}); free the folder and retry."
            ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report(1.0, f"Installed {name}")
    return _describe(final, "installed")


def _valid_name(name: str) -> str:
    if not _NAME_PATTERN.match(name):
        raise ModelError(f"'{name}' cannot be a model name; use letters, digits, dots, dashes and underscores only.")
    return name


def _refuse_existing(name: str) -> None:
    existing = paths.models_dir() / name
    if existing.exists():
        raise ModelError(
            f"A model called {name} is already installed in {existing}; run `coach-app models remove {name}` first."
        )


def _ensure_private(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def remove(name: str) -> Path:
    """Delete installed model `name` (moved aside first, so a half-deleted model is never listed)."""
    root = paths.models_dir()
    target = root / _valid_name(name)
    if not target.is_dir():
        known = list_models()
        installed = ", ".join(m.name for m in known if m.source == "installed") or "none"
        where = "".join(
            f" It was found at {m.path}, which Listening Coach does not manage; delete that folder yourself."
            for m in known
            if m.name == name
        )
        raise ModelError(f"No installed model is called {name} (installed: {installed}).{where}")
    doomed = Path(tempfile.mkdtemp(prefix=model_archive.STAGING_PREFIX, dir=root))
    os.rename(target, doomed / name)
    shutil.rmtree(doomed, ignore_errors=True)
    return target
