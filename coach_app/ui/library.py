"""All stored sessions: full-text search, filters, sorting, tags, import by menu or drag-and-drop, delete with undo."""

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach_app import session
from coach_app.errors import CoachError
from coach_app.storage import sessions
from coach_app.storage.records import SessionSummary
from coach_app.storage.search import search_text
from coach_app.ui.batch_panel import BatchPanel
from coach_app.ui.error_dialog import show_error
from coach_app.ui.formatting import plural
from coach_app.ui.names import scenario_title, source_label
from coach_app.ui.state import AppState
from coach_app.ui.tasks import run_task
from coach_app.ui.widgets.export_done import show_export_done, with_extension
from coach_app.ui.widgets.import_rep import ImportRepDialog
from coach_app.ui.widgets.task_panel import TaskPanel

UNDO_SECONDS = 10
ALL = "All"
COLUMNS = ("Date", "Rep", "Title", "Scenario", "Tags", "Length", "Score", "Match")
ID_ROLE = Qt.ItemDataRole.UserRole
# Short columns fit their contents and always show; the title takes the spare room; free text gets a fixed share
# and elides (the whole text is in the tooltip), so one long tag never pushes the date or score off-screen.
_FIT, _FIXED = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Interactive
COLUMN_MODES = {"Date": _FIT, "Rep": _FIT, "Title": QHeaderView.ResizeMode.Stretch, "Scenario": _FIXED}
COLUMN_MODES |= {"Tags": _FIXED, "Length": _FIT, "Score": _FIT, "Match": _FIXED}
COLUMN_WIDTHS = {"Scenario": 170, "Tags": 140, "Match": 220}  # the most each takes when fitted to its contents


class _Cell(QTableWidgetItem):
    """A read-only cell that sorts by `sort_key` (numbers sort as numbers), shown as its text."""

    def __init__(self, text: str, sort_key: object | None = None) -> None:
        super().__init__(text)
        self.sort_key = text.lower() if sort_key is None else sort_key
        self.setFlags(self.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Cell) and type(self.sort_key) is type(other.sort_key):
            return self.sort_key < other.sort_key
        return super().__lt__(other)


class LibraryScreen(QWidget):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.setAcceptDrops(True)
        self._pending_delete: list[int] = []
        self._known_ids: set[int] = set()
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self.finish_deletes)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search what was said or commented…")
        self.search.setAccessibleName("Search sessions")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.rep_filter = QComboBox()
        self.rep_filter.setAccessibleName("Filter by rep")
        self.tag_filter = QComboBox()
        self.tag_filter.setAccessibleName("Filter by tag")
        self.source_filter = QComboBox()
        self.source_filter.setAccessibleName("Filter by kind of session")
        self.source_filter.addItem(ALL, None)
        for source in sessions.SOURCES:
            self.source_filter.addItem(source_label(source), source)
        for combo in (self.rep_filter, self.tag_filter, self.source_filter):
            combo.currentIndexChanged.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for caption, combo in (("Rep", self.rep_filter), ("Tag", self.tag_filter), ("Kind", self.source_filter)):
            filters.addWidget(QLabel(caption))
            filters.addWidget(combo, 1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.saved_layout = {"columns": self.table.horizontalHeader()}
        self.table.setObjectName("sessionsTable")
        self.table.setAccessibleName("Sessions")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move between rows), as in file managers
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(48)
        for name, mode in COLUMN_MODES.items():
            header.setSectionResizeMode(COLUMNS.index(name), mode)
        self.table.itemActivated.connect(lambda item: self.open_row(item.row()))
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.import_button = QPushButton("Import…")
        self.import_button.setAccessibleName("Import recordings, transcripts or session bundles")
        self.import_button.clicked.connect(self.ask_import)
        self.import_folder_button = QPushButton("Import folder…")
        self.import_folder_button.setAccessibleName("Import every recording and transcript in a folder")
        self.import_folder_button.clicked.connect(self.ask_import_folder)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        self.tags_button = QPushButton("Tags…")
        self.tags_button.setAccessibleName("Edit the selected session's tags")
        self.tags_button.clicked.connect(self.edit_tags)
        self.export_button = QPushButton("Export bundle…")
        self.export_button.setAccessibleName("Export the selected session as a bundle")
        self.export_button.setToolTip("Save the session (audio, transcript, findings, comments) as a .zip to share")
        self.export_button.clicked.connect(self.ask_export)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected sessions")
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        self.count_label = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (
            self.import_button,
            self.import_folder_button,
            self.open_button,
            self.tags_button,
            self.export_button,
            self.delete_button,
        ):
            actions.addWidget(button)

        self.undo_label = QLabel()
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()

        self.no_match_label = QLabel()
        self.no_match_label.setObjectName("noMatch")
        self.no_match_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match_label.setWordWrap(True)
        self.clear_search_button = QPushButton("Clear search")
        self.clear_search_button.clicked.connect(self.search.clear)
        self.no_match = QWidget()
        no_match_column = QVBoxLayout(self.no_match)
        no_match_column.addStretch(1)
        no_match_column.addWidget(self.no_match_label)
        no_match_column.addWidget(self.clear_search_button, 0, Qt.AlignmentFlag.AlignHCenter)
        no_match_column.addStretch(1)
        self.no_match.hide()

        self.hint = QLabel(
            "Drop recordings (WAV, FLAC, OGG, MP3), transcripts (.json), session bundles (.zip) or folders here."
        )
        self.hint.setProperty("secondary", True)
        self.hint.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addWidget(self.no_match, 1)
        column.addWidget(self.undo_bar)
        column.addLayout(actions)
        self.tasks = TaskPanel()
        column.addWidget(self.tasks)
        self.batch = BatchPanel(state)
        column.addWidget(self.batch)
        column.addWidget(self.hint)
        state.sessions_changed.connect(self.refresh)
        self._fill_filters()
        self.refresh()

    def activated(self) -> None:
        self._fill_filters()
        self.refresh()

    # Listing

    def _fill_filters(self) -> None:
        for combo, sql in (
            (self.rep_filter, "SELECT name FROM people ORDER BY name"),
            (self.tag_filter, "SELECT name FROM tags ORDER BY name"),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *(name for (name,) in self.state.db.execute(sql))])
            combo.setCurrentText(current if current else ALL)
            combo.blockSignals(False)

    def _choice(self, combo: QComboBox) -> str | None:
        return None if combo.currentText() in ("", ALL) else combo.currentText()

    def visible_sessions(self) -> list[tuple[SessionSummary, str]]:
        """The sessions the filters and search select, each with the matching snippet (if searching)."""
        rows = sessions.list_sessions(
            self.state.db, rep=self._choice(self.rep_filter), tag=self._choice(self.tag_filter)
        )
        source = self.source_filter.currentData()
        rows = [r for r in rows if (source is None or r.source == source) and r.id not in self._pending_delete]
        query = self.search.text().strip()
        if not query:
            return [(row, "") for row in rows]
        snippets: dict[int, str] = {}
        for hit in search_text(self.state.db, query, limit=500):
            snippets.setdefault(hit.session_id, hit.snippet)
        return [(row, snippets[row.id]) for row in rows if row.id in snippets]

    def refresh(self) -> None:
        shown = self.visible_sessions()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(shown))
        for row, (summary, snippet) in enumerate(shown):
            minutes = f"{int(summary.duration_s // 60)}:{int(summary.duration_s % 60):02d}"
            cells = (
                _Cell(summary.started_at.replace("T", " ")[:16]),
                _Cell(summary.rep),
                _Cell(summary.title),
                _Cell(scenario_title(summary.scenario)),
                _Cell(", ".join(summary.tags)),
                _Cell(minutes, round(summary.duration_s)),
                _Cell(str(summary.overall), summary.overall),
                _Cell(snippet),
            )
            for column, cell in enumerate(cells):
                cell.setData(ID_ROLE, summary.id)
                cell.setToolTip(cell.text())
                self.table.setItem(row, column, cell)
        self.table.setSortingEnabled(True)
        self.table.setColumnHidden(COLUMNS.index("Match"), not self.search.text().strip())
        for name, most in COLUMN_WIDTHS.items():  # as wide as the contents need, up to a share of the table
            column = COLUMNS.index(name)
            wanted = max(self.table.sizeHintForColumn(column), self.table.horizontalHeader().sectionSizeHint(column))
            self.table.horizontalHeader().resizeSection(column, min(wanted + 8, most))
        self.count_label.setText(plural(len(shown), "session"))
        query = self.search.text().strip()
        nothing_found = bool(query) and not shown
        self.no_match_label.setText(f"No sessions match “{query}”." if nothing_found else "")
        self.no_match.setVisible(nothing_found)
        self.table.setVisible(not nothing_found)
        self._selection_changed()

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.table.item(row, 0).data(ID_ROLE) for row in rows]

    def _selection_changed(self) -> None:
        count = len(self.selected_ids())
        self.open_button.setEnabled(count == 1)
        self.tags_button.setEnabled(count == 1)
        self.export_button.setEnabled(count == 1)
        self.delete_button.setEnabled(count > 0)

    def open_row(self, row: int) -> None:
        if row >= 0:
            self.state.session_opened.emit(self.table.item(row, 0).data(ID_ROLE))

    def edit_tags(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        current = ", ".join(sessions.get_summary(self.state.db, ids[0]).tags)
        text, ok = QInputDialog.getText(self, "Tags", "Tags, separated by commas:", text=current)
        if ok:
            sessions.set_tags(self.state.db, ids[0], [t.strip() for t in text.split(",")])
            self._fill_filters()
            self.state.sessions_changed.emit()

    # Delete with undo: rows disappear at once and are deleted for good when the undo time runs out.

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        noun = "this session" if len(ids) == 1 else f"these {len(ids)} sessions"
        answer = QMessageBox.question(
            self,
            "Delete sessions",
            f"Delete {noun} with its recording, findings and comments? You can undo for {UNDO_SECONDS} seconds.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_with_undo(ids)

    def delete_with_undo(self, ids: list[int]) -> None:
        self.finish_deletes()
        self._pending_delete = list(ids)
        self.undo_label.setText(f"Deleted {len(ids)} session{'s' if len(ids) != 1 else ''}.")
        self.undo_bar.show()
        self._undo_timer.start()
        self.refresh()

    def undo_delete(self) -> None:
        self._undo_timer.stop()
        self._pending_delete = []
        self.undo_bar.hide()
        self.refresh()

    def finish_deletes(self) -> None:
        """Delete the sessions waiting for undo, for good."""
        self._undo_timer.stop()
        pending, self._pending_delete = self._pending_delete, []
        self.undo_bar.hide()
        for session_id in pending:
            try:
                sessions.delete_session(self.state.db, session_id)
            except CoachError as exc:
                show_error(self, exc)
        if pending:
            self.state.sessions_changed.emit()

    def closing(self) -> None:
        self.finish_deletes()

    # Importing

    def ask_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import recordings, transcripts or session bundles",
            "",
            "Recordings, transcripts and bundles (*.wav *.flac *.ogg *.mp3 *.json *.zip);;All files (*)",
        )
        if files:
            self.import_files([Path(f) for f in files])

    def ask_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of recordings and transcripts")
        if folder:
            self.batch.queue([Path(folder)])

    def import_files(self, files: list[Path], rep: str | None = None) -> QDialog | None:
        """Transcribe (audio), score and store each file in the background, with progress and Cancel. Calls
        (not bundles, which carry their rep) are scored as `rep`; without one the user is asked first, and the
        dialog is returned."""
        if self.tasks.busy:
            show_error(self, CoachError("An import is already running: wait for it to finish, or cancel it first."))
            return None
        calls = [f for f in files if f.suffix.lower() != ".zip"]
        if rep is None and calls:
            dialog = ImportRepDialog(self.state.db, session.rep_for(self.state.settings), len(calls), self)
            dialog.accepted.connect(lambda: self.import_files(files, dialog.chosen()))
            dialog.open()
            return dialog
        settings = dataclasses.replace(self.state.settings, rep_name=rep) if rep else self.state.settings
        self._known_ids = {s.id for s in sessions.list_sessions(self.state.db)}
        handle = run_task(
            session.import_files,
            files,
            settings,
            on_done=self._imported,
            on_failed=self._import_ended_early,
            parent=self,
        )
        noun = files[0].name if len(files) == 1 else f"{len(files)} files"
        self.tasks.follow(handle, f"Importing {noun}…")
        return None

    def _imported(self, ids: list[int]) -> None:
        self._fill_filters()
        self.state.sessions_changed.emit()
        already = [i for i in ids if i in self._known_ids]
        if already:
            self._say_already_there(already)
        elif len(ids) == 1:
            self.state.session_opened.emit(ids[0])  # Review shows its notes
        else:
            self._say_notes(ids)

    def _say_notes(self, ids: list[int]) -> QMessageBox | None:
        """Several calls imported at once: list what to check about how each was transcribed (Review shows it
        too), and offer to open the first such call; nothing when there is nothing to check."""
        noted = [(i, notes) for i in ids if (notes := sessions.read_transcript(self.state.db, i).notes)]
        if not noted:
            return None
        lines = [f"• {sessions.get_summary(self.state.db, i).title}: {' '.join(notes)}" for i, notes in noted]
        box = QMessageBox(self)
        box.setObjectName("importNotes")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Check how these calls were transcribed")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{len(noted)} of the {len(ids)} imported calls need checking:\n\n" + "\n".join(lines))
        open_button = box.addButton("Open the first", QMessageBox.ButtonRole.AcceptRole)
        open_button.clicked.connect(lambda: self.state.session_opened.emit(noted[0][0]))
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        return box

    def _say_already_there(self, ids: list[int]) -> QMessageBox:
        """A bundle imported before is not added twice: say so, and offer to open the session it is."""
        title = sessions.get_summary(self.state.db, ids[0]).title
        box = QMessageBox(self)
        box.setObjectName("alreadyImported")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Already in the Library")
        more = f" ({len(ids)} of the files were already here)" if len(ids) > 1 else ""
        box.setText(f"This bundle is already in the Library as “{title}”, so it was not added again{more}.")
        open_button = box.addButton("Open it", QMessageBox.ButtonRole.AcceptRole)
        open_button.clicked.connect(lambda: self.state.session_opened.emit(ids[0]))
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        return box

    def _import_ended_early(self, _exc: BaseException) -> None:
        self.state.sessions_changed.emit()  # files imported before the failure or cancel are listed

    def ask_export(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        title = sessions.get_summary(self.state.db, ids[0]).title.replace("/", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export session bundle", f"{title}.zip", "Session bundle (*.zip)"
        )
        if path:
            self.export_to(ids[0], with_extension(path, chosen, (".zip",)))

    def export_to(self, session_id: int, target: Path) -> None:
        handle = run_task(
            session.export_session,
            session_id,
            target,
            on_done=lambda path: show_export_done(self, path),
            parent=self,
        )
        self.tasks.follow(handle, f"Exporting {target.name}…")

    # Drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls() and all(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        event.acceptProposedAction()
        if any(path.is_dir() for path in files):  # a folder is a batch: scored in parallel, resumable
            self.batch.queue(files)
        else:
            self.import_files(files)
