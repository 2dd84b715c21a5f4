"""The scorecard as a tree: each skill opens to its starting score and the points every finding added or took
away (findings marked wrong stay, struck through); a skill with no evidence lists what would have earned points."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from coach_app.core import DimensionScore, Finding, Scorecard
from coach_app.scoring.kinds import KINDS, kind_label
from coach_app.ui.formatting import clock

FINDING_ROLE = Qt.ItemDataRole.UserRole
FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the stored finding's id, for corrections
DIMENSION_ROLE = Qt.ItemDataRole.UserRole + 2  # a skill row's rubric key
REJECTED_ROLE = Qt.ItemDataRole.UserRole + 3  # True on a finding marked wrong


@dataclass(frozen=True)
class RejectedFinding:
    """A finding a trainer marked wrong, shown struck through under the skills it used to count for."""

    finding: Finding
    finding_id: int
    dimensions: tuple[str, ...]
    note: str  # "marked wrong by Sam"


def finding_label(finding: Finding) -> str:
    return f"{clock(finding.start_s)}  {kind_label(finding.kind)}: “{finding.quote}”"


def signed(points: int) -> str:
    """`5` → `+5`, `-3` → `−3` (a real minus sign), `0` → `±0`."""
    return f"+{points}" if points > 0 else f"−{-points}" if points < 0 else "±0"


def example(kind: str) -> str:
    """The one-line meaning of a kind, for "what would have earned points" rows."""
    return KINDS.get(kind, "")


class ScorecardTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorecard")
        self.setAccessibleName("Scorecard: each score opens to its evidence")
        self.setHeaderLabels(["Skill and evidence", "Points"])
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def show_scorecard(
        self,
        card: Scorecard,
        finding_ids: Mapping[Finding, int],
        earnable: Mapping[str, Sequence[tuple[str, float]]] = {},  # noqa: B006 (read only)
        rejected: Sequence[RejectedFinding] = (),
        notes: Mapping[int, str] = {},  # noqa: B006 (read only): finding id → "added by Sam"
    ) -> None:
        """Fill the tree, keeping which skills were open and which finding was selected."""
        opened = self._opened_keys()
        selected = self.current_finding()
        self.clear()
        for dimension in card.dimensions:
            item = QTreeWidgetItem([dimension.label, str(dimension.score)])
            item.setData(0, DIMENSION_ROLE, dimension.dimension)
            item.setToolTip(0, self.dimension_summary(dimension))
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{dimension.label}: {dimension.score} of 100")
            self._fill_dimension(item, card, dimension, finding_ids, notes)
            for mark in rejected:
                if dimension.dimension in mark.dimensions:
                    item.addChild(self._rejected_row(mark))
            if not dimension.evidence:
                self._fill_earnable(item, earnable.get(dimension.dimension, ()))
            self.addTopLevelItem(item)
            item.setExpanded(dimension.dimension in opened)
        if selected is not None:
            row = next((r for r in self._all_finding_rows() if r.data(0, FINDING_ROLE) == selected), None)
            if row is not None:
                self.setCurrentItem(row)

    def _opened_keys(self) -> set[str]:
        return {
            self.topLevelItem(i).data(0, DIMENSION_ROLE)
            for i in range(self.topLevelItemCount())
            if self.topLevelItem(i).isExpanded()
        }

    @staticmethod
    def dimension_summary(dimension: DimensionScore) -> str:
        """One sentence: where the skill started and what moved it."""
        if dimension.base is None:
            return dimension.explanation
        moves = [item.points for item in dimension.items if item.points]
        if not moves:
            return f"Starts at {dimension.base}; nothing in this conversation changed it."
        gained, lost = sum(p for p in moves if p > 0), sum(p for p in moves if p < 0)
        parts = [f"starts at {dimension.base}"]
        if gained:
            parts.append(f"{signed(gained)} from good moments")
        if lost:
            parts.append(f"{signed(lost)} from moments to work on")
        return (", ".join(parts) + f" = {dimension.score}.").capitalize()

    def _fill_dimension(self, item, card, dimension, finding_ids, notes) -> None:
        if dimension.base is not None:
            start = QTreeWidgetItem(["Starting score", str(dimension.base)])
            start.setToolTip(0, "Every conversation starts here; the findings below add or take away points")
            start.setFlags(start.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            item.addChild(start)
        points = {entry.finding: entry.points for entry in dimension.items}
        for index in dimension.evidence:
            finding = card.findings[index]
            finding_id = finding_ids.get(finding)
            note = notes.get(finding_id, "") if finding_id is not None else ""
            label = finding_label(finding) + (f"  ({note})" if note else "")
            child = QTreeWidgetItem([label, signed(points[index]) if index in points else ""])
            child.setData(0, FINDING_ROLE, finding)
            child.setData(0, FINDING_ID_ROLE, finding_id)
            tip = f"{finding.reason}\nTip: {finding.tip}"
            if index in points and points[index] == 0:
                tip += "\nNo points: a repeat, or a kind this skill shows without scoring."
            child.setToolTip(0, tip)
            item.addChild(child)

    @staticmethod
    def _rejected_row(mark: RejectedFinding) -> QTreeWidgetItem:
        row = QTreeWidgetItem([f"{finding_label(mark.finding)}  ({mark.note})", "0"])
        font = row.font(0)
        font.setStrikeOut(True)
        row.setFont(0, font)
        row.setData(0, FINDING_ROLE, mark.finding)
        row.setData(0, FINDING_ID_ROLE, mark.finding_id)
        row.setData(0, REJECTED_ROLE, True)
        row.setToolTip(0, f"{mark.note.capitalize()}: it no longer counts. Ctrl+Z undoes the last correction.")
        row.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{finding_label(mark.finding)}, {mark.note}")
        return row

    @staticmethod
    def _fill_earnable(item: QTreeWidgetItem, earnable: Sequence[tuple[str, float]]) -> None:
        good = [(kind, points) for kind, points in earnable if points > 0]
        if not good:
            item.addChild(QTreeWidgetItem(["Nothing in this conversation moved this score."]))
            return
        header = QTreeWidgetItem(["No evidence yet. Points come from:"])
        item.addChild(header)
        for kind, points in sorted(good, key=lambda pair: -pair[1]):
            row = QTreeWidgetItem([f"{kind_label(kind)} — {example(kind)}", signed(round(points))])
            row.setToolTip(0, example(kind))
            item.addChild(row)

    def _all_finding_rows(self) -> list[QTreeWidgetItem]:
        rows = []
        for top in range(self.topLevelItemCount()):
            parent = self.topLevelItem(top)
            rows += [parent.child(i) for i in range(parent.childCount())]
        return [row for row in rows if isinstance(row.data(0, FINDING_ROLE), Finding)]

    def finding_items(self) -> list[QTreeWidgetItem]:
        """Every counted finding row in time order (a finding may back several scores; each is listed once)."""
        rows, seen = [], set()
        for row in self._all_finding_rows():
            finding = row.data(0, FINDING_ROLE)
            if not row.data(0, REJECTED_ROLE) and finding not in seen:
                seen.add(finding)
                rows.append(row)
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
        """The selected finding's stored id, if it still counts (a finding marked wrong can't be marked again)."""
        item = self.currentItem()
        if item is None or item.data(0, REJECTED_ROLE):
            return None
        return item.data(0, FINDING_ID_ROLE)
