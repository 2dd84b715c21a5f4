"""The repository stands alone: no tracked file points outside it to the development-only `shared` folder."""

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_no_file_refers_to_the_shared_folder():
    """A clone with nothing beside it must work, so nothing may read or cite the development folder beside it."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    needle = "../" + "shared"  # built from parts so this file does not match itself
    path_form = '.parent / "' + 'shared"'
    offenders = []
    for name in tracked.decode().split("\0"):
        path = REPO / name
        if not name or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        if needle in text or path_form in text:
            offenders.append(name)
    assert offenders == [], f"files referring to {needle}: {offenders}"
