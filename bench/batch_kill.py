"""Kill-and-rerun: `coach-app batch` killed with SIGKILL at random moments, then rerun to the end.

    .venv/bin/python bench/batch_kill.py [--kills 10] [--calls 4] [--seed 1] [--max-delay 25]

Each round kills the whole batch (parent and worker processes) after a random delay and checks the database:
`PRAGMA integrity_check`, foreign keys, and every done file saved exactly once. A final rerun must finish with
every file saved exactly once.
"""

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from batch_files import coach, copy_samples, use_test_model, write_calls  # noqa: E402  (test folder builders)


class _Factory:
    """The `tmp_path_factory` the dialogue builders expect, over one temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name, dir=self.root))


def check(home: Path) -> dict[str, int]:
    db = sqlite3.connect(home / "data" / "coach.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        sessions = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
        done = dict(db.execute("SELECT path, count(*) FROM batch_items WHERE state = 'done' GROUP BY path"))
        assert sessions == sum(done.values()) and all(n == 1 for n in done.values()), (sessions, done)
        return done
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--calls", type=int, default=4, help="short recordings besides the 8 sample transcripts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=25.0, help="kill within this many seconds of the start")
    args = parser.parse_args()
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home, folder = root / "home", root / "in"
        use_test_model(home)
        # Transcripts sort first and score in a moment, so kills land while results are being saved.
        files = write_calls(folder / "2-recordings", args.calls, _Factory(root)) + copy_samples(
            folder / "1-transcripts"
        )
        landed = 0
        started = time.perf_counter()
        for round_number in range(args.kills):
            process = coach("batch", str(folder), home=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            delay = chance.uniform(0.5, args.max_delay)
            time.sleep(delay)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                landed += 1
            process.wait(300)
            done = check(home)
            print(f"round {round_number + 1}: killed after {delay:.1f} s; {len(done)} of {len(files)} files saved, ok")
        final = coach("batch", str(folder), home=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert final.wait(600) == 0, "the rerun did not finish cleanly"
        done = check(home)
        assert sorted(done) == sorted(str(p.resolve()) for p in files)
        print(
            f"{landed} of {args.kills} kills landed while running; after the rerun all {len(files)} files are saved "
            f"exactly once and integrity_check is ok ({time.perf_counter() - started:.0f} s)"
        )


if __name__ == "__main__":
    main()
