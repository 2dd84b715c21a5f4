"""Ask who the rep is before importing calls: an editable list of known people, defaulting to the rep of the
last imported call, else the current user."""

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget
from sqlite_utils import Database

from coach_app.storage.sessions import list_sessions


def default_import_rep(db: Database, current_user: str) -> str:
    """The rep of the most recent imported call, else the current user."""
    imported = [s for s in list_sessions(db) if s.source == "imported_call"]
    latest = max(imported, key=lambda s: (s.started_at, s.id), default=None)
    return latest.rep if latest is not None else current_user


class ImportRepDialog(QDialog):
    def __init__(self, db: Database, current_user: str, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is the rep?")
        self.rep = QComboBox()
        self.rep.setEditable(True)
        self.rep.setAccessibleName("Rep in the imported calls")
        names = [name for (name,) in db.execute("SELECT name FROM people ORDER BY name")]
        self.rep.addItems(names)
        self.rep.setCurrentText(default_import_rep(db, current_user))
        calls = "this call" if count == 1 else f"these {count} calls"
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Whose listening should {calls} be scored as? Type a new name to add someone."))
        form.addRow("Rep", self.rep)
        form.addRow(buttons)

    def chosen(self) -> str:
        return self.rep.currentText().strip()
