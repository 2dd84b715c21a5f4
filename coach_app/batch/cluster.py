"""Scoring a batch on a Dask distributed cluster: the only module that imports Dask (`pip install …[cluster]`).

Each file goes to a worker as bytes with the settings and rubric; the worker transcribes and scores it with the
same package and speech model, and the outcome comes back to be saved here. Files the cluster could not score (a
worker died, the scheduler went away) are handed back to be scored locally, never lost.
"""

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from coach_app.batch.jobs import Failed, Outcome, score_bytes
from coach_app.errors import Cancelled, CoachError
from coach_app.scoring.rubric import Rubric
from coach_app.settings import Settings
from coach_app.storage.batches import BatchItem

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
IN_FLIGHT_PER_THREAD = 2  # files sent ahead per worker thread: keeps workers busy without all audio in memory


def connect(address: str, timeout_s: float = CONNECT_TIMEOUT_S):
    """A client of the scheduler at `address`, or a CoachError saying why it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise CoachError(
            "--cluster needs Dask distributed, which is not installed: pip install 'coach_app[cluster]'."
        ) from None
    try:
        return Client(address, timeout=f"{timeout_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CoachError(
            f"Cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({exc}): check that "
            "`dask scheduler` runs there and the address and port are right, or run without --cluster."
        ) from None


def score_on_cluster(
    address: str,
    items: list[BatchItem],
    settings: Settings,
    rubric: Rubric,
    record: Callable[[Outcome], None],
    cancel: threading.Event,
) -> tuple[list[BatchItem], int]:
    """Score `items` on the cluster, `record`ing each outcome; returns (files to score locally, worker threads)."""
    from distributed import as_completed

    client = connect(address)
    try:
        threads = sum(client.nthreads().values())
        if threads == 0:
            raise CoachError(
                f"The Dask scheduler at {address} has no workers: start some with `dask worker {address}`."
            )
        waiting = list(items)
        leftovers: list[BatchItem] = []
        sent: dict = {}
        results = as_completed(loop=client.loop)

        def send_next() -> None:
            item = waiting[0]
            try:
                data = Path(item.path).read_bytes()
            except OSError as exc:
                waiting.pop(0)
                record(Failed(item.id, f"cannot be read ({exc.strerror}); check its permissions"))
                return
            # The bytes travel inside the task, not scattered to one worker, so the scheduler can rerun the task
            # elsewhere if that worker dies. The item leaves `waiting` only once it is safely submitted.
            future = client.submit(score_bytes, item.id, item.path, data, settings, rubric, pure=False)
            waiting.pop(0)
            sent[future] = item
            results.add(future)

        while waiting and len(sent) < threads * IN_FLIGHT_PER_THREAD:
            send_next()
        try:
            for future in results:
                item = sent.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # a worker died or the cluster failed: score the file here instead
                    log.warning("The cluster could not score %s (%s); scoring it locally", item.path, exc)
                    leftovers.append(item)
                else:
                    record(outcome)
                if cancel.is_set():
                    raise Cancelled("Batch stopped; the files not yet saved stay queued for the next run.")
                if waiting:
                    send_next()
        except (OSError, TimeoutError) as exc:  # the connection failed: everything unfinished is scored locally
            log.warning("The Dask cluster at %s failed (%s); scoring the remaining files locally", address, exc)
            leftovers.extend(sent.values())
            leftovers.extend(waiting)
        return leftovers, threads
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=CONNECT_TIMEOUT_S)
