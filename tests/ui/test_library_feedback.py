"""Library feedback: who the rep of imported calls is, bundles imported twice, exports confirmed with "Show in
folder", long text that never pushes the key columns away, and a search that finds nothing says so."""

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton
from test_library import SAMPLES, confirm_rep, drop_files, import_samples

from coach_app.storage.sessions import list_sessions, set_tags
from coach_app.ui.widgets.export_done import with_extension


class UrlCatcher(QObject):
    """Stands in for the file manager: QDesktopServices hands it the file: URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_importing_calls_asks_who_the_rep_is_and_remembers_it(qtbot, window):
    """The rep typed for one import is stored and offered first the next time (not the current user)."""
    window.state.update_settings(rep_name="Tess")
    library = window.show_screen("library")
    drop_files(library, [SAMPLES / "birthday_gift_good.json"])
    assert library.findChild(QMessageBox) is None
    from coach_app.ui.widgets.import_rep import ImportRepDialog

    assert library.findChild(ImportRepDialog).rep.currentText() == "Tess"
    with qtbot.waitSignal(window.state.sessions_changed, timeout=20000):
        confirm_rep(qtbot, library, "Priya")
    assert [s.rep for s in list_sessions(window.state.db)] == ["Priya"]
    drop_files(library, [SAMPLES / "birthday_gift_poor.json"])
    assert library.findChild(ImportRepDialog).rep.currentText() == "Priya"


def test_export_confirms_with_show_in_folder_and_a_second_import_of_a_bundle_says_so(qtbot, window, tmp_path):
    """Export ends in "Saved … in …" whose Show in folder opens the folder; re-importing offers to open it."""
    library = window.show_screen("library")
    import_samples(qtbot, library, ["birthday_gift_good.json"])
    (stored,) = list_sessions(window.state.db)
    bundle = tmp_path / "call.zip"
    library.export_to(stored.id, bundle)
    qtbot.waitUntil(lambda: library.findChild(QMessageBox, "exportDone") is not None, timeout=20000)
    box = library.findChild(QMessageBox, "exportDone")
    assert "call.zip" in box.text() and str(tmp_path) in box.text()
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        show = next(b for b in box.findChildren(QPushButton) if b.text() == "Show in folder")
        qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in catcher.urls] == [str(tmp_path)]

    drop_files(library, [bundle])
    qtbot.waitUntil(lambda: library.findChild(QMessageBox, "alreadyImported") is not None, timeout=20000)
    notice = library.findChild(QMessageBox, "alreadyImported")
    assert stored.title in notice.text() and len(list_sessions(window.state.db)) == 1
    with qtbot.waitSignal(window.state.session_opened) as opened:
        open_it = next(b for b in notice.findChildren(QPushButton) if b.text() == "Open it")
        qtbot.mouseClick(open_it, Qt.MouseButton.LeftButton)
    assert opened.args == [stored.id]


def test_an_export_name_without_extension_gets_the_chosen_one():
    """Typing "report" with the PDF filter chosen saves report.pdf; a typed extension is kept."""
    assert with_extension("/tmp/report", "PDF report (*.pdf)").name == "report.pdf"
    assert with_extension("/tmp/report.html", "PDF report (*.pdf)").name == "report.html"
    assert with_extension("/tmp/call", "Session bundle (*.zip)", (".zip",)).name == "call.zip"


def test_long_tags_never_push_the_key_columns_off_screen_and_empty_search_says_so(qtbot, window):
    """At 1024×640 Date, Rep, Length and Score stay in view beside a huge tag; "xyz" shows a message and Clear."""
    window.resize(1024, 640)
    library = window.show_screen("library")
    import_samples(qtbot, library, ["birthday_gift_good.json"])
    (stored,) = list_sessions(window.state.db)
    set_tags(window.state.db, stored.id, ["an extremely long tag that somebody typed " * 4])
    window.state.sessions_changed.emit()
    window.show_screen("library")  # the import opened the call in Review
    table = library.table
    width = table.viewport().width()
    header = table.horizontalHeader()
    for name in ("Date", "Rep", "Length", "Score"):
        column = ("Date", "Rep", "Title", "Scenario", "Tags", "Length", "Score", "Match").index(name)
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= width, name
    tags = table.item(0, 4)
    assert tags.toolTip() == tags.text() and header.sectionSize(4) < width / 3

    qtbot.keyClicks(library.search, "xyz")
    assert library.no_match.isVisible() and library.no_match_label.text() == "No sessions match “xyz”."
    assert not table.isVisible()
    qtbot.mouseClick(library.clear_search_button, Qt.MouseButton.LeftButton)
    assert library.search.text() == "" and table.isVisible() and not library.no_match.isVisible()
