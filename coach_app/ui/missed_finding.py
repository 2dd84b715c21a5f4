"""The trainer's "add a missed finding" dialog: what kind, in which turn, and a note for the rep."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from coach_app.core import Finding, Transcript
from coach_app.scoring.kinds import KINDS


class MissedFindingDialog(QDialog):
    def __init__(self, transcript: Transcript, at_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a missed finding")
        self.transcript = transcript
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of finding")
        for kind, meaning in sorted(KINDS.items()):
            self.kind.addItem(kind.replace("_", " "), kind)
            self.kind.setItemData(self.kind.count() - 1, meaning, Qt.ItemDataRole.ToolTipRole)
        self.turn = QComboBox()
        self.turn.setAccessibleName("Turn")
        for index, turn in enumerate(transcript.turns):
            self.turn.addItem(
                f"{int(turn.start_s // 60)}:{int(turn.start_s % 60):02d} {turn.speaker}: {turn.text[:70]}", index
            )
        nearest = min(range(len(transcript.turns)), key=lambda i: abs(transcript.turns[i].start_s - at_s), default=0)
        self.turn.setCurrentIndex(nearest)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note for the rep")
        self.note.setPlaceholderText("Why it counts (shown to the rep)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Kind", self.kind)
        form.addRow("Turn", self.turn)
        form.addRow("Note", self.note)
        form.addRow(buttons)

    def finding(self) -> Finding:
        kind = self.kind.currentData()
        index = self.turn.currentData()
        turn = self.transcript.turns[index]
        reason = self.note.text().strip() or "Added by the trainer."
        return Finding(kind, index, turn.start_s, turn.end_s, turn.text[:160], reason, KINDS[kind])
