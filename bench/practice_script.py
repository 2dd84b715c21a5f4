"""Benchmark: `coach-app practice SCENARIO --text --script FILE --json` with 1,000, 5,000 and 20,000 rep lines.

Each rep turn is analysed against the call so far as it grows, so the time should grow in step with the lines
(linear), not with their square. The lines keep the customer talking (no hang-up, no resolution), so every line
becomes a turn. Run: .venv/bin/python bench/practice_script.py   (figures are noisy on a shared 2-core machine)
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1000, 5000, 20000)
SCENARIO = "airline-lost-luggage"
LINES = ("Okay.", "Mm-hm, go on.", "I see, tell me more about it.")  # neutral listening: the call never ends


def run(lines: int, folder: Path) -> tuple[float, int]:
    """Seconds for the whole command, and how many turns the stored transcript has."""
    script = folder / f"script-{lines}.txt"
    script.write_text("\n".join(LINES[i % len(LINES)] for i in range(lines)) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "coach_app", "practice", SCENARIO, "--text", "--script", str(script), "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return seconds, len(json.loads(done.stdout)["transcript"]["turns"])


def main() -> None:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lines in SIZES:
            seconds, turns = run(lines, Path(tmp))
            figures[lines] = {
                "seconds": round(seconds, 2),
                "turns": turns,
                "ms_per_line": round(seconds / lines * 1000, 2),
            }
            print(f"{lines:>6} lines  {turns:>6} turns  {seconds:7.2f} s  {seconds / lines * 1000:6.2f} ms per line")
    print(json.dumps({"practice_script": figures}))


if __name__ == "__main__":
    main()
