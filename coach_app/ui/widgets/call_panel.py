"""A practice call as it happens: its lines so far, what is being heard now, how the customer feels, and a nudge
on the rep's latest turn."""

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from coach_app.scenarios.model import mood_name
from coach_app.ui.style import speaker_colour
from coach_app.ui.widgets.nudges import NudgeBar, nudge_for

if TYPE_CHECKING:
    from coach_app.scenarios.conversation import CallSnapshot


class CallPanel(QWidget):
    """`begin` a call, then `show_snapshot` each time it changes; `add_line` shows a line not yet in a snapshot."""

    def __init__(self, nudges_on: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.persona = ""
        self.shown_turns = 0  # the call's turns already shown
        self.call = QTextBrowser()
        self.call.setObjectName("callView")
        self.call.setAccessibleName("The call so far")
        self.partial = QLabel()
        self.partial.setWordWrap(True)
        self.partial.setAccessibleName("What is being heard now")
        self.partial.setProperty("secondary", True)
        self.mood = QLabel()
        self.mood.setAccessibleName("How the customer feels")
        self.nudge = NudgeBar()
        self.nudge.set_enabled_by_user(nudges_on)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.call, 1)
        column.addWidget(self.partial)
        column.addWidget(self.mood)
        column.addWidget(self.nudge)

    def begin(self, persona: str) -> None:
        """A new call with the customer `persona` (their name; "" in partner practice)."""
        self.persona = persona
        self.call.clear()
        self.nudge.hide()
        self.shown_turns = 0

    def add_line(self, speaker: str, text: str) -> None:
        colour = speaker_colour("customer" if speaker == "Customer" else "rep", self.call.palette()).name()
        self.call.append(f'<p><b style="color:{colour}">{speaker}:</b> {html.escape(text)}</p>')

    def add_note(self, text: str) -> None:
        self.call.append(f"<p><i>{html.escape(text)}</i></p>")

    def show_snapshot(self, snapshot: "CallSnapshot") -> None:
        """Append the turns the call gained since the last snapshot, and nudge on the latest rep turn's findings."""
        turns = snapshot.turns
        new_reps = [i for i in range(self.shown_turns, len(turns)) if turns[i].speaker == "rep"]
        for turn in turns[self.shown_turns :]:
            self.add_line("Customer" if turn.speaker == "customer" else "You", turn.text)
        if snapshot.outcome.resolved or snapshot.outcome.hung_up:
            self.nudge.hide()  # the call is over: no more advice
        elif new_reps:
            self.nudge.show_nudge(nudge_for([f for f in snapshot.findings if f.turn == new_reps[-1]]))
        self.shown_turns = len(turns)
        self.mood.setText(f"{self.persona} feels: <b>{mood_name(snapshot.mood)}</b>")

    def clear_status(self) -> None:
        """No call: nothing heard, no mood."""
        self.mood.clear()
        self.partial.clear()
