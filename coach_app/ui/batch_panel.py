"""The batch panel under the Library: files queued from a folder, each with its state, overall progress, pause,
cancel and retry of the failed ones. Checking and scoring run through `run_task`; the table is read back from the
database (the batch's record) whenever the work reports progress."""

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach_app.batch.runner import cancel_queued, plan, process_batch
from coach_app.errors import Cancelled, CoachError
from coach_app.session import rep_for
from coach_app.storage.batches import BatchItem, batch_items
from coach_app.ui.error_dialog import show_error
from coach_app.ui.state import AppState
from coach_app.ui.tasks import TaskHandle, run_task
from coach_app.ui.widgets.transcript_view import UNSURE_MARK

COLUMNS = ("File", "Rep", "State", "Result")
STATE_LABELS = {"queued": "Waiting", "done": "Saved", "failed": "Failed", "skipped": "Skipped"}


class BatchPanel(QWidget):
    """Hidden until `queue(paths)`; `batch_ended` fires when a run stops (finished, paused or cancelled)."""

    batch_ended = Signal()

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.batch_id: int | None = None
        self.items: list[BatchItem] = []
        self._handle: TaskHandle | None = None
        self._paused = False
        self._cancelling = False
        self.title = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Batch progress")
        self.message = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("batchTable")
        self.table.setAccessibleName("Files in the batch")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(180)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setAccessibleName("Pause or resume the batch")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the batch")
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton("Retry failed")
        self.retry_button.setAccessibleName("Import the failed files again")
        self.retry_button.clicked.connect(self.retry_failed)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.title, 2)
        top.addWidget(self.bar, 3)
        for button in (self.pause_button, self.cancel_button, self.retry_button, self.close_button):
            top.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.message)
        column.addWidget(self.table)
        self._update_buttons()
        self.hide()

    @property
    def busy(self) -> bool:
        return self._handle is not None and not self._handle.done

    def queue(self, paths: list[Path]) -> None:
        """Check the files (folders searched recursively), record them as a batch, then score them."""
        if self.busy or (self._paused and self._has_queued()):
            show_error(self, CoachError("A batch is already queued: let it finish, or cancel it, before adding more."))
            return
        self._paused = False
        self.show()
        self.title.setText("Checking the files…")
        self.bar.setValue(0)
        check = partial(plan, rep=None, rep_from=None, tags=(), default_rep=rep_for(self.state.settings))
        self._follow(
            run_task(check, paths, on_done=self._planned, on_failed=self._failed, parent=self, name="plan batch")
        )

    def _planned(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self._refresh()
        self._process()

    def _process(self) -> None:
        self._paused = False
        self.title.setText(f"Scoring {len(self.items)} files…")
        handle = run_task(
            process_batch,
            self.batch_id,
            self.state.settings,
            on_done=self._finished,
            on_failed=self._failed,
            parent=self,
        )
        handle.progressed.connect(self._progressed)
        self._follow(handle)

    def _follow(self, handle: TaskHandle) -> None:
        self._handle = handle
        handle.ended.connect(self._update_buttons)
        self._update_buttons()

    def _progressed(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(max(0.0, min(1.0, fraction)) * 1000))
        self.message.setText(message)
        self._refresh()
        self.state.sessions_changed.emit()

    def _finished(self, report) -> None:
        self.bar.setValue(1000)
        done, failed = report.count("done"), report.count("failed")
        self.title.setText(f"Batch finished: {done} saved, {report.count('skipped')} skipped, {failed} failed")
        self._ended()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            if self._cancelling and self.batch_id is not None:
                cancel_queued(self.batch_id)
                self.title.setText("Batch cancelled: the files not yet scored were skipped")
            elif self.batch_id is not None:
                self._paused = True
                self.title.setText("Batch paused: Resume scores the files still waiting")
        else:
            self.title.setText("Batch stopped by an error")  # run_task's one failure handler shows the error
        self._ended()

    def _ended(self) -> None:
        self._cancelling = False
        self._refresh()
        self._update_buttons()
        self.state.sessions_changed.emit()
        self.batch_ended.emit()

    def toggle_pause(self) -> None:
        if self.busy:
            self._handle.cancel()  # the files being scored stay queued and are scored again on Resume
            self.pause_button.setEnabled(False)
            self.message.setText("Pausing…")
        elif self._paused:
            self._process()

    def cancel(self) -> None:
        if self.busy:
            self._cancelling = True
            self._handle.cancel()
            self.message.setText("Cancelling…")
        elif self._paused and self.batch_id is not None:
            self._paused = False
            self._cancelling = True
            self._failed(Cancelled("cancelled while paused"))
        self._update_buttons()

    def retry_failed(self) -> None:
        """Queue the failed files again as a new batch (each is checked afresh)."""
        failed = [Path(item.path) for item in self.items if item.state == "failed"]
        if failed and not self.busy:
            self.queue(failed)

    def _has_queued(self) -> bool:
        return any(item.state == "queued" for item in self.items)

    def _refresh(self) -> None:
        if self.batch_id is None:
            return
        self.items = batch_items(self.state.db, self.batch_id)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            cells = (Path(item.path).name, item.rep, STATE_LABELS[item.state], _result(item))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0:
                    cell.setToolTip(item.path)
                    cell.setData(Qt.ItemDataRole.UserRole, item.path)
                elif column == 3:
                    cell.setToolTip(text)  # a long note or reason, whole
                self.table.setItem(row, column, cell)

    def _update_buttons(self) -> None:
        running = self.busy
        self.pause_button.setText("Resume" if self._paused and not running else "Pause")
        self.pause_button.setEnabled((running and self.batch_id is not None) or self._paused)
        self.cancel_button.setEnabled(running or self._paused)
        self.retry_button.setEnabled(not running and any(item.state == "failed" for item in self.items))
        self.close_button.setEnabled(not running and not self._paused)


def _result(item: BatchItem) -> str:
    """The saved session and what to check about its transcript, or why the file failed or was skipped."""
    if item.state != "done":
        return item.error or ""
    return " ".join([f"session {item.session_id}", *(f"{UNSURE_MARK} {note}" for note in item.notes)])
