"""run_task: work runs off the UI thread and its progress, result, failure and cancellation arrive as signals."""

import gc
import threading

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from coach_app.errors import Cancelled, CoachError
from coach_app.ui.tasks import run_task, running_tasks


def _count_to(n, *, on_progress, cancel):
    for i in range(n):
        on_progress((i + 1) / n, f"step {i + 1}")
    return threading.current_thread() is threading.main_thread(), n


def test_result_and_progress_reach_the_ui_thread(qtbot):
    """The result arrives in on_done, the function ran off the UI thread, progress came in order."""
    progress, results = [], []
    handle = run_task(_count_to, 5, on_done=results.append, on_progress=lambda f, m: progress.append((f, m)))
    gc.collect()  # the caller kept no reference: run_task must keep the task alive itself
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert results == [(False, 5)]
    assert [f for f, _ in progress] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert running_tasks() == 0


def test_failure_goes_to_on_failed(qtbot, window):
    """An exception raised in the task is delivered to on_failed on the UI thread."""

    def broken(*, on_progress, cancel):
        raise CoachError("The file x.wav is not audio: choose a WAV, FLAC, OGG or MP3 file.")

    errors = []
    handle = run_task(broken, on_failed=errors.append, parent=window)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["The file x.wav is not audio: choose a WAV, FLAC, OGG or MP3 file."]
    for box in _error_dialogs(window):
        box.close()


def test_cancel_reaches_the_running_function(qtbot):
    """cancel() sets the event the function watches; it ends with Cancelled, reported as a failure."""
    started = threading.Event()

    def wait_for_cancel(*, on_progress, cancel):
        started.set()
        if not cancel.wait(5):
            return "not cancelled"
        raise Cancelled("Cancelled.")

    errors, results = [], []
    handle = run_task(wait_for_cancel, on_done=results.append, on_failed=errors.append)
    assert started.wait(5)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        handle.cancel()
    assert results == []
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)


def test_closing_the_window_cancels_running_tasks(qtbot, window):
    """Running tasks are asked to stop when the main window closes, so quitting never waits on long work."""
    started = threading.Event()

    def long_job(*, on_progress, cancel):
        started.set()
        if cancel.wait(30):
            raise Cancelled("Cancelled.")
        return "finished"

    errors = []
    handle = run_task(long_job, on_failed=errors.append)
    assert started.wait(5)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        assert window.close()
    assert isinstance(errors[0], Cancelled)


@pytest.mark.parametrize("count", [20])
def test_many_tasks_all_finish(qtbot, count):
    """Many concurrent tasks each deliver exactly one result."""
    results = []
    handles = [run_task(_count_to, i + 1, on_done=results.append) for i in range(count)]
    qtbot.waitUntil(lambda: all(h.done for h in handles), timeout=10000)
    assert sorted(n for _, n in results) == list(range(1, count + 1))


def _error_dialogs(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox, "errorDialog") if box.isVisible()]


def test_a_result_that_arrives_after_cancel_is_dropped(qtbot):
    """Cancel pressed after the work finished but before its result reached the UI: no success is reported,
    the task ends as cancelled, and the result is handed to on_dropped to be released."""
    results, errors, dropped = [], [], []
    handle = run_task(_count_to, 3, on_done=results.append, on_failed=errors.append, on_dropped=dropped.append)
    assert QThreadPool.globalInstance().waitForDone(10000)  # the result is now queued for the UI thread
    with qtbot.waitSignal(handle.ended, timeout=5000):
        handle.cancel()
    assert results == [] and dropped == [(False, 3)]
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)
    assert running_tasks() == 0


def test_work_that_finishes_after_cancel_is_dropped_on_the_worker(qtbot):
    """A task that ignores Cancel and returns anyway ends as cancelled; its result is released, never delivered."""
    started, release = threading.Event(), threading.Event()

    def stubborn(*, on_progress, cancel):
        started.set()
        release.wait(5)
        return "opened"

    results, errors, dropped = [], [], []
    handle = run_task(stubborn, on_done=results.append, on_failed=errors.append, on_dropped=dropped.append)
    assert started.wait(5)
    handle.cancel()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        release.set()
    assert results == [] and dropped == ["opened"] and isinstance(errors[0], Cancelled)


def test_failures_are_shown_once_by_the_one_handler(qtbot, window):
    """A failure opens one error dialog over the view that ran it, after which on_failed may tidy up;
    a cancel shows nothing."""

    def broken(*, on_progress, cancel):
        raise CoachError("The file x.wav is not audio: choose a WAV, FLAC, OGG or MP3 file.")

    def cancelled(*, on_progress, cancel):
        raise Cancelled("Cancelled.")

    tidied = []
    with qtbot.waitSignal(run_task(cancelled, on_failed=tidied.append, parent=window).ended, timeout=5000):
        pass
    assert _error_dialogs(window) == [] and len(tidied) == 1
    with qtbot.waitSignal(run_task(broken, on_failed=tidied.append, parent=window).ended, timeout=5000):
        pass
    dialogs = _error_dialogs(window)
    assert len(dialogs) == 1 and "x.wav is not audio" in dialogs[0].text() and len(tidied) == 2
    dialogs[0].close()
