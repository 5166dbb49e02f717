"""Read what a screen shows, widget by widget, as plain text (for pilot tests)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static

from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.scene_text import SceneText
from game.tui.widgets.transcript_view import TranscriptView


def text(widget: Widget) -> str:
    if isinstance(widget, SceneText):
        return "\n".join(widget.written(index) for index in range(widget.told))
    if isinstance(widget, Static | Label):
        return str(widget.content)
    return str(widget.render())


def all_text(screen: Screen[Any]) -> str:
    """Every Static, Label and story line on the screen, one per line, in order; plus option prompts."""
    parts = [text(w) for w in screen.query("*") if isinstance(w, Static | Label | SceneText) and w.display]
    for transcript in screen.query(TranscriptView):
        parts.extend(transcript.logical_lines)
    for options in screen.query(OptionList):
        parts.extend(str(option.prompt) for option in options.options)
    for choices in screen.query(ChoiceList):
        parts.extend(prompt.plain for prompt in choices.prompts)
    titles = [str(w.border_title) for w in screen.query("*") if w.border_title]
    subtitles = [str(w.border_subtitle) for w in screen.query("*") if w.border_subtitle]
    return "\n".join(parts + titles + subtitles)


def story_lines(screen: Screen[Any]) -> list[str]:
    """The current scene's lines told so far, as the player reads them: the name, then the words."""
    from game.tui.screens.play import PlayScreen

    assert isinstance(screen, PlayScreen)
    text = screen.scene_text
    return [text.written(index) for index in range(text.told)]


def option_texts(screen: Screen[Any], selector: str) -> list[str]:
    choices = screen.query_one(selector)
    if isinstance(choices, ChoiceList):
        return [prompt.plain for prompt in choices.prompts]
    return [str(option.prompt) for option in screen.query_one(selector, OptionList).options]
