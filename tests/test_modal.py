"""The quick proof of 'no soft-lock' on an abstraction (game.engine.modal): it never claims a story free of
soft-locks that the engine's whole-state search finds stuck, and it proves the shipped story in its budget."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from test_proof import many_rooms, rich_stories, small_stories, story_of

from game.engine.compact import CompactStory, Key, NotCompiled, State
from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.engine.liveness import Liveness
from game.engine.modal import TRIES, droppable, prove, prove_no_soft_lock
from game.story.conditions import Effect, parse_condition
from game.story.model import Blank, Choice, Clue, Deduction, Scene, Story

from support import WriteStory, archer


def choice(key: str, goto: str | None = None, *, ending: str | None = None, **more: object) -> Choice:
    fields: dict[str, object] = {"condition": None, "once": False, "effects": (), "trigger": None, **more}
    return Choice(key=key, text=key, goto=goto, ending=ending, at="gen.yaml:1", **fields)  # type: ignore[arg-type]


def scene(sid: str, *choices: Choice) -> Scene:
    return Scene(sid, "only", sid, "", (), (), choices, "gen.yaml:1")


def with_key(story: Story) -> Story:
    return replace(story, clues={"key": Clue("key", "KEY", "", {}, "gen.yaml:1")})


def full_traps(story: Story) -> int:
    full = explore(Engine(story), budget=Budget(seconds=None), analysis="none")
    assert full.complete
    return len(full.traps)


def test_a_move_whose_guard_reads_a_dropped_clue_is_not_a_must_move() -> None:
    """The hall's only way out needs the key, which the player may have skipped: stuck. Read as if the
    guard held in every state the abstract hall stands for, the proof would call the story sound."""
    gain = (Effect("gain", "key"),)
    story = with_key(
        story_of(
            {
                "s0": scene("s0", choice("take the key", "hall", effects=gain), choice("walk past", "hall")),
                "hall": scene(
                    "hall", choice("open the door", ending="win", condition=parse_condition("has(key)", set()))
                ),
            }
        )
    )
    assert full_traps(story) == 1
    quick = prove_no_soft_lock(story)
    assert quick.complete and not quick.proven and "hall" in quick.unproven_scenes
    assert quick.dropped > 0, "the key is dropped: the test is about a guard on a dropped bit"


def test_a_move_whose_guard_reads_a_dropped_clue_may_happen() -> None:
    """The cellar, a dead end, is behind a guard on the key: the abstraction must go there too."""
    gain = (Effect("gain", "key"),)
    story = with_key(
        story_of(
            {
                "s0": scene("s0", choice("take the key", "hall", effects=gain), choice("walk past", "hall")),
                "hall": scene(
                    "hall",
                    choice("leave", ending="win"),
                    choice("unlock the cellar", "cellar", condition=parse_condition("has(key)", set())),
                ),
                "cellar": scene("cellar"),
            }
        )
    )
    assert full_traps(story) == 1
    quick = prove_no_soft_lock(story)
    assert "cellar" in quick.scenes and not quick.proven


def test_a_guard_every_completion_satisfies_some_way_is_proven() -> None:
    """With the key or without it, the hall has a way out: proven, though the key is dropped."""
    key = parse_condition("has(key)", set())
    no_key = parse_condition("not has(key)", set())
    gain = (Effect("gain", "key"),)
    story = with_key(
        story_of(
            {
                "s0": scene("s0", choice("take the key", "hall", effects=gain), choice("walk past", "hall")),
                "hall": scene(
                    "hall",
                    choice("unlock", ending="win", condition=key),
                    choice("climb", ending="lose", condition=no_key),
                ),
            }
        )
    )
    assert full_traps(story) == 0
    quick = prove_no_soft_lock(story)
    assert quick.proven and quick.dropped > 0


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_the_abstraction_never_proves_a_story_the_whole_search_finds_stuck(story: Story) -> None:
    check_against_the_whole_search(story)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(rich_stories())
def test_the_abstraction_never_proves_a_rich_story_the_whole_search_finds_stuck(story: Story) -> None:
    """Deductions, evidence questions, beat triggers, characters met by lines with conditions, words."""
    check_against_the_whole_search(story)


def check_against_the_whole_search(story: Story) -> None:
    full = explore(Engine(story), budget=Budget(seconds=None), analysis="none")
    quick = prove_no_soft_lock(story)
    assert full.complete and quick.complete
    if quick.why:
        assert quick.why == "nothing to drop" and not quick.proven
        return
    if full.traps:
        assert not quick.proven, [t.scenes for t in full.traps]
    assert full.scenes <= quick.scenes, "every scene a player can reach is may-reached"
    assert full.endings <= quick.endings, "and every ending"


def test_the_shipped_story_is_proven_free_of_soft_locks_within_the_default_budget(story: Story) -> None:
    quick = prove_no_soft_lock(story, seconds=2.0)
    assert quick.proven, quick.unproven_scenes
    assert quick.states < 10_000  # what `archer check story` says: tests/test_check.py


def test_the_abstraction_within_its_budget_proves_nothing_when_it_runs_out(story: Story) -> None:
    by_memory = prove_no_soft_lock(story, megabytes=0)
    by_time = prove_no_soft_lock(story, seconds=0.0)
    for cut in (by_memory, by_time):
        assert not cut.complete and not cut.proven


def test_what_a_blank_can_be_filled_with_is_tried_both_ways() -> None:
    """The accusation is the only way on, and its one blank offers the clues held: a player who walked
    past the key has nothing to fill it with, so the choice is not on offer and they are stuck. Read as
    if every group of items were held, the abstraction would offer it and call the story sound."""
    gain = (Effect("gain", "key"),)
    blank = Blank("what", "clues", (), frozenset({"key"}), "gen.yaml:1")
    deduction = Deduction("d", "D", "{what}", (blank,), 0, (), (), "gen.yaml:1")
    story = with_key(
        story_of(
            {
                "s0": scene("s0", choice("take the key", "s1", effects=gain), choice("walk past", "s1")),
                "s1": scene("s1", choice("accuse", "s2", deduce="d")),
                "s2": scene("s2", choice("leave", ending="win")),
            }
        )
    )
    story = replace(story, deductions={"d": deduction})
    assert full_traps(story) == 1
    quick = prove_no_soft_lock(story)
    assert quick.complete and not quick.proven and "s1" in quick.unproven_scenes


def test_check_names_a_scene_no_abstract_playthrough_reaches_though_the_exact_search_was_cut(
    make_story: WriteStory,
) -> None:
    files = many_rooms(14, read_late=True)  # too many states for the exact search's 2 s
    files["scenes/hub.yaml"] = files["scenes/hub.yaml"].replace(
        "    - say: Leave\n",
        "    - say: Open the vault\n      if: has(ledger) and not has(ledger)\n      goto: vault\n    - say: Leave\n",
    )
    files["scenes/vault.yaml"] = "vault:\n  beat: search\n  title: Vault\n  choices:\n    - say: Out\n      goto: hub\n"
    report = archer("check", str(make_story(files)))
    assert "cut short by its budget" in report.stderr and "no soft-lock: proven on an abstraction" in report.stderr
    assert "scene 'vault' is never reached in any playthrough" in report.stdout, report.stdout
    assert report.stdout.count("is never reached in any playthrough") == 1, report.stdout


# The abstraction relies on compact.py's layout (a state is one int; clue_bit, once_bit and flag_bit hold
# absolute bits of it, apart from the scene, beat, view, deductions and counts) and on what a state's view is
# worked out from (CompactStory.view_bits). The tests below check both on the compiled story itself: if
# compact.py changes either, they fail here rather than letting the abstraction prove a story unsound.


def compiled_states(compact: CompactStory, most: int) -> list[State | tuple[str]]:
    """The compiled story's own reachable states, endings included, breadth first (at most about `most`)."""
    start = compact.start()
    keys: set[Key] = {compact.key(start)}
    found: list[State | tuple[str]] = [start]
    for state in found:  # (grows as it goes)
        if isinstance(state, tuple) or len(found) >= most:
            continue
        for _, after in compact.moves(state):
            key = compact.key(after)
            if key not in keys:
                keys.add(key)
                found.append(after)
    return found


def fields_of(compact: CompactStory) -> int:
    """The bits of the parts of a state no abstraction may drop: scene, beat, view, deductions, counts."""
    bits = compact.scene_mask << compact.scene_shift | compact.beat_mask << compact.beat_shift
    bits |= compact.view_mask << compact.view_shift
    for (wrong, wrong_mask), (attempts, attempts_mask) in compact.deduction_fields:
        bits |= wrong_mask << wrong | attempts_mask << attempts
    for number in compact.counts:
        bits |= number.mask << number.shift
    return bits


def check_every_compiled_state_is_covered(story: Story, most: int = 100_000) -> None:
    """Each abstraction of TRIES may-reaches the image (`state & ~mask`) of every state the compiled
    story reaches, and drops no bit of the fields every state keeps."""
    try:
        compact = CompactStory(story, Liveness(story))
    except NotCompiled:
        return
    for kinds in TRIES:
        seen: set[Key] = set()
        result = prove(compact, droppable(compact, kinds), seen=seen)
        assert result.complete
        assert not result.mask & fields_of(compact), "a dropped bit lies in the scene, beat, view, deductions or counts"
        for state in compiled_states(compact, most):
            image = state if isinstance(state, tuple) else state & ~result.mask
            assert compact.key(image) in seen, compact.readable(compact.key(state), compact.liveness.keys)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(rich_stories())
def test_every_state_of_a_compiled_rich_story_has_its_image_among_the_abstract_states(story: Story) -> None:
    check_every_compiled_state_is_covered(story)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_every_state_of_a_compiled_small_story_has_its_image_among_the_abstract_states(story: Story) -> None:
    check_every_compiled_state_is_covered(story)


def test_the_shipped_storys_first_compiled_states_have_their_images_among_the_abstract_states(story: Story) -> None:
    check_every_compiled_state_is_covered(story, most=4_000)


def test_every_derived_flag_of_the_compiled_story_is_of_a_kind_the_abstraction_knows(story: Story) -> None:
    """droppable tells the kinds of derived flag bits by their names ("\\0word taped_latch"); a kind new to it
    is kept (sound), but should be looked at: may the abstraction forget it?"""
    compact = CompactStory(story, Liveness(story))
    for kinds in TRIES:
        droppable(compact, kinds)
    kinds_found = {name[1:].split(" ", 1)[0] for name in compact.flag_bit if name.startswith("\0")}
    known = {"word", "words", "any", "met", "visits", "counter"}
    assert kinds_found <= known, kinds_found - known
    assert {"word", "words", "any", "met"} <= kinds_found, "the shipped story has each kind TRIES drops by name"
