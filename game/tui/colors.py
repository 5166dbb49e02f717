"""Speaker colors that stay readable on whichever theme is in use.

Authors pick one color per character; on a pale theme a gold name would
vanish. The name is always written, so color only has to be legible, not
unique: we nudge it darker or lighter until it reaches a contrast ratio.
"""

from __future__ import annotations

from textual.color import Color, ColorParseError

MIN_CONTRAST = 4.0


def contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two colors (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: str, background: Color, minimum: float = MIN_CONTRAST) -> Color:
    """The author's color, blended toward black or white just enough to read on `background`."""
    try:
        wanted = Color.parse(color)
    except ColorParseError:
        wanted = Color.parse("#888888")
    target = Color(0, 0, 0) if _luminance(background) > 0.35 else Color(255, 255, 255)
    for step in range(11):
        candidate = wanted.blend(target, step / 10)
        if contrast(candidate, background) >= minimum:
            return candidate
    return target


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)
