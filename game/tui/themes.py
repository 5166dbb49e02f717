"""Archer's own themes: a night one (the default) and a day one; Textual's built-ins stay available."""

from __future__ import annotations

from textual.theme import Theme

ARCHER_NIGHT = Theme(
    name="archer-night",
    primary="#e0567a",  # rose, a pointe-shoe ribbon under stage light
    secondary="#7f8fd1",  # moonlight on the roof
    accent="#d4a94f",  # gold leaf on a programme
    warning="#e5a83b",
    error="#e05252",
    success="#6cbf84",
    foreground="#e9e4ef",
    background="#0a0d18",
    surface="#111628",
    panel="#1a2038",
    dark=True,
    variables={
        "footer-key-foreground": "#d4a94f",
        "block-cursor-background": "#e0567a",
        "block-cursor-foreground": "#0a0d18",
        "input-selection-background": "#e0567a 35%",
    },
)

ARCHER_DAY = Theme(
    name="archer-day",
    primary="#a3284f",  # deep rose ink
    secondary="#3b5597",
    accent="#8a5d00",  # old gold, dark enough to read on paper
    warning="#9a5b00",
    error="#b3261e",
    success="#2e7d32",
    foreground="#2a2233",
    background="#f5efe6",  # programme paper
    surface="#fbf7f0",
    panel="#e9dfd1",
    dark=False,
    variables={
        "footer-key-foreground": "#a3284f",
        "block-cursor-background": "#a3284f",
        "block-cursor-foreground": "#fbf7f0",
    },
)

ARCHER_THEMES = (ARCHER_NIGHT, ARCHER_DAY)
