"""The one way the UI runs background work: `run_task` on the global thread pool, results delivered as signals.

A task ends exactly once: `succeeded` with its result, or `failed` with its error (`Cancelled` after Cancel). A
result that arrives after Cancel is dropped (handed to `on_dropped` to release what it holds) and the task ends
as cancelled. Every failure is shown by one handler, `report_failure`; views only tidy up in `on_failed`.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from coach_app.errors import Cancelled
from coach_app.ui.error_dialog import show_error

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]

# Handles of running tasks: the strong reference that keeps each relay alive until its result is delivered.
_running: set["TaskHandle"] = set()


class TaskHandle(QObject):
    """A running task as the UI sees it: progress and outcome signals (always on the UI thread) and `cancel()`."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()
    # Emitted from the worker thread; the auto connection to the slots below queues them onto the UI thread.
    _worker_progressed = Signal(float, str)
    _worker_succeeded = Signal(object)
    _worker_failed = Signal(object)

    def __init__(self, name: str, on_dropped: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self.name = name
        self.cancel_event = threading.Event()
        self.done = False
        self._on_dropped = on_dropped
        self._worker_progressed.connect(self._relay_progress)
        self._worker_succeeded.connect(self._relay_success)
        self._worker_failed.connect(self._relay_failure)

    def cancel(self) -> None:
        """Ask the task to stop; it ends with `Cancelled`, delivered to `failed`, even if its work was done."""
        self.cancel_event.set()

    def drop(self, result: object) -> None:
        """Release a result nobody will receive (it came after Cancel)."""
        if self._on_dropped is not None:
            try:
                self._on_dropped(result)
            except Exception:
                log.exception("Releasing the result of cancelled task %s failed", self.name)

    @Slot(float, str)
    def _relay_progress(self, fraction: float, message: str) -> None:
        if not self.done:
            self.progressed.emit(fraction, message)

    @Slot(object)
    def _relay_success(self, result: object) -> None:
        if self.cancel_event.is_set():  # Cancel was pressed while the result was on its way
            self.drop(result)
            self._relay_failure(Cancelled(f"{self.name} was cancelled."))
            return
        self._finish()
        self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object)
    def _relay_failure(self, exc: object) -> None:
        self._finish()
        self.failed.emit(exc)
        self.ended.emit()

    def _finish(self) -> None:
        self.done = True
        _running.discard(self)


class _Job(QRunnable):
    def __init__(self, handle: TaskHandle, fn: Callable[..., Any], args: tuple) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._handle = handle
        self._fn = fn
        self._args = args

    def run(self) -> None:
        handle = self._handle
        try:
            result = self._fn(*self._args, on_progress=handle._worker_progressed.emit, cancel=handle.cancel_event)
        except Cancelled as exc:
            handle._worker_failed.emit(exc)
        except Exception as exc:  # every failure reaches the UI as a signal, never as a dead thread
            log.exception("Task %s failed", handle.name)
            handle._worker_failed.emit(exc)
        else:
            if handle.cancel_event.is_set():  # finished after Cancel: nobody wants the result
                handle.drop(result)
                handle._worker_failed.emit(Cancelled(f"{handle.name} was cancelled."))
            else:
                handle._worker_succeeded.emit(result)


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_progress: ProgressFn | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    on_dropped: Callable[[Any], None] | None = None,
    parent: QWidget | None = None,
    name: str = "",
) -> TaskHandle:
    """Run `fn(*args, on_progress=…, cancel=…)` off the UI thread; callbacks run on the UI thread.

    `fn` must never touch a widget. A failure is shown by `report_failure` over `parent` (a cancel is not), then
    `on_failed` may tidy up the view. `on_dropped` releases a result that came after Cancel (it may run on the
    worker thread, so it must not touch widgets either).
    """
    handle = TaskHandle(name or getattr(fn, "__name__", "task"), on_dropped)
    if on_progress is not None:
        handle.progressed.connect(on_progress)
    if on_done is not None:
        handle.succeeded.connect(on_done)
    handle.failed.connect(lambda exc: report_failure(parent, exc))
    if on_failed is not None:
        handle.failed.connect(on_failed)
    _running.add(handle)
    QThreadPool.globalInstance().start(_Job(handle, fn, args))
    return handle


def report_failure(parent: QWidget | None, exc: BaseException) -> None:
    """The one failure handler: a cancel needs no message; anything else goes to the error dialog."""
    if isinstance(exc, Cancelled):
        return
    show_error(parent if parent is not None and shiboken6.isValid(parent) else None, exc)


def running_tasks() -> int:
    """How many tasks are still held (none should outlive its result)."""
    return len(_running)


def cancel_all() -> None:
    """Ask every running task to stop (the window is closing): nothing half-done is saved, and quitting is quick."""
    for handle in list(_running):
        handle.cancel()
