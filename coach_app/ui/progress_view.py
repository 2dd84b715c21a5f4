"""Progress: a rep's score trends, skill radar and behaviour counts (matplotlib), bests, streaks and goals."""

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coach_app import session
from coach_app.errors import CoachError
from coach_app.scoring.kinds import kind_label
from coach_app.storage.goals import add_goal, remove_goal
from coach_app.storage.progress import Progress
from coach_app.ui.error_dialog import show_error
from coach_app.ui.formatting import PERIODS, plural, since
from coach_app.ui.names import scenario_title
from coach_app.ui.state import AppState
from coach_app.ui.tasks import run_task
from coach_app.ui.team_view import TeamView
from coach_app.ui.widgets.task_panel import TaskPanel

GOAL_ROLE = Qt.ItemDataRole.UserRole


class ProgressScreen(QWidget):
    """Reloads when shown and whenever sessions change; `charts_shown` fires when the charts are drawn."""

    charts_shown = Signal()

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.progress: Progress | None = None
        self.rep = QComboBox()
        self.rep.setAccessibleName("Rep")
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Rep"))
        filters.addWidget(self.rep, 2)
        filters.addWidget(QLabel("Period"))
        filters.addWidget(self.period, 1)
        filters.addWidget(QLabel("Scenario"))
        filters.addWidget(self.scenario, 2)
        filters.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("progressSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.goals = QListWidget()
        self.goals.setAccessibleName("Goals")
        self.goals.setWordWrap(True)
        self.goal_edit = QLineEdit()
        self.goal_edit.setAccessibleName("New goal")
        self.goal_edit.setPlaceholderText("New goal, e.g. “2+ reflections per call” or “median pause ≥ 0.8 s”")
        self.goal_edit.returnPressed.connect(self.add_goal)
        add_button = QPushButton("Add goal")
        add_button.clicked.connect(self.add_goal)
        remove_button = QPushButton("Remove goal")
        remove_button.clicked.connect(self.remove_goal)
        goal_buttons = QHBoxLayout()
        goal_buttons.addWidget(add_button)
        goal_buttons.addWidget(remove_button)
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(self.summary)
        side_column.addWidget(QLabel("<b>Goals</b>"))
        side_column.addWidget(self.goals, 1)
        side_column.addWidget(self.goal_edit)
        side_column.addLayout(goal_buttons)

        self.charts = QTabWidget()
        self.charts.setAccessibleName("Charts")
        self.empty = QLabel("No sessions yet for this rep and period. Practise a call or import one in the Library.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.charts)
        self.splitter.addWidget(side)
        self.splitter.setSizes([760, 340])
        self.saved_layout = {"splitter": self.splitter}
        self.tasks = TaskPanel()
        rep_page = QWidget()
        column = QVBoxLayout(rep_page)
        column.addLayout(filters)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.empty)
        column.addWidget(self.tasks)
        self.team = TeamView(state)
        self.team.rep_chosen.connect(self.open_rep)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Progress of one rep or the team")
        self.pages.addTab(rep_page, "Rep")
        self.pages.addTab(self.team, "Team")
        self.pages.currentChanged.connect(self._page_changed)
        QVBoxLayout(self).addWidget(self.pages)
        self.empty.hide()
        self.rep.currentIndexChanged.connect(self.reload)
        self.period.currentIndexChanged.connect(self.reload)
        self.scenario.currentIndexChanged.connect(self.reload)
        state.sessions_changed.connect(self.activated)

    def open_rep(self, rep: str) -> None:
        """Show one rep's progress (a rep chosen on the Team page)."""
        self.rep.setCurrentText(rep)
        self.pages.setCurrentIndex(0)

    def _page_changed(self, index: int) -> None:
        if self.pages.widget(index) is self.team:
            self.team.reload()

    def activated(self) -> None:
        if self.pages.currentWidget() is self.team:
            self.team.reload()
        current = self.rep.currentText() or self.state.settings.rep_name
        names = [name for (name,) in self.state.db.execute("SELECT name FROM people ORDER BY name")]
        self.rep.blockSignals(True)
        self.rep.clear()
        self.rep.addItems(names)
        if current in names:
            self.rep.setCurrentText(current)
        self.rep.blockSignals(False)
        self._fill_scenarios()
        self.reload()

    def _fill_scenarios(self) -> None:
        """All calls, or only those practised with one scenario (by its title)."""
        current = self.scenario.currentData()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        self.scenario.addItem("All calls", None)
        for (scenario_id,) in self.state.db.execute(
            "SELECT DISTINCT scenario FROM sessions WHERE scenario IS NOT NULL ORDER BY scenario"
        ):
            self.scenario.addItem(scenario_title(scenario_id), scenario_id)
        self.scenario.setCurrentIndex(max(0, self.scenario.findData(current)))
        self.scenario.blockSignals(False)

    def reload(self) -> None:
        rep = self.rep.currentText()
        if not rep:
            self._show(None, ())
            return
        if self.tasks.busy:
            self.tasks.cancel()
        handle = run_task(
            session.progress_charts,
            rep,
            since(self.period.currentData()),
            self.scenario.currentData(),
            on_done=self._loaded,
            parent=self,
        )
        self.tasks.follow(handle, f"Loading the progress of {rep}…")

    def _loaded(self, result) -> None:
        progress, figures = result
        self._show(progress, figures)

    def _show(self, progress: Progress | None, figures) -> None:
        self.progress = progress
        current = self.charts.currentIndex()
        while self.charts.count():
            widget = self.charts.widget(0)
            self.charts.removeTab(0)
            widget.deleteLater()
        for title, figure in figures:
            canvas = FigureCanvasQTAgg(figure)
            canvas.setAccessibleName(f"{title} chart")
            self.charts.addTab(canvas, title)
        self.charts.setCurrentIndex(max(0, current))
        has_data = progress is not None and bool(progress.session_ids)
        self.empty.setText(self.empty_message())
        self.splitter.setVisible(has_data)
        self.empty.setVisible(not has_data)
        self._show_summary()
        self.charts_shown.emit()

    def empty_message(self) -> str:
        """Why nothing shows, naming the filter that narrowed it down and what to change."""
        rep = self.rep.currentText()
        if not rep:
            return "No sessions yet. Practise a call, or import one in the Library."
        if self.scenario.currentData() is not None:
            period = "" if self.period.currentData() is None else f" in the {self.period.currentText().lower()}"
            return (
                f"{rep} has no sessions of the scenario “{self.scenario.currentText()}”{period}: "
                "choose “All calls” under Scenario to see the others."
            )
        if self.period.currentData() is not None:
            return f"{rep} has no sessions in the {self.period.currentText().lower()}: choose “All time” under Period."
        return f"{rep} has no sessions yet. Practise a call, or import one in the Library."

    def _show_summary(self) -> None:
        progress = self.progress
        self.goals.clear()
        if progress is None or not progress.session_ids:
            self.summary.clear()
            return
        labels = progress.dimension_labels
        lines = [
            f"<b>{len(progress.session_ids)}</b> sessions · latest overall <b>{progress.overall[-1]}</b>",
            f"Streak: {plural(progress.current_streak_days, 'day')} "
            f"(longest {plural(progress.longest_streak_days, 'day')})",
        ]
        if progress.weakest_this_week:
            key, mean = progress.weakest_this_week
            lines.append(f"Work on this week: <b>{labels.get(key, key)}</b> (mean {mean:.0f})")
        bests = ", ".join(f"{labels.get(k, k)} {score}" for k, (score, _id) in progress.personal_bests.items())
        if bests:
            lines.append(f"Personal bests: {bests}")
        if progress.most_missed:
            missed = ", ".join(f"{kind_label(kind)} ({n})" for kind, n in progress.most_missed)
            lines.append(f"Most often missed: {missed}")
        self.summary.setText("<br>".join(lines))
        for goal_progress in progress.goals:
            goal = goal_progress.goal
            mark = "✓" if goal_progress.met_latest else "•"
            item = QListWidgetItem(
                f"{mark} {goal.label}: met in {goal_progress.met_recent} of the last {goal_progress.recent} sessions"
            )
            item.setData(GOAL_ROLE, goal.id)
            self.goals.addItem(item)

    def add_goal(self) -> None:
        text = self.goal_edit.text().strip()
        rep = self.rep.currentText()
        if not text or not rep:
            return
        try:
            add_goal(self.state.db, rep, text)
        except CoachError as exc:
            show_error(self, exc)
            return
        self.goal_edit.clear()
        self.reload()

    def remove_goal(self) -> None:
        item = self.goals.currentItem()
        if item is not None:
            remove_goal(self.state.db, item.data(GOAL_ROLE))
            self.reload()
