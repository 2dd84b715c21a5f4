"""The practice calls to choose from (partner practice first, then the scenarios, easiest first) and the brief."""

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from coach_app.scenarios.catalog import list_scenarios
from coach_app.scenarios.model import Scenario

SCENARIO_ROLE = Qt.ItemDataRole.UserRole
PARTNER_BRIEF = (
    "<h3>Partner practice</h3><p>A colleague plays the customer beside you; one microphone hears you both and the "
    "app tells your voices apart. Press <b>Record</b> (Space), talk, then press Stop.</p>"
)


class ScenarioPicker(QWidget):
    """Emits `chosen(scenario)` (None for partner practice) when the selection changes."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("scenarioList")
        self.list.setAccessibleName("Scenarios")
        self.list.addItem("Partner practice — two people, one microphone")
        for scenario in list_scenarios():
            item = QListWidgetItem(f"{scenario.title}  ·  {scenario.difficulty}")
            item.setData(SCENARIO_ROLE, scenario)
            item.setToolTip(scenario.domain)
            self.list.addItem(item)
        self.brief = QTextBrowser()
        self.brief.setAccessibleName("Brief")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Choose a call to practise"))
        column.addWidget(self.list, 3)
        column.addWidget(self.brief, 2)
        self.list.currentItemChanged.connect(self._show_brief)

    def selected(self) -> Scenario | None:
        item = self.list.currentItem()
        value = item.data(SCENARIO_ROLE) if item is not None else None
        return value if isinstance(value, Scenario) else None

    def _show_brief(self) -> None:
        scenario = self.selected()
        if scenario is None:
            self.brief.setHtml(PARTNER_BRIEF)
        else:
            self.brief.setHtml(
                f"<h3>{html.escape(scenario.title)}</h3><p><i>{html.escape(scenario.domain)} · "
                f"{scenario.difficulty}</i></p><p>{html.escape(scenario.brief)}</p>"
                f"<p>Customer: <b>{html.escape(scenario.persona.name)}</b></p>"
            )
        self.chosen.emit(scenario)
