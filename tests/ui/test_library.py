"""Library: import by drag-and-drop (transcripts and bundles), search and filters, delete with confirmation and undo."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from qt_dialogs import answer_next_dialog

from coach_app import paths
from coach_app.storage.sessions import add_comment, list_sessions, load_session
from coach_app.ui.widgets.import_rep import ImportRepDialog

SAMPLES = paths.resources_root().parent / "data" / "samples"


def drop_files(widget, files: list[Path]) -> None:
    """Hand the widget a real drop event carrying file URLs, as a file manager would (Qt's event loop only
    delivers drops during a real drag, so the handler is called directly)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    widget.dropEvent(event)
    assert event.isAccepted()


def confirm_rep(qtbot, library, rep: str | None = None) -> None:
    """Answer the "Who is the rep?" question that importing calls asks (typing a name, or keeping the default)."""
    dialog = library.findChild(ImportRepDialog)
    assert dialog is not None and dialog.isVisible()
    if rep is not None:
        dialog.rep.lineEdit().clear()
        qtbot.keyClicks(dialog.rep.lineEdit(), rep)
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    dialog.deleteLater()
    qtbot.waitUntil(
        lambda: library.findChild(ImportRepDialog) is None or not library.findChild(ImportRepDialog).isVisible()
    )


def import_samples(qtbot, library, names: list[str], rep: str | None = None) -> None:
    drop_files(library, [SAMPLES / name for name in names])
    with qtbot.waitSignal(library.state.sessions_changed, timeout=20000):
        confirm_rep(qtbot, library, rep)
    qtbot.waitUntil(lambda: not library.tasks.busy, timeout=5000)


def test_dropped_transcripts_are_scored_listed_and_searchable(qtbot, window):
    """Dropping two transcripts stores two scored sessions; search narrows the list to the matching one."""
    library = window.show_screen("library")
    import_samples(qtbot, library, ["birthday_gift_good.json", "telecom_complaint_poor_asr.json"])
    assert library.table.rowCount() == 2
    titles = {library.table.item(row, 2).text() for row in range(2)}
    assert titles == {"birthday_gift_good", "telecom_complaint_poor_asr"}
    library.search.setText("drone")
    assert library.table.rowCount() == 1
    assert library.table.item(0, 2).text() == "birthday_gift_good"
    assert "drone" in library.table.item(0, 7).text().lower()
    library.search.clear()
    library.source_filter.setCurrentText("Practice")
    assert library.table.rowCount() == 0


def test_a_file_that_is_not_a_transcript_gets_a_clear_error(qtbot, window, tmp_path):
    """A dropped file of the wrong kind ends in one clear error dialog and nothing stored."""
    library = window.show_screen("library")
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    drop_files(library, [bad])
    confirm_rep(qtbot, library)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=10000)
    assert (
        "notes.txt is not something Listening Coach can import" in window.findChild(QMessageBox, "errorDialog").text()
    )
    assert list_sessions(window.state.db) == []


def test_delete_asks_then_can_be_undone_or_completed(qtbot, window):
    """Delete asks first; the rows vanish at once, Undo brings them back, and without undo they are deleted."""
    library = window.show_screen("library")
    import_samples(qtbot, library, ["birthday_gift_good.json", "birthday_gift_poor.json"])
    library.table.selectRow(0)
    answer_next_dialog(QMessageBox.StandardButton.Yes, "Delete this session")
    library.delete_selected()
    assert library.table.rowCount() == 1 and library.undo_bar.isVisible()
    library.undo_button.click()
    assert library.table.rowCount() == 2 and not library.undo_bar.isVisible()
    assert len(list_sessions(window.state.db)) == 2

    library.table.selectRow(0)
    library._undo_timer.setInterval(300)  # the undo window, shortened for the test
    answer_next_dialog(QMessageBox.StandardButton.Yes, "Delete this session")
    library.delete_selected()
    with qtbot.waitSignal(library.state.sessions_changed, timeout=library._undo_timer.interval() + 5000):
        pass
    assert len(list_sessions(window.state.db)) == 1
    assert library.table.rowCount() == 1


def test_a_session_bundle_comes_back_with_its_comments(qtbot, window, tmp_path):
    """A bundle exported from the library, deleted, then dropped back in restores the session and its comments."""
    library = window.show_screen("library")
    import_samples(qtbot, library, ["birthday_gift_good.json"])
    (original,) = list_sessions(window.state.db)
    add_comment(window.state.db, original.id, "Great recap at the end", at_s=70.0, author="Jo")
    bundle = tmp_path / "call.zip"
    library.table.selectRow(0)
    assert library.export_button.isEnabled()
    library.export_to(original.id, bundle)
    qtbot.waitUntil(lambda: not library.tasks.busy and bundle.is_file(), timeout=20000)
    library.delete_with_undo([original.id])
    library.finish_deletes()
    assert list_sessions(window.state.db) == []

    with qtbot.waitSignal(window.state.session_opened, timeout=20000) as opened:
        drop_files(library, [bundle])
    restored = load_session(window.state.db, opened.args[0])
    assert restored.summary.title == original.title and restored.summary.overall == original.overall
    assert [(c.body, c.at_s) for c in restored.comments] == [("Great recap at the end", 70.0)]
    assert library.table.rowCount() == 1
    assert window.current_key() == "review"
