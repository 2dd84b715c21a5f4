"""Deterministic .npz files for shipped models: fixed member dates, so the same arrays give the same bytes."""

import io
import zipfile
from pathlib import Path

import numpy as np

FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def write_npz(arrays: dict[str, np.ndarray], path: Path, *, compressed: bool = True) -> None:
    """Write `arrays` (C order, in the order given) to `path` atomically; deflated at level 9 unless `compressed`
    is False (stored: faster to load)."""
    tmp = path.with_suffix(".tmp")
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(tmp, "w", compression=method) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
            info.compress_type = method
            archive.writestr(info, buffer.getvalue(), compresslevel=9 if compressed else None)
    tmp.replace(path)
