"""The head of a reviewed session: its title, who and when, how a practice call ended, and the overall score."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from coach_app.storage.records import StoredSession
from coach_app.ui.formatting import clock
from coach_app.ui.names import outcome_text, source_label


class SessionHeader(QWidget):
    """Filled by `show_session`; a corrected overall score also shows the automatic one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setObjectName("reviewTitle")
        self.title_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.details_label = QLabel()
        self.overall_label = QLabel()
        self.overall_label.setObjectName("overallScore")
        self.overall_label.setStyleSheet("font-size: 22pt; font-weight: 700;")
        self.overall_label.setAccessibleName("Overall score")
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("practiceOutcome")
        self.outcome_label.setAccessibleName("How the practice call ended")
        self.outcome_label.setWordWrap(True)
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.details_label)
        titles.addWidget(self.outcome_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(titles, 1)
        row.addWidget(self.overall_label)

    def show_session(self, stored: StoredSession) -> None:
        summary, card = stored.summary, stored.scorecard
        self.title_label.setText(summary.title)
        when = summary.started_at.replace("T", " ")[:16]
        details = f"{summary.rep} · {when} · {clock(summary.duration_s)} · {source_label(summary.source)}"
        notice = card.extras.get("analysis_notice")  # the behaviour model was missing: rules-only findings
        self.details_label.setText(details + (" · rules-only analysis" if notice else ""))
        self.details_label.setToolTip(notice or "")
        outcome = outcome_text(card.extras)
        self.outcome_label.setText(outcome)
        self.outcome_label.setVisible(bool(outcome))
        corrected = stored.corrected is not None and summary.overall != summary.automatic_overall
        self.overall_label.setText(
            f"{card.overall}<small>/100</small>"
            + (f"  <small>(automatic {summary.automatic_overall})</small>" if corrected else "")
        )
        self.overall_label.setToolTip("Overall score, 0–100" + (", after trainer corrections" if corrected else ""))
