"""Long runs, left to `make test-long` (marked `long`, deselected from `make test`)."""

from __future__ import annotations

import pytest

from game.engine.autoplay import autoplay
from game.engine.engine import Engine
from game.story.model import Story


@pytest.mark.long
def test_ten_thousand_seeded_playthroughs_of_the_shipped_story_end_and_reach_every_ending(story: Story) -> None:
    report = autoplay(Engine(story), runs=10_000)  # the default run of `archer autoplay story`
    assert report.ok, (report.stuck, report.too_long, report.crashed)
    assert set(report.endings) == set(story.endings)
