"""After an export: say where the file went, with "Show in folder" (the file manager) next to OK."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

FILTER_SUFFIXES = {"HTML": ".html", "PDF": ".pdf", "bundle": ".zip"}


def with_extension(path: str, chosen_filter: str, allowed: tuple[str, ...] = (".html", ".htm", ".pdf", ".zip")) -> Path:
    """`report` typed with the PDF filter chosen → `report.pdf`; a name with a known extension is kept."""
    target = Path(path)
    if target.suffix.lower() in allowed:
        return target
    suffix = next((s for word, s in FILTER_SUFFIXES.items() if word in chosen_filter), allowed[0])
    return target.with_name(target.name + suffix)


def show_export_done(parent: QWidget, path: Path) -> QMessageBox:
    """A window-modal note (not blocking the event loop) naming the file, with "Show in folder"."""
    box = QMessageBox(parent)
    box.setObjectName("exportDone")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Export finished")
    box.setText(f"Saved {path.name} in {path.parent}.")
    folder = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
    folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
    box.addButton(QMessageBox.StandardButton.Ok)
    box.open()
    return box
