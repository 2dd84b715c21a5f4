"""The `coach-app` entry point turns user mistakes and closed pipes into one line and an exit status, no traceback."""

import subprocess
import sys
from pathlib import Path

COACH = str(Path(sys.executable).with_name("coach-app"))
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "birthday_gift_good.json"


def test_unwritable_output_is_one_clear_line(tmp_path):
    """Writing into a folder that does not exist says where and what to check, with exit status 2."""
    done = subprocess.run(
        [COACH, "sessions", "list", "--csv", str(tmp_path / "missing" / "out.csv")], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "missing" in done.stderr and "check the path" in done.stderr
    assert "Traceback" not in done.stderr


def test_reader_closing_the_pipe_is_quiet():
    """When the reader of stdout has gone (`coach-app … | head`), the program stops without a traceback."""
    process = subprocess.Popen(
        [COACH, "analyze", str(SAMPLE), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    process.stdout.close()  # the reader goes away before anything is written
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
