"""Trainer comments on a session: add at the current moment, edit, delete (the Review screen offers Undo)."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.storage.records import Comment
from coach_app.ui.error_dialog import show_error
from coach_app.ui.formatting import clock

AT_ROLE = Qt.ItemDataRole.UserRole  # a comment's time
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CommentsPanel(QWidget):
    """`changed` after any stored change; `deleted(Comment)` after a delete, so the screen can offer Undo."""

    changed = Signal()
    deleted = Signal(object)
    play_requested = Signal(float)

    def __init__(self, db: Database, author: Callable[[], str | None], now_s: Callable[[], float | None]) -> None:
        super().__init__()
        self.db = db
        self._author = author
        self._now_s = now_s
        self.session_id: int | None = None
        self._editing: int | None = None  # the comment whose text is in the box
        self.list = QListWidget()
        self.list.setAccessibleName("Trainer comments")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._play)
        self.list.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Comment at the current time…")
        self.edit.setAccessibleName("Comment text")
        self.edit.returnPressed.connect(self.submit)
        self.add_button = QPushButton("Add comment")
        self.add_button.setToolTip("Add the comment at the current moment (Ctrl+M)")
        self.add_button.clicked.connect(self.submit)
        self.edit_button = QPushButton("Edit")
        self.edit_button.setAccessibleName("Edit the selected comment")
        self.edit_button.clicked.connect(self.start_edit)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete the selected comment")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button, 1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Comments"))
        column.addWidget(self.list, 1)
        column.addWidget(self.edit)
        column.addLayout(buttons)
        self._selection_changed()

    def show_comments(self, session_id: int, comments: tuple[Comment, ...]) -> None:
        if session_id != self.session_id:
            self._stop_editing()
        self.session_id = session_id
        self.list.clear()
        for comment in comments:
            when = clock(comment.at_s) if comment.at_s is not None else "whole call"
            author = f" ({comment.author})" if comment.author else ""
            item = QListWidgetItem(f"{when} — {comment.body}{author}")
            item.setData(AT_ROLE, comment.at_s)
            item.setData(ID_ROLE, comment.id)
            self.list.addItem(item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.list.currentItem() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _play(self, item: QListWidgetItem) -> None:
        at_s = item.data(AT_ROLE)
        if at_s is not None:
            self.play_requested.emit(float(at_s))

    def start_edit(self) -> None:
        """Put the selected comment's text in the box; Enter (or Save comment) stores the change."""
        item = self.list.currentItem()
        if item is None:
            return
        comment_id = item.data(ID_ROLE)
        body = next(c.body for c in sessions.list_comments(self.db, self.session_id) if c.id == comment_id)
        self._editing = comment_id
        self.edit.setText(body)
        self.add_button.setText("Save comment")
        self.edit.setFocus()
        self.edit.selectAll()

    def _stop_editing(self) -> None:
        self._editing = None
        self.add_button.setText("Add comment")
        self.edit.clear()

    def submit(self) -> None:
        body = self.edit.text().strip()
        if self.session_id is None or not body:
            return
        try:
            if self._editing is not None:
                sessions.edit_comment(self.db, self._editing, body)
            else:
                sessions.add_comment(self.db, self.session_id, body, at_s=self._now_s(), author=self._author())
        except CoachError as exc:
            show_error(self, exc)
            return
        self._stop_editing()
        self.changed.emit()

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            comment = sessions.delete_comment(self.db, item.data(ID_ROLE))
        except CoachError as exc:
            show_error(self, exc)
            return
        if self._editing == comment.id:
            self._stop_editing()
        self.changed.emit()
        self.deleted.emit(comment)

    def restore(self, comment: Comment) -> None:
        """Put a deleted comment back (as a new comment with the same text, moment and author)."""
        sessions.add_comment(self.db, comment.session_id, comment.body, comment.at_s, comment.turn, comment.author)
        self.changed.emit()
