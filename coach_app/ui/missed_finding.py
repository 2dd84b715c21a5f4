"""The trainer's "add a missed finding" dialog: what kind (good moments, then things to work on), in which rep
turn, and a note for the rep."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from coach_app.core import Finding, Transcript
from coach_app.scoring.kinds import KINDS, NEGATIVE_KINDS, NEUTRAL_KINDS, POSITIVE_KINDS, kind_label
from coach_app.ui.formatting import clock

GROUPS = (("Good", POSITIVE_KINDS), ("Needs work", NEGATIVE_KINDS), ("Neutral", NEUTRAL_KINDS))


class MissedFindingDialog(QDialog):
    def __init__(self, transcript: Transcript, at_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a missed finding")
        self.transcript = transcript
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of finding")
        model = self.kind.model()
        assert isinstance(model, QStandardItemModel)
        for group, kinds in GROUPS:
            self.kind.addItem(f"{group}:")  # a heading, not a choice
            model.item(self.kind.count() - 1).setEnabled(False)
            for kind in sorted(kinds, key=kind_label):
                self.kind.addItem(f"    {kind_label(kind)}", kind)
                self.kind.setItemData(self.kind.count() - 1, KINDS[kind], Qt.ItemDataRole.ToolTipRole)
        self.kind.setCurrentIndex(1)
        self.turn = QComboBox()
        self.turn.setAccessibleName("Turn")
        for index, turn in enumerate(transcript.turns):
            who = "Rep" if turn.speaker == "rep" else "Customer"
            self.turn.addItem(f"{clock(turn.start_s)} {who}: {turn.text[:70]}", index)
        self.turn.setCurrentIndex(self._nearest_rep_turn(at_s))
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

    def _nearest_rep_turn(self, at_s: float) -> int:
        """Findings are about what the rep did: the rep turn nearest the moment (any turn if the rep never spoke)."""
        turns = self.transcript.turns
        candidates = [i for i, t in enumerate(turns) if t.speaker == "rep"] or list(range(len(turns)))
        return min(candidates, key=lambda i: abs(turns[i].start_s - at_s), default=0)

    def finding(self) -> Finding:
        kind = self.kind.currentData()
        index = self.turn.currentData()
        turn = self.transcript.turns[index]
        reason = self.note.text().strip() or "Added by the trainer."
        return Finding(kind, index, turn.start_s, turn.end_s, turn.text[:160], reason, KINDS[kind])
