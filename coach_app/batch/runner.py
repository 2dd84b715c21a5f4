"""Run a batch: plan it in the database, score the files in worker processes (or on a cluster), save as they finish.

Only the process calling `process_batch` writes to the database (workers return plain data), and each file's
session is saved in the same transaction that marks it done, so stopping at any moment loses at most the files
still being scored: a rerun picks them up.
"""

import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from coach_app.batch.inputs import find_files, inspect, rep_for_path, rep_pattern
from coach_app.batch.jobs import Failed, Outcome, Scored, score_path, start_worker
from coach_app.batch.preload import MODEL_ENV
from coach_app.errors import Cancelled, CoachError
from coach_app.session import AUDIO_SUFFIXES, ProgressFn, model_for, rubric_for
from coach_app.settings import Settings
from coach_app.storage.batches import BatchItem, batch_items, mark_failed, mark_skipped, plan_batch, save_result
from coach_app.storage.db import open_db

ItemFn = Callable[[BatchItem, int | None], None]  # a finished file, with its overall score when it was saved
POLL_S = 0.2  # how often the parent looks at the cancel flag while workers run
MAX_ATTEMPTS = 2  # a file whose worker process died this often is marked failed
WORKER_BASE_BYTES = 400 * 2**20  # Python, the analysis and a file's recognisers, besides the shared model
MODEL_MEMORY_FACTOR = 2.0  # a loaded Vosk model takes about this times its size on disk
MEMORY_RESERVE_BYTES = 1 * 2**30  # left for the app, the parent and the rest of the machine


@dataclass(frozen=True)
class BatchReport:
    """A batch after a run: every file's state, and how long the run took."""

    batch_id: int
    items: tuple[BatchItem, ...]
    elapsed_s: float
    workers: int

    def count(self, state: str) -> int:
        return sum(item.state == state for item in self.items)


def plan(
    paths: Sequence[Path],
    *,
    rep: str | None,
    rep_from: str | None,
    tags: Sequence[str],
    default_rep: str,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> int:
    """Find, check and checksum the files (folders recursively) and record them as a new batch; returns its id."""
    pattern = rep_pattern(rep_from)
    files = find_files(paths)
    planned = []
    for number, path in enumerate(files):
        if cancel.is_set():
            raise Cancelled("Import cancelled while checking the files; nothing was queued.")
        on_progress(number / len(files), f"Checking {path.name}")
        planned.append(inspect(path, rep_for_path(path, rep, pattern, default_rep)))
    with open_db() as db:
        return plan_batch(db, planned, tags)


def process_batch(
    batch_id: int,
    settings: Settings,
    *,
    workers: int | None = None,
    cluster: str | None = None,
    on_item: ItemFn | None = None,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> BatchReport:
    """Score and save a batch's queued files; `workers` processes (default: per core, fewer if memory is short)."""
    with open_db() as db:
        queued = [item for item in batch_items(db, batch_id) if item.state == "queued"]
        tracker = _Tracker(db, queued, on_item, on_progress)
        rubric = rubric_for(settings)
        started = time.perf_counter()
        used = 0
        leftovers = queued
        if cluster is not None and queued:
            from coach_app.batch.cluster import score_on_cluster  # Dask is imported only for --cluster

            leftovers, used = score_on_cluster(cluster, queued, settings, rubric, tracker.record, cancel)
        if leftovers:
            audio = any(Path(item.path).suffix.lower() in AUDIO_SUFFIXES for item in leftovers)
            model = str(model_for(settings)) if audio else None
            count = worker_count(workers, len(leftovers), model)
            used = used or count
            _score_locally(leftovers, settings, rubric, model, count, tracker, cancel)
        items = tuple(batch_items(db, batch_id))
    return BatchReport(batch_id, items, time.perf_counter() - started, used)


def cancel_queued(batch_id: int) -> None:
    """Give up on a batch's files still queued (the user cancelled it)."""
    with open_db() as db:
        mark_skipped(
            db, [i for i in batch_items(db, batch_id) if i.state == "queued"], "cancelled before it was scored"
        )


def worker_count(requested: int | None, files: int, model: str | None) -> int:
    """Worker processes to start: as asked, else one per core, as many as the available memory holds."""
    if requested is not None:
        if requested < 1:
            raise CoachError(f"--workers {requested} is not a number of processes: give 1 or more.")
        return max(1, min(requested, files))
    count = os.cpu_count() or 1
    if model is not None:
        count = min(count, memory_allows(model))
    return max(1, min(count, files))


def memory_allows(model: str) -> int:
    """How many workers fit in the memory available now (at least one): they share one copy of the speech model
    where a fork server is available (see `_worker_context`), else each holds its own."""
    model_bytes = MODEL_MEMORY_FACTOR * sum(f.stat().st_size for f in Path(model).rglob("*") if f.is_file())
    spare = psutil.virtual_memory().available - MEMORY_RESERVE_BYTES
    if "forkserver" in multiprocessing.get_all_start_methods():
        return max(1, int((spare - model_bytes) // WORKER_BASE_BYTES))
    return max(1, int(spare // (WORKER_BASE_BYTES + model_bytes)))


class _Tracker:
    """The single writer: saves each outcome as it arrives and reports progress by bytes done, with an ETA."""

    def __init__(self, db, items: list[BatchItem], on_item: ItemFn | None, on_progress: ProgressFn) -> None:
        self.db = db
        self.items = {item.id: item for item in items}
        self.sizes = {item.id: _size(item.path) for item in items}
        self.total = sum(self.sizes.values()) or 1
        self.bytes_done = 0
        self.finished: Counter[str] = Counter()
        self.started = time.perf_counter()
        self.on_item = on_item
        self.on_progress = on_progress

    def record(self, outcome: Outcome) -> None:
        item = self.items[outcome.item_id]
        overall = None
        if isinstance(outcome, Scored):
            path = Path(item.path)
            try:
                item = save_result(
                    self.db,
                    item,
                    outcome.transcript,
                    outcome.scorecard,
                    title=path.stem,
                    audio_path=item.path if path.suffix.lower() in AUDIO_SUFFIXES else None,
                    started_at=_recorded_at(path),
                )
                overall = outcome.scorecard.overall if item.state == "done" else None
            except CoachError as exc:  # e.g. the recording was moved away while it was being scored
                item = mark_failed(self.db, item, str(exc))
        else:
            item = mark_failed(self.db, item, outcome.reason)
        self.finish(item, overall)

    def finish(self, item: BatchItem, overall: int | None) -> None:
        self.finished[item.state] += 1
        self.bytes_done += self.sizes[item.id]
        if self.on_item is not None:
            self.on_item(item, overall)
        fraction = self.bytes_done / self.total
        elapsed = time.perf_counter() - self.started
        eta = f", about {_duration(elapsed * (1 - fraction) / fraction)} left" if 0 < fraction < 1 else ""
        done = sum(self.finished.values())
        failed = f", {self.finished['failed']} failed" if self.finished["failed"] else ""
        self.on_progress(fraction, f"{done} of {len(self.items)} files{failed}{eta}")


def _score_locally(
    items: list[BatchItem],
    settings: Settings,
    rubric,
    model: str | None,
    workers: int,
    tracker: _Tracker,
    cancel: threading.Event,
) -> None:
    """Score in a pool of worker processes; a pool broken by a dying worker is restarted for the files left."""
    context = _worker_context(model)
    stop = context.Event()
    pending = {item.id: item for item in items}
    attempts: Counter[int] = Counter()
    while pending:
        with ProcessPoolExecutor(
            min(workers, len(pending)), mp_context=context, initializer=start_worker, initargs=(model, stop)
        ) as pool:
            futures = {pool.submit(score_path, i.id, i.path, settings, rubric): i for i in pending.values()}
            try:
                suspects = _collect(futures, pending, tracker, cancel, stop)
            except BaseException:  # Ctrl-C or cancel: workers stop at their next block of audio; nothing half-saved
                stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        for item_id in suspects:  # the pool broke: the files being scored then are suspected of killing a worker
            attempts[item_id] += 1
            if attempts[item_id] >= MAX_ATTEMPTS:
                item = pending.pop(item_id)
                reason = "the worker process scoring it stopped unexpectedly (out of memory?); try fewer --workers"
                tracker.finish(mark_failed(tracker.db, item, reason), None)


def _worker_context(model: str | None):
    """Where workers come from: a fork server that loaded the speech model (workers share its memory) where the
    system has one, else fresh interpreters. Never a fork of this process, which may run Qt or other threads."""
    if model is None or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Read by the fork server when it starts (once per process): a later batch with another model still works,
    # its workers just load that model themselves.
    os.environ.setdefault(MODEL_ENV, model)
    context.set_forkserver_preload(["coach_app.batch.preload"])
    return context


def _collect(futures, pending, tracker: _Tracker, cancel: threading.Event, stop) -> set[int]:
    """Save outcomes as they come. When a worker dies the pool breaks: returns the ids of the files that were
    being scored then (empty when every file finished)."""
    waiting = set(futures)
    broken = False
    while waiting:
        running = {futures[f].id for f in waiting if f.running()}  # handed to a worker, not finished
        done, waiting = wait(waiting, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in done:
            item = futures.pop(future)  # holding no finished result keeps memory flat over hundreds of files
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                continue
            if isinstance(outcome, Failed) and stop.is_set():
                continue  # stopped by the cancel, not a problem with the file: it stays queued
            del pending[item.id]
            tracker.record(outcome)
        if cancel.is_set():
            raise Cancelled("Batch stopped; the files not yet saved stay queued for the next run.")
        if broken:
            return (running & set(pending)) or set(pending)
    return set()


def _size(path: str) -> int:
    try:
        return max(1, os.stat(path).st_size)
    except OSError:
        return 1


def _recorded_at(path: Path) -> str | None:
    """When the call was recorded, as far as the file tells (its modification time), so trends follow call dates."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except OSError:
        return None


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
