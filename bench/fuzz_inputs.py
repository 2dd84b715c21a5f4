"""Fuzz run: feed generated hostile inputs to the loaders and CLI commands; count crashes and hangs (target 0, 0).

Each input is one CLI call, `main([...])` in-process inside a worker process (inputs: bench/fuzz_generators.py).
A crash is an exception escaping `main` (a traceback; CoachError must become exit status 2, usage errors
SystemExit 2) or any other status. A hang is an input that, after HANG_S seconds, has used under a quarter of that
time on the CPU: it is blocked (a FIFO, a lock, a read that never ends) and SIGALRM stops it. An input that is
still computing at HANG_S is let run up to BUSY_LIMIT_S and counted as slow (on a loaded machine that is load,
not a hang); past BUSY_LIMIT_S it is a hang too. The parent kills a worker that reports nothing for longer still
(stuck in C code), counts its input as hung and starts a new worker. Inputs come from a seed, so a run can be
repeated exactly; each failure is printed with its argv.

Run: .venv/bin/python bench/fuzz_inputs.py [--inputs 10000] [--workers 2] [--seed 1]
(times are inflated on a shared 2-core machine)
"""

import argparse
import contextlib
import io
import json
import os
import random
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

from fuzz_generators import GENERATORS, OWN_LIBRARY, ROOT, base_material

HANG_S = 10
BUSY_LIMIT_S = 120
MEMORY_BYTES = 3 * 1024**3  # a regression that reads /dev/zero fails here instead of exhausting the machine

# ---------------------------------------------------------------- the worker: runs inputs in-process


class Hung(BaseException):
    """The input is blocked (BaseException, so no handler in the app can swallow it)."""


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Watch:
    """Per-input alarm: blocked at HANG_S (little CPU used) or still running at BUSY_LIMIT_S raises Hung."""

    def __init__(self) -> None:
        self.started = self.cpu = 0.0
        self.slow = False
        signal.signal(signal.SIGALRM, self._ring)

    def start(self) -> None:
        self.started, self.cpu, self.slow = time.monotonic(), _cpu_s(), False
        signal.alarm(HANG_S)

    def stop(self) -> float:
        signal.alarm(0)
        return time.monotonic() - self.started

    def _ring(self, signum, frame) -> None:
        wall = time.monotonic() - self.started
        if _cpu_s() - self.cpu < wall / 4 or wall >= BUSY_LIMIT_S:
            raise Hung
        self.slow = True  # computing, not blocked: let it finish, up to BUSY_LIMIT_S
        signal.alarm(max(1, int(BUSY_LIMIT_S - wall)))


def worker(first: int, last: int, seed: int) -> None:
    """Run inputs first..last-1, printing `id category outcome seconds` per input and `argv`/traceback on failure."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    home = Path(tempfile.mkdtemp(prefix="fuzz-home-"))
    os.environ["COACH_APP_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from coach_app.cli import main

    out = os.fdopen(os.dup(1), "w")  # the report channel; fd 1 itself goes nowhere, so no library can corrupt it
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    base = base_material(home)
    names = list(GENERATORS)
    watch = Watch()
    for i in range(first, last):
        rng = random.Random(seed * 1_000_003 + i)
        category = names[i % len(names)]
        work = Path(tempfile.mkdtemp(prefix="fuzz-", dir=home))
        argv = GENERATORS[category](rng, work, base)
        # Inputs that add sessions get a library of their own, so the shared one stays small and quick to rescore.
        os.environ["COACH_APP_HOME"] = str(work / "home" if category in OWN_LIBRARY else home)
        detail = ""
        sink = io.StringIO()
        watch.start()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                status = main(argv)
            outcome = f"exit{status}"
        except SystemExit as exc:  # argparse usage errors
            outcome = f"exit{exc.code}"
        except Hung:
            outcome, detail = "hung", ""
        except BaseException:  # noqa: BLE001 - anything escaping main is exactly what the run counts
            outcome, detail = "crashed", traceback.format_exc(limit=-4)
        finally:
            elapsed = watch.stop()
        if outcome not in ("exit0", "exit2", "hung"):
            detail = detail or sink.getvalue()[-2000:]
            if outcome.startswith("exit"):
                outcome = "crashed"  # a status other than 0 or 2 breaks the CLI's contract
        record = {"id": i, "category": category, "outcome": outcome, "s": round(elapsed, 3), "slow": watch.slow}
        print(json.dumps(record), file=out)
        if detail or outcome == "hung":
            print(json.dumps({"id": i, "argv": argv, "detail": detail}), file=out)
        out.flush()
        subprocess.run(["rm", "-rf", str(work)], check=False)
    subprocess.run(["rm", "-rf", str(home)], check=False)


# ---------------------------------------------------------------- the parent: spreads inputs, watches for hangs


def run(inputs: int, workers: int, seed: int) -> int:
    chunks = [(inputs * k // workers, inputs * (k + 1) // workers) for k in range(workers)]
    results: dict[int, dict] = {}
    failures: list[dict] = []
    procs: dict = {}
    selector = selectors.DefaultSelector()

    def spawn(first: int, last: int) -> None:
        if first >= last:
            return
        cmd = [sys.executable, __file__, "--worker", str(first), str(last), "--seed", str(seed)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        procs[proc] = {"next": first, "last": last, "seen": time.monotonic()}
        selector.register(proc.stdout, selectors.EVENT_READ, proc)

    started = time.monotonic()
    for first, last in chunks:
        spawn(first, last)
    while procs:
        for key, _ in selector.select(timeout=1.0):
            proc = key.data
            line = proc.stdout.readline()
            state = procs[proc]
            if not line:  # the worker ended: on its own, or it died (counted as a crash of its current input)
                selector.unregister(proc.stdout)
                proc.wait()
                del procs[proc]
                if state["next"] < state["last"]:
                    i = state["next"]
                    results[i] = {"id": i, "category": "?", "outcome": "crashed", "s": 0}
                    failures.append({"id": i, "argv": "?", "detail": f"worker died with status {proc.returncode}"})
                    spawn(i + 1, state["last"])
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            state["seen"] = time.monotonic()
            if "outcome" in record:
                results[record["id"]] = record
                state["next"] = record["id"] + 1
                done = len(results)
                if done % 500 == 0:
                    print(f"  {done} inputs, {time.monotonic() - started:.0f} s", file=sys.stderr)
            else:
                failures.append(record)
        for proc, state in list(procs.items()):
            if time.monotonic() - state["seen"] > BUSY_LIMIT_S + 60:  # stuck where SIGALRM cannot reach
                i = state["next"]
                proc.kill()
                proc.wait()
                selector.unregister(proc.stdout)
                del procs[proc]
                results[i] = {"id": i, "category": "?", "outcome": "hung", "s": time.monotonic() - state["seen"]}
                failures.append({"id": i, "argv": "?", "detail": "worker stopped responding; killed"})
                spawn(i + 1, state["last"])
    return report(results, failures, time.monotonic() - started)


def report(results: dict[int, dict], failures: list[dict], elapsed: float) -> int:
    by_category: dict[str, Counter] = defaultdict(Counter)
    slowest: dict[str, float] = defaultdict(float)
    slow: Counter = Counter()
    for record in results.values():
        by_category[record["category"]][record["outcome"]] += 1
        slowest[record["category"]] = max(slowest[record["category"]], record["s"])
        slow[record["category"]] += bool(record.get("slow"))
    print(f"{'input class':14} {'inputs':>7} {'exit 0':>7} {'exit 2':>7} {'crashed':>8} {'hung':>5} "
          f"{'busy>10s':>8} {'slowest s':>10}")  # fmt: skip
    for category in sorted(by_category):
        counts = by_category[category]
        print(
            f"{category:14} {sum(counts.values()):>7} {counts['exit0']:>7} {counts['exit2']:>7} "
            f"{counts['crashed']:>8} {counts['hung']:>5} {slow[category]:>8} {slowest[category]:>10.2f}"
        )
    crashed = sum(c["crashed"] for c in by_category.values())
    hung = sum(c["hung"] for c in by_category.values())
    print(f"\n{len(results)} inputs in {elapsed:.0f} s: {crashed} crashed (target 0), {hung} hung (blocked over "
          f"{HANG_S} s or running over {BUSY_LIMIT_S} s; target 0); {sum(slow.values())} computed for over {HANG_S} s "
          "(slow, not blocked: machine load or a slow path)")  # fmt: skip
    for failure in failures[:20]:
        print(f"\n#{failure['id']} {failure['argv']}\n{failure['detail']}")
    return 1 if crashed or hung else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=2, type=int, metavar=("FIRST", "LAST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, seed=args.seed)
    else:
        sys.exit(run(args.inputs, args.workers, args.seed))
