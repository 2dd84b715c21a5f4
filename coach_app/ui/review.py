"""Review one stored session: scorecard with evidence, timeline, transcript, playback, comments, corrections."""

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach_app import session
from coach_app.core import Finding
from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.storage.records import StoredSession
from coach_app.ui.correction_marks import Scores, correction_notes, rejected_marks, score_changes, scores_of
from coach_app.ui.error_dialog import show_error
from coach_app.ui.formatting import clock
from coach_app.ui.missed_finding import MissedFindingDialog
from coach_app.ui.state import AppState
from coach_app.ui.tasks import run_task
from coach_app.ui.widgets.comments_panel import CommentsPanel
from coach_app.ui.widgets.export_done import show_export_done, with_extension
from coach_app.ui.widgets.playback_bar import PlaybackBar
from coach_app.ui.widgets.scorecard_tree import FINDING_ID_ROLE, REJECTED_ROLE, ScorecardTree
from coach_app.ui.widgets.session_header import SessionHeader
from coach_app.ui.widgets.task_panel import TaskPanel
from coach_app.ui.widgets.timeline import Timeline
from coach_app.ui.widgets.transcript_notes import TranscriptNotes
from coach_app.ui.widgets.transcript_view import TranscriptView
from coach_app.ui.widgets.undo_bar import UndoBar

log = logging.getLogger(__name__)


class ReviewScreen(QWidget):
    """Shows one stored session; the main window calls `open_session` when one is opened anywhere."""

    exported = Signal(str)

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.stored: StoredSession | None = None

        self.empty_label = QLabel("No session open.\nChoose one in the Library, or practise a conversation.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_label)
        self.pages.addWidget(self._build_session_page())
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)

        QShortcut(QKeySequence("Ctrl+Space"), self, self.playback.toggle)
        QShortcut(QKeySequence("F8"), self, lambda: self.step_finding(1))
        QShortcut(QKeySequence("Shift+F8"), self, lambda: self.step_finding(-1))
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last)
        QShortcut(QKeySequence("Ctrl+M"), self, self.comments.edit.setFocus)
        self._scores_before: Scores = {}
        self._undo_change: tuple[str, Callable[[], None]] | None = None
        state.sessions_changed.connect(self._reload_if_gone)
        state.settings_changed.connect(lambda _settings: self._show_role())
        self._show_role()

    # Layout

    def _build_session_page(self) -> QWidget:
        page = QWidget()
        self.header = SessionHeader()
        self.reject_button = QPushButton("Mark finding wrong")
        self.reject_button.setAccessibleName("Mark the selected finding as wrong")
        self.reject_button.setToolTip("The finding is kept but no longer counts; the scores are recalculated")
        self.reject_button.clicked.connect(self.reject_selected)
        self.add_button = QPushButton("Add missed finding…")
        self.add_button.setToolTip("Add something the analysis missed at the current moment; the scores update")
        self.add_button.clicked.connect(self.ask_missed_finding)
        self.speakers_button = QPushButton("Speakers")
        self.speakers_button.setAccessibleName("Correct who said what")
        self.speakers_button.setToolTip("Fix the automatic split of a one-track recording; the scores update")
        speakers_menu = QMenu(self.speakers_button)
        self.swap_action = speakers_menu.addAction("Swap rep and customer", self.swap_speakers)
        self.reassign_action = speakers_menu.addAction(
            "Change who spoke the turn at the current moment", self.reassign_current_turn
        )
        self.speakers_button.setMenu(speakers_menu)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save a report (HTML or PDF) or a session bundle (.zip) to send to a trainer")
        self.export_button.clicked.connect(self.ask_export)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.reject_button, self.add_button, self.speakers_button, self.export_button):
            actions.addWidget(button)

        self.timeline = Timeline()
        self.playback = PlaybackBar(self.state)
        self.playback.moved.connect(self.timeline.set_position)
        self.timeline.seek_requested.connect(self.playback.play_from)
        self.previous_button = QPushButton("Previous finding")
        self.previous_button.setToolTip("Shift+F8")
        self.previous_button.clicked.connect(lambda: self.step_finding(-1))
        self.next_button = QPushButton("Next finding")
        self.next_button.setToolTip("F8")
        self.next_button.clicked.connect(lambda: self.step_finding(1))
        controls = QHBoxLayout()
        controls.addWidget(self.playback)
        controls.addStretch(1)
        controls.addWidget(self.previous_button)
        controls.addWidget(self.next_button)

        self.scorecard = ScorecardTree()
        self.scorecard.currentItemChanged.connect(self._finding_chosen)
        self.scorecard.itemActivated.connect(lambda item, _col: self._play_item(item))
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.scorecard, 1)
        left_column.addWidget(self.explanation)

        self.transcript = TranscriptView()
        self.transcript.time_clicked.connect(self.playback.play_from)
        self.transcript_notes = TranscriptNotes()

        self.comments = CommentsPanel(self.state.db, lambda: self.state.settings.rep_name or None, self.current_time_s)
        self.comments.play_requested.connect(self.playback.play_from)
        self.comments.changed.connect(self._comments_changed)
        self.comments.deleted.connect(self._comment_deleted)
        right = self.comments

        self.splitter = QSplitter()
        self.splitter.setObjectName("reviewSplitter")
        for widget in (left, self.transcript, right):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([380, 470, 250])
        self.saved_layout = {"splitter": self.splitter}

        self.tasks = TaskPanel()
        self.undo_bar = UndoBar()
        column = QVBoxLayout(page)
        column.addWidget(self.header)
        column.addLayout(actions)
        column.addWidget(self.undo_bar)
        column.addWidget(self.transcript_notes)
        column.addWidget(self.timeline)
        column.addLayout(controls)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.tasks)
        return page

    # Showing a session

    def open_session(self, session_id: int) -> None:
        if self.stored is None or self.stored.summary.id != session_id:
            self.undo_bar.dismiss()
        self.playback.close_player()
        self.stored = sessions.load_session(self.state.db, session_id)
        self._render()
        self.pages.setCurrentIndex(1)

    def _reload_if_gone(self) -> None:
        if self.stored is None:
            return
        try:
            self.stored = sessions.load_session(self.state.db, self.stored.summary.id)
        except CoachError:
            self.stored = None
            self.playback.close_player()
            self.playback.set_recording(None)
            self.pages.setCurrentIndex(0)
            return
        self._render()

    def _render(self) -> None:
        stored = self.stored
        assert stored is not None
        self.header.show_session(stored)
        active = self._active_findings()
        self.timeline.set_conversation(stored.transcript, active)
        self.transcript.set_conversation(stored.transcript, active)
        self.transcript_notes.show_transcript(stored.transcript)
        self._fill_scorecard()
        self._fill_comments()
        self.playback.set_recording(stored.summary.audio_path)

    def _active_findings(self) -> tuple[Finding, ...]:
        assert self.stored is not None
        return tuple(s.finding for s in self.stored.findings if not s.rejected)

    def _fill_scorecard(self) -> None:
        stored = self.stored
        assert stored is not None
        ids = {s.finding: s.id for s in stored.findings if not s.rejected}
        notes = correction_notes(stored)
        rejected = rejected_marks(stored, notes)
        rubric = session.rubric_for(self.state.settings)
        earnable = {d.key: tuple(d.points.items()) for d in rubric.dimensions}
        self.scorecard.show_scorecard(stored.scorecard, ids, earnable, rejected, notes)
        added = sum(s.origin == "trainer" for s in stored.findings)
        note = f" Corrections: {len(rejected)} marked wrong, {added} added." if rejected or added else ""
        self.explanation.setText("Open a score to see the moments behind it; double-click one to play it." + note)
        self._show_reject_button(self.scorecard.currentItem())

    def _fill_comments(self) -> None:
        assert self.stored is not None
        self.comments.show_comments(self.stored.summary.id, self.stored.comments)

    # Findings and playback

    def _finding_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        finding = self.scorecard.current_finding()
        self._show_reject_button(item)
        if finding is not None:
            self.explanation.setText(f"<b>Why:</b> {finding.reason}<br><b>Try:</b> {finding.tip}")
            self.transcript.select_finding(finding)
            self.timeline.set_position(finding.start_s)
        if item is not None and (finding is None or item.data(0, REJECTED_ROLE)):
            self.explanation.setText(item.toolTip(0))

    def _show_reject_button(self, item: QTreeWidgetItem | None) -> None:
        rejected = item is not None and bool(item.data(0, REJECTED_ROLE))
        self.reject_button.setText("Count it again" if rejected else "Mark finding wrong")
        self.reject_button.setEnabled(rejected or self.scorecard.current_finding_id() is not None)

    def _play_item(self, _item: QTreeWidgetItem) -> None:
        finding = self.scorecard.current_finding()
        if finding is not None:
            self.playback.play_from(finding.start_s)

    def step_finding(self, step: int) -> None:
        self.scorecard.step(step)

    def current_time_s(self) -> float | None:
        """Where the cursor is: the playback position, else the last finding or moment chosen."""
        player = self.playback.player
        return player.position_s if player is not None else self.timeline.position_s

    # Comments, undo and roles

    def _comments_changed(self) -> None:
        assert self.stored is not None
        self.open_session(self.stored.summary.id)

    def _comment_deleted(self, comment) -> None:
        self.undo_bar.offer(f"Comment deleted: “{comment.body[:60]}”", lambda: self.comments.restore(comment))

    def undo_last(self) -> None:
        """Ctrl+Z: take back what the Undo bar offers, else this session's latest correction."""
        if self.undo_bar.can_undo:
            self.undo_bar.undo()
        elif self.stored is not None and self.stored.corrections:
            self._undo_correction(self.stored.corrections[-1].id)

    def _undo_correction(self, correction_id: int) -> None:
        self._run(session.undo_correction, correction_id, self.state.settings, message="Undoing the correction…")

    def _show_role(self) -> None:
        """Correction tools are for trainers; a rep sees scores, evidence and comments."""
        trainer = self.state.settings.role == "trainer"
        for button in (self.reject_button, self.add_button, self.speakers_button):
            button.setVisible(trainer)

    # Corrections and exports run in the background; the view reloads when they are done.

    def _run(self, fn, *args, message: str, on_done=None, undo: tuple[str, Callable[[], None]] | None = None) -> None:
        """Run a correction or export; a re-scoring change may bring (what it did, how to undo it)."""
        if self.tasks.busy:
            return
        if on_done is None:
            assert self.stored is not None
            self._scores_before = scores_of(self.stored.scorecard)
            self._undo_change = undo
        handle = run_task(fn, *args, on_done=on_done or self._corrected, parent=self)
        self.tasks.follow(handle, message)

    def _corrected(self, _result: object) -> None:
        assert self.stored is not None
        corrections_before = {c.id for c in self.stored.corrections}
        self.open_session(self.stored.summary.id)
        self.state.sessions_changed.emit()
        changes = score_changes(self._scores_before, self.stored.scorecard)
        new = [c for c in self.stored.corrections if c.id not in corrections_before]
        if new:
            action = "Marked wrong" if new[-1].action == "rejected" else "Finding added"
            self.undo_bar.offer(f"{action}. {changes}", lambda: self._undo_correction(new[-1].id))
        elif self._undo_change is not None:
            what, undo = self._undo_change
            self.undo_bar.offer(f"{what}. {changes}", undo)
        else:
            self.undo_bar.offer(f"Scores updated. {changes}", None)

    def reject_selected(self) -> None:
        """Mark the selected finding wrong, or, on one already marked wrong, let it count again."""
        item = self.scorecard.currentItem()
        if item is not None and item.data(0, REJECTED_ROLE) and self.stored is not None:
            finding_id = item.data(0, FINDING_ID_ROLE)
            marks = [c.id for c in self.stored.corrections if c.finding_id == finding_id and c.action == "rejected"]
            if marks:
                self._undo_correction(marks[-1])
            return
        finding_id = self.scorecard.current_finding_id()
        if finding_id is not None:
            self._run(session.reject_finding, finding_id, self.state.settings, message="Re-scoring…")

    def ask_missed_finding(self) -> None:
        if self.stored is None:
            return
        dialog = MissedFindingDialog(self.stored.transcript, self.current_time_s() or 0.0, self)
        dialog.accepted.connect(lambda: self.add_missed_finding(dialog.finding()))
        dialog.open()

    def add_missed_finding(self, finding: Finding) -> None:
        assert self.stored is not None
        self._run(
            session.add_missed_finding, self.stored.summary.id, finding, self.state.settings, message="Re-scoring…"
        )

    def swap_speakers(self) -> None:
        if self.stored is not None:
            self._run(
                session.swap_speakers,
                self.stored.summary.id,
                self.state.settings,
                message="Re-scoring…",
                undo=("Rep and customer swapped", self.swap_speakers),  # swapping again restores them
            )

    def reassign_current_turn(self) -> None:
        """Give the turn under the cursor (the latest one started at the current moment) to the other speaker."""
        if self.stored is None:
            return
        at = self.current_time_s() or 0.0
        turns = self.stored.transcript.turns
        under = [i for i, turn in enumerate(turns) if turn.start_s <= at <= turn.end_s]
        if not under:
            show_error(
                self, CoachError("No turn is being spoken at the current moment: click a word of the turn first.")
            )
            return
        index = max(under, key=lambda i: turns[i].start_s)
        self._reassign(index, "customer" if turns[index].speaker == "rep" else "rep")

    def _reassign(self, index: int, speaker: str) -> None:
        assert self.stored is not None
        before = self.stored.transcript.turns[index].speaker
        who = "the rep" if speaker == "rep" else "the customer"
        self._run(
            session.reassign_turn,
            self.stored.summary.id,
            index,
            speaker,
            self.state.settings,
            message="Re-scoring…",
            undo=(
                f"Turn at {clock(self.stored.transcript.turns[index].start_s)} given to {who}",
                lambda: self._reassign(index, before),
            ),
        )

    def ask_export(self) -> None:
        if self.stored is None:
            return
        stem = self.stored.summary.title.replace("/", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export session", f"{stem}.html", "HTML report (*.html);;PDF report (*.pdf);;Session bundle (*.zip)"
        )
        if path:
            self.export_to(with_extension(path, chosen))

    def _exported(self, path: Path) -> None:
        self.exported.emit(str(path))
        show_export_done(self, Path(path))

    def export_to(self, target: Path) -> None:
        assert self.stored is not None
        self._run(
            session.export_session,
            self.stored.summary.id,
            target,
            message=f"Exporting {target.name}…",
            on_done=self._exported,
        )
