"""Progress → Team: one row per rep (sessions, mean scores, trend, weakest skill against the team) and, for
trainers, how often they corrected each kind of finding. Clicking a rep opens their progress."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach_app import session
from coach_app.storage.team import Team
from coach_app.ui.formatting import PERIODS, since
from coach_app.ui.state import AppState
from coach_app.ui.tasks import TaskHandle, run_task

REP_ROLE = Qt.ItemDataRole.UserRole


class _Number(QTableWidgetItem):
    """A read-only cell that sorts by its number."""

    def __init__(self, text: str, value: float) -> None:
        super().__init__(text)
        self.value = value
        self.setFlags(self.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.value < other.value if isinstance(other, _Number) else super().__lt__(other)


class TeamView(QWidget):
    """`rep_chosen(name)` when a rep's row is activated; `loaded` when the tables show fresh data."""

    rep_chosen = Signal(str)
    loaded = Signal()

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.team: Team | None = None
        self._handle: TaskHandle | None = None
        self.period = QComboBox()
        self.period.setAccessibleName("Team period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.period.currentIndexChanged.connect(self.reload)
        self.reps = QTableWidget(0, 0)
        self.reps.setObjectName("teamTable")
        self.reps.setAccessibleName("Reps")
        self.reps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.reps.verticalHeader().hide()
        self.reps.itemActivated.connect(lambda item: self.rep_chosen.emit(item.data(REP_ROLE)))
        self.calibration_title = QLabel("<b>Calibration</b>: how often trainers corrected each kind of finding")
        self.calibration = QTableWidget(0, 5)
        self.calibration.setObjectName("calibrationTable")
        self.calibration.setAccessibleName("Calibration of the findings")
        self.calibration.setHorizontalHeaderLabels(("Finding", "Found", "Marked wrong", "Share wrong", "Added"))
        self.calibration.verticalHeader().hide()
        self.calibration.setSortingEnabled(True)
        self.calibration.sortItems(2, Qt.SortOrder.DescendingOrder)  # most often marked wrong first
        self.empty = QLabel("No sessions in this period: import a folder of calls in the Library.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Period"))
        filters.addWidget(self.period)
        filters.addStretch(1)
        filters.addWidget(QLabel("Double-click a rep to open their progress."))
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(self.reps, 3)
        column.addWidget(self.empty)
        column.addWidget(self.calibration_title)
        column.addWidget(self.calibration, 2)
        for header in (self.reps.horizontalHeader(), self.calibration.horizontalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        state.settings_changed.connect(lambda _settings: self._show_calibration())
        self._show_calibration()

    def reload(self) -> None:
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()
        self._handle = run_task(
            session.team_overview, since(self.period.currentData()), on_done=self._show, parent=self
        )

    def _show(self, team: Team) -> None:
        self.team = team
        keys = list(team.dimension_labels)
        headers = ["Rep", "Sessions", "Overall", *(team.dimension_labels[k] for k in keys), "Trend", "Weakest"]
        self.reps.setSortingEnabled(False)
        self.reps.clear()
        self.reps.setColumnCount(len(headers))
        self.reps.setHorizontalHeaderLabels(headers)
        self.reps.setRowCount(len(team.reps))
        for row, rep in enumerate(team.reps):
            name = QTableWidgetItem(rep.rep)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cells = [
                name,
                _Number(str(rep.sessions), rep.sessions),
                _Number(f"{rep.mean_overall:.0f}", rep.mean_overall),
            ]
            for key in keys:
                value = rep.dimensions.get(key)
                cells.append(_Number("—" if value is None else f"{value:.0f}", -1 if value is None else value))
            cells.append(_Number("—" if rep.trend is None else f"{rep.trend:+.0f}", rep.trend or 0))
            weakest = "—"
            if rep.weakest is not None:
                median = team.team_median[rep.weakest]
                weakest = f"{team.dimension_labels[rep.weakest]} ({rep.weakest_gap:+.0f} vs team {median:.0f})"
            cells.append(QTableWidgetItem(weakest))
            for column, cell in enumerate(cells):
                cell.setData(REP_ROLE, rep.rep)
                self.reps.setItem(row, column, cell)
        self.reps.setSortingEnabled(True)
        self.reps.setVisible(bool(team.reps))
        self.empty.setVisible(not team.reps)
        self.calibration.setSortingEnabled(False)
        self.calibration.setRowCount(len(team.calibration))
        for row, kind in enumerate(team.calibration):
            share = kind.wrong_share
            cells = (
                QTableWidgetItem(kind.kind.replace("_", " ")),
                _Number(str(kind.automatic), kind.automatic),
                _Number(str(kind.marked_wrong), kind.marked_wrong),
                _Number("—" if share is None else f"{share:.0%}", -1 if share is None else share),
                _Number(str(kind.added_missed), kind.added_missed),
            )
            for column, cell in enumerate(cells):
                self.calibration.setItem(row, column, cell)
        self.calibration.setSortingEnabled(True)
        self.loaded.emit()

    def _show_calibration(self) -> None:
        """The calibration is for trainers reviewing the rubric and detectors; reps see only the team table."""
        trainer = self.state.settings.role == "trainer"
        self.calibration_title.setVisible(trainer)
        self.calibration.setVisible(trainer)
