"""Every speaker's name stays readable on every one of Archer's themes."""

from __future__ import annotations

import pytest
from textual.color import Color

from game.story.model import Story
from game.tui.colors import MIN_CONTRAST, contrast, readable
from game.tui.themes import ARCHER_THEMES


@pytest.mark.parametrize("theme", ARCHER_THEMES, ids=lambda t: t.name)
def test_every_character_color_reads_on_the_theme(story: Story, lighthouse: Story, theme: object) -> None:
    background = Color.parse(theme.background)  # type: ignore[attr-defined]
    for character in [*story.characters.values(), *lighthouse.characters.values()]:
        assert contrast(readable(character.color, background), background) >= MIN_CONTRAST, character.id


def test_a_color_that_already_reads_is_left_alone() -> None:
    assert readable("#ffffff", Color.parse("#000000")) == Color.parse("#ffffff")


def test_gold_on_paper_is_darkened_and_navy_on_night_is_lightened() -> None:
    paper, night = Color.parse("#f5efe6"), Color.parse("#0a0d18")
    assert readable("#c9a227", paper).brightness < Color.parse("#c9a227").brightness
    assert readable("#1a237e", night).brightness > Color.parse("#1a237e").brightness


def test_a_color_that_cannot_be_parsed_still_gives_something_readable() -> None:
    night = Color.parse("#0a0d18")
    assert contrast(readable("not-a-color", night), night) >= MIN_CONTRAST


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert contrast(Color(10, 10, 10), Color(10, 10, 10)) == pytest.approx(1.0)
