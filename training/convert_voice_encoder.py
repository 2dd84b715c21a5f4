"""Convert Resemblyzer's pretrained speaker encoder (`pretrained.pt`) to `resources/models/voice_encoder.npz`.

The weights come from the Resemblyzer 0.1.4 wheel on PyPI (Apache-2.0; see resources/models/README.md):

    pip download --no-deps resemblyzer==0.1.4 -d /tmp/wheels && unzip /tmp/wheels/Resemblyzer-0.1.4-*.whl -d /tmp/rz
    python training/convert_voice_encoder.py /tmp/rz/resemblyzer/pretrained.pt

The file is PyTorch's legacy serialisation (a run of pickles followed by raw tensor storages); it is read here with
the standard library and numpy, so torch is not needed. With `--verify`, run in an environment that has torch and
librosa, the numpy encoder of `coach_app.transcription.voice_encoder` is compared with Resemblyzer's own network and
mel spectrogram on a test signal, and the largest differences are printed. The output is byte-for-byte
reproducible (fixed zip timestamps, arrays in a fixed order).
"""

import argparse
import io
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach_app.transcription.voice_encoder import MODEL_FILE  # noqa: E402

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "LongStorage": np.int64, "IntStorage": np.int32}
KEPT = ("lstm.", "linear.")  # the checkpoint also holds the training step and optimiser state: not needed


class _Tensor:
    """A tensor described by the pickle: which storage, where in it, its shape and strides."""

    def __init__(self, storage, offset, size, stride, *_):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)


class _Storage:
    def __init__(self, key: str, dtype):
        self.key, self.dtype = key, dtype


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _Tensor
        if module == "torch" and name in DTYPES:
            return name
        if module == "collections" and name == "OrderedDict":
            return OrderedDict
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the checkpoint")

    def persistent_load(self, pid):
        kind, storage_type, key, *_ = pid
        if kind != "storage":
            raise pickle.UnpicklingError(f"unexpected persistent id {kind!r} in the checkpoint")
        self.storages[key] = DTYPES[storage_type]
        return _Storage(key, DTYPES[storage_type])


def read_legacy_checkpoint(path: Path) -> dict[str, np.ndarray]:
    """The model's tensors, by name, from a legacy-format PyTorch file."""
    with path.open("rb") as handle:
        if pickle.load(handle) != LEGACY_MAGIC:
            raise SystemExit(f"{path} is not a legacy PyTorch checkpoint")
        pickle.load(handle)  # protocol version
        pickle.load(handle)  # system info
        unpickler = _Unpickler(handle)
        unpickler.storages = {}
        checkpoint = unpickler.load()
        raw = {}
        for key in pickle.load(handle):  # then each storage: its element count, then its bytes
            (count,) = struct.unpack("<q", handle.read(8))
            raw[key] = handle.read(count * np.dtype(unpickler.storages[key]).itemsize)
    arrays = {}
    for name, tensor in checkpoint["model_state"].items():
        if not name.startswith(KEPT):
            continue
        data = np.frombuffer(raw[tensor.storage.key], dtype=tensor.storage.dtype)
        itemsize = data.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[tensor.offset :], shape=tensor.size, strides=[s * itemsize for s in tensor.stride]
        )
        arrays[name.replace(".", "_")] = np.ascontiguousarray(view, dtype=np.float32)
    return arrays


def write_npz(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write the arrays as an .npz with fixed timestamps, so the same input gives the same bytes."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    tmp.replace(path)


def verify(checkpoint: Path, npz: Path) -> None:
    """Compare the numpy encoder with Resemblyzer's torch network and librosa mel frames on a test signal."""
    import librosa
    import torch

    from coach_app.transcription.voice_encoder import VoiceEncoder, mel_frames

    rng = np.random.default_rng(0)
    t = np.arange(16000 * 3) / 16000
    wav = (0.1 * np.sin(2 * np.pi * 180 * t * (1 + 0.1 * np.sin(3 * t))) + 0.01 * rng.standard_normal(len(t))).astype(
        np.float32
    )
    ours = mel_frames(wav)
    theirs = librosa.feature.melspectrogram(y=wav, sr=16000, n_fft=400, hop_length=160, n_mels=40).astype(np.float32).T
    relative = np.abs(ours - theirs).max() / theirs.max()
    print(f"mel frames: {ours.shape} vs {theirs.shape}, max difference {relative:.2e} of the largest value")

    state = torch.load(checkpoint, map_location="cpu", weights_only=False)["model_state"]
    lstm = torch.nn.LSTM(40, 256, 3, batch_first=True)
    linear = torch.nn.Linear(256, 256)
    lstm.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("lstm.")})
    linear.load_state_dict({k[7:]: v for k, v in state.items() if k.startswith("linear.")})
    batch = np.stack([theirs[i : i + 160] for i in (0, 50, 100, 140)])
    with torch.no_grad():
        _, (hidden, _) = lstm(torch.from_numpy(batch))
        raw = torch.relu(linear(hidden[-1]))
        reference = (raw / torch.norm(raw, dim=1, keepdim=True)).numpy()
    embeddings = VoiceEncoder(npz).embed_mels(batch)
    print(f"embeddings: max abs diff numpy vs torch {np.abs(embeddings - reference).max():.2e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint", type=Path, help="resemblyzer/pretrained.pt from the Resemblyzer 0.1.4 wheel")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "models" / MODEL_FILE)
    parser.add_argument("--verify", action="store_true", help="compare with torch and librosa (both needed)")
    args = parser.parse_args()
    arrays = read_legacy_checkpoint(args.checkpoint)
    write_npz(arrays, args.out)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v.shape}" for k, v in sorted(arrays.items())))
    if args.verify:
        verify(args.checkpoint, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
