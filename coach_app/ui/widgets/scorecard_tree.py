"""The scorecard as a tree: each skill's score opens to the findings behind it; F8 steps through them in time."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from coach_app.core import Finding, Scorecard
from coach_app.ui.formatting import clock

FINDING_ROLE = Qt.ItemDataRole.UserRole
FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the stored finding's id, for corrections


def finding_label(finding: Finding) -> str:
    return f"{clock(finding.start_s)}  {finding.kind.replace('_', ' ')}: “{finding.quote}”"


class ScorecardTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorecard")
        self.setAccessibleName("Scorecard: each score opens to its evidence")
        self.setHeaderLabels(["Skill and evidence", "Score"])
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def show_scorecard(self, card: Scorecard, finding_ids: dict[Finding, int]) -> None:
        self.clear()
        for dimension in card.dimensions:
            item = QTreeWidgetItem([dimension.label, str(dimension.score)])
            item.setToolTip(0, dimension.explanation)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{dimension.label}: {dimension.score} of 100")
            for index in dimension.evidence:
                finding = card.findings[index]
                child = QTreeWidgetItem([finding_label(finding)])
                child.setData(0, FINDING_ROLE, finding)
                child.setData(0, FINDING_ID_ROLE, finding_ids.get(finding))
                child.setToolTip(0, f"{finding.reason}\nTip: {finding.tip}")
                item.addChild(child)
            if not dimension.evidence:
                item.addChild(QTreeWidgetItem(["No evidence in this conversation."]))
            self.addTopLevelItem(item)

    def finding_items(self) -> list[QTreeWidgetItem]:
        """Every finding row in time order (a finding may back several scores; each is listed once)."""
        rows, seen = [], set()
        for top in range(self.topLevelItemCount()):
            parent = self.topLevelItem(top)
            for index in range(parent.childCount()):
                child = parent.child(index)
                finding = child.data(0, FINDING_ROLE)
                if isinstance(finding, Finding) and finding not in seen:
                    seen.add(finding)
                    rows.append(child)
        return sorted(rows, key=lambda row: row.data(0, FINDING_ROLE).start_s)

    def step(self, step: int) -> None:
        """Select the next (`step` = 1) or previous (-1) finding in time, wrapping around."""
        rows = self.finding_items()
        if not rows:
            return
        current = self.currentItem()
        position = next((i for i, row in enumerate(rows) if row is current), -1 if step > 0 else len(rows))
        target = rows[(position + step) % len(rows)]
        self.setCurrentItem(target)
        self.scrollToItem(target)

    def current_finding(self) -> Finding | None:
        item = self.currentItem()
        finding = item.data(0, FINDING_ROLE) if item is not None else None
        return finding if isinstance(finding, Finding) else None

    def current_finding_id(self) -> int | None:
        item = self.currentItem()
        return item.data(0, FINDING_ID_ROLE) if item is not None else None
