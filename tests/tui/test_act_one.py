"""A player plays Act 1 of the real story through the TUI, by key presses alone,
and at every step the screen shows what the engine says it should.

Act 1 is the story's first beat: it ends when a choice opens the second one
(its chapter card, then its first scene). The route is found with the engine
(see route.py), so edits to the story's words do not break this test.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from game.engine.casebook import casebook, suspects_board
from game.engine.engine import Engine
from game.story.model import VOICEOVER, Story
from game.tui.app import ArcherApp
from game.tui.screens.casebook import CasebookScreen, found_where
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.suspects import SuspectsScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.scene_header import SceneHeader

from route import plan
from screen_text import all_text, option_texts, story_lines

STORY_DIR = Path(__file__).resolve().parents[2] / "story"
# Scenes the run passes through (ids are stabler than words): a clue in the
# director's office, one on the roof, and Cassie's locker.
WAYPOINTS = ["office_report", "roof_gravel", "locker_open"]


def assert_shows_current_scene(app: ArcherApp) -> None:
    """The play screen shows the engine's view: heading, every line with its speaker's name, the choices."""
    screen = app.screen
    assert isinstance(screen, PlayScreen)
    assert app.playthrough is not None
    view = app.playthrough.view
    header = screen.query_one(SceneHeader)
    assert (header.scene_title, header.place, header.beat_title) == (
        view.scene.title,
        view.scene.place,
        view.beat.title,
    )
    heading = "\n".join(row.plain for row in header.rows(80))
    assert all(part in heading for part in (view.scene.title, view.scene.place, view.beat.title))
    shown = story_lines(screen)
    assert len(shown) == len(view.lines)
    assert screen.scene_text.complete, "with animations off, every line is shown in full"
    previous = ""
    for rendered, line in zip(shown, view.lines, strict=True):
        assert rendered.endswith(line.text)
        name = app.story.speaker_name(line.speaker)
        if name and not (line.speaker == VOICEOVER and previous == VOICEOVER):
            assert rendered.startswith(name), f"{name!r} must be written, not only colored"
        previous = line.speaker
    assert option_texts(screen, "#choices") == [f"{n}  {c.text}" for n, c in enumerate(view.choices, 1)]


async def press_choice(pilot: Pilot[int], app: ArcherApp, key: str) -> None:
    """Press the number the engine gives the choice with this key, now."""
    assert app.playthrough is not None
    keys = [choice.key for choice in app.playthrough.view.choices]
    assert key in keys, f"{key!r} is not on offer in {app.playthrough.state.scene}: {keys}"
    number = keys.index(key) + 1
    assert number <= 9
    await pilot.press(str(number))
    await pilot.pause()


async def test_a_player_plays_act_one_by_keys_and_sees_what_the_engine_says(story: Story) -> None:
    route = plan(Engine(story), WAYPOINTS, lambda after, _choice: after.beat != story.initial_beat)
    app = ArcherApp(story)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        assert story.content_note[:40] in all_text(app.screen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChapterCard), "a new game opens on the first chapter's card"
        first_beat = story.beats[story.initial_beat]
        assert first_beat.title in all_text(app.screen) and first_beat.card in " ".join(all_text(app.screen).split())
        await pilot.press("space")
        await pilot.pause()
        assert_shows_current_scene(app)
        assert app.playthrough is not None
        visited = [app.playthrough.state.scene]
        cards: list[str] = []
        for key in route:
            await press_choice(pilot, app, key)
            if isinstance(app.screen, ChapterCard):
                cards.append(app.screen.beat.name)
                assert app.screen.beat.title in all_text(app.screen)
                assert app.screen.beat.card in " ".join(all_text(app.screen).split())  # wrapped by the card
                await pilot.press("enter")
                await pilot.pause()
            assert_shows_current_scene(app)
            visited.append(app.playthrough.state.scene)
        second_beat = app.playthrough.state.beat
        assert second_beat != story.initial_beat
        assert cards == [second_beat], "entering the second beat shows its chapter card, once"
        assert [w for w in WAYPOINTS if w in visited] == WAYPOINTS

        # The casebook and the suspects board show what the engine derives from this run.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CasebookScreen)
        shown = all_text(app.screen)
        entries = casebook(story, app.playthrough.state)
        assert len(entries) >= 3, "the office, the roof and the locker each give a clue"
        for entry in entries:
            assert entry.clue.name in shown and entry.clue.description in shown
            assert f"Found: {found_where(entry)}" in shown
        assert "Found: The back stairs, the east stairwell" in shown, "no capital in mid-phrase (issue 13)"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SuspectsScreen)
        shown = all_text(app.screen)
        board = suspects_board(story, app.playthrough.state)
        assert any(file.known_count for file in board)
        for file in board:
            assert file.character.name in shown
            for aspect in ("motive", "means", "opportunity", "alibi"):
                if file.known(aspect):
                    assert f"{aspect.capitalize():<12}✓ {file.summary(aspect)}" in shown
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        shown = all_text(app.screen)
        assert story.scenes[story.start].lines[0].text in shown, "history holds the very first line"
        assert story.beats[second_beat].title in shown
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" in all_text(app.screen)
