"""The app's look, derived from the system palette (light or dark): a visible focus ring on every control, and
text colours (hints, timestamps, speakers, banners) chosen to keep WCAG AA contrast (4.5:1) on their background."""

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

AA_TEXT = 4.5  # WCAG 2 AA, normal text
AA_LARGE = 3.0  # large text and the focus ring against its surroundings

# Hues of the app's accents; `readable` shifts their lightness until they meet the contrast target.
REP_HUE = QColor("#3b7dd8")
CUSTOMER_HUE = QColor("#8a63c7")
PRAISE_HUE = QColor("#3aa76d")
WARNING_HUE = QColor("#e0a526")


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1–21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(top: QColor, bottom: QColor, alpha: float) -> QColor:
    """`top` at `alpha` opacity over an opaque `bottom`."""
    return QColor.fromRgbF(
        top.redF() * alpha + bottom.redF() * (1 - alpha),
        top.greenF() * alpha + bottom.greenF() * (1 - alpha),
        top.blueF() * alpha + bottom.blueF() * (1 - alpha),
    )


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def readable(hue: QColor, background: QColor, target: float = AA_TEXT) -> QColor:
    """`hue`, darkened (on light backgrounds) or lightened (on dark ones) just enough to reach `target`."""
    towards = QColor("black") if luminance(background) > 0.2 else QColor("white")
    for step in range(21):
        colour = blend(towards, hue, step / 20)
        if contrast(colour, background) >= target:
            return colour
    return towards


def secondary_text(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """A quieter text colour (hints, timestamps) that still reads at 4.5:1 on the `role` background."""
    background = palette.color(role)
    return readable(blend(palette.color(QPalette.ColorRole.WindowText), background, 0.6), background)


def speaker_colour(speaker: str, palette: QPalette) -> QColor:
    """The rep's or the customer's name colour in call and transcript views (on the Base background)."""
    hue = REP_HUE if speaker == "rep" else CUSTOMER_HUE
    return readable(hue, palette.color(QPalette.ColorRole.Base))


def banner_colours(kind: str, palette: QPalette) -> tuple[QColor, QColor]:
    """(text, background) of a praise (green) or warning (amber) banner over the window background."""
    window = palette.color(QPalette.ColorRole.Window)
    background = blend(PRAISE_HUE if kind == "praise" else WARNING_HUE, window, 0.28)
    return readable(palette.color(QPalette.ColorRole.WindowText), background), background


def focus_ring(palette: QPalette) -> QColor:
    """The highlight colour, adjusted to stand out (3:1) from the window and from a control's base."""
    ring = palette.color(QPalette.ColorRole.Highlight)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        ring = readable(ring, palette.color(role), AA_LARGE)
    return ring


def stylesheet(palette: QPalette) -> str:
    """The app-wide stylesheet for `palette`: controls get a 2-pixel focus ring in the focus colour."""
    ring = focus_ring(palette).name()
    frame = blend(palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.35).name()
    secondary = secondary_text(palette).name()
    return f"""
QPushButton, QToolButton {{ border: 1px solid {frame}; border-radius: 4px; padding: 4px 12px; min-height: 20px; }}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {ring}; padding: 3px 11px; }}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox {{ border: 1px solid {frame}; border-radius: 3px; padding: 3px 5px; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus {{ border: 2px solid {ring}; padding: 2px 4px; }}
QAbstractItemView, QTextBrowser, QTextEdit, QPlainTextEdit {{ border: 1px solid {frame}; }}
QAbstractItemView:focus, QTextBrowser:focus, QTextEdit:focus, QPlainTextEdit:focus {{ border: 2px solid {ring}; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {ring}; }}
QSlider {{ border: 2px solid transparent; }}
QSlider:focus {{ border: 2px solid {ring}; }}
QTabBar::tab:focus {{ border: 2px solid {ring}; }}
QLabel[secondary="true"] {{ color: {secondary}; }}
"""


def apply(app: QApplication | None = None) -> None:
    """Style the application for its current palette (call again when the system palette changes)."""
    app = app or QApplication.instance()
    assert isinstance(app, QApplication)
    palette = readable_palette(app.palette())
    if palette != app.palette():
        app.setPalette(palette)
    app.setStyleSheet(stylesheet(palette))


def readable_palette(palette: QPalette) -> QPalette:
    """The system palette with its quieter pairs made readable: placeholder text, and selected rows' text on
    the selection colour (some themes pair white with a light blue)."""
    palette = QPalette(palette)
    palette.setColor(QPalette.ColorRole.PlaceholderText, secondary_text(palette, QPalette.ColorRole.Base))
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text = palette.color(group, QPalette.ColorRole.HighlightedText)
        selection = palette.color(group, QPalette.ColorRole.Highlight)
        palette.setColor(group, QPalette.ColorRole.Highlight, readable(selection, text))
    return palette


def dark_palette() -> QPalette:
    """A typical dark system palette (as KDE Breeze Dark or GNOME dark): for checks and screenshots."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2a2e32",
        QPalette.ColorRole.WindowText: "#fcfcfc",
        QPalette.ColorRole.Base: "#1b1e20",
        QPalette.ColorRole.AlternateBase: "#232629",
        QPalette.ColorRole.Text: "#fcfcfc",
        QPalette.ColorRole.Button: "#31363b",
        QPalette.ColorRole.ButtonText: "#fcfcfc",
        QPalette.ColorRole.Highlight: "#3daee9",
        QPalette.ColorRole.HighlightedText: "#fcfcfc",
        QPalette.ColorRole.ToolTipBase: "#31363b",
        QPalette.ColorRole.ToolTipText: "#fcfcfc",
        QPalette.ColorRole.PlaceholderText: "#a1a9b1",
        QPalette.ColorRole.Link: "#1d99f3",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#a1a9b1"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#a1a9b1"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#a1a9b1"))
    return palette


def light_palette() -> QPalette:
    """A typical light system palette (as KDE Breeze or Fusion): for checks and screenshots."""
    palette = QPalette(QColor("#efefef"), QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3daee9"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#5f6368"))
    return palette
