"""Which parts of a run's state can still matter, scene by scene: live-variable analysis.

A flag, clue, counter, visit count, once-taken mark or word learned is live at a scene when some
choice or beat guard reachable from there reads it before an effect overwrites it,
the classic backward data-flow problem compilers solve for registers. The soft-lock
proof keeps only the live parts of each state, which is what keeps it small.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import compress
from operator import attrgetter

from game.story.conditions import Condition, Effect
from game.story.deductions import choice_targets, item_pool, story_effects
from game.story.model import Choice, Scene, Story

_CONDITION = attrgetter("condition")
_ON_ENTER = attrgetter("on_enter")

# A variable of the state, as the analysis names it: (kind, name) with kind one of
# "flag", "clue", "counter", "visits" (name: a scene) and "once" (name: "scene/choice key"),
# or one of two facts derived from the state that a deduction or an evidence question reads:
# "met" (name: character ids joined by "|": one of them has spoken a line with no condition in a
# scene entered so far) and
# "any" (name: clue ids joined by "|": holds at least one of them);
# "word" (name: a word: learned, read by knows() or a blank or question offering it) and
# "words" (name: word ids joined by "|": knows at least one of them).
Var = tuple[str, str]


@dataclass(frozen=True)
class Group:
    """Items a blank or question offers that all lead the same way (all right, all partly, all wrong):
    what a submission can do depends only on whether the player holds at least one of each group."""

    clues: frozenset[str]
    characters: frozenset[str]
    words: frozenset[str]  # the rest: offered once learned (as deduce._gathered has it)


def submission_groups(story: Story, choice: Choice) -> list[Group]:
    """The groups of a deduce or present choice (none for a plain choice): see representative_givens."""
    found: list[Group] = []
    if choice.deduce is not None and choice.deduce in story.deductions:
        for blank in story.deductions[choice.deduce].blanks:
            offered = frozenset(item_pool(story, blank.source, blank.options))
            found += [_group(story, offered & blank.answers), _group(story, offered - blank.answers)]
    if choice.present is not None:
        question = choice.present
        offered = frozenset(item_pool(story, question.source, question.options))
        right = offered & question.right.accepts
        partly = (offered & question.partly.accepts) - right
        found += [_group(story, right), _group(story, partly), _group(story, offered - right - partly)]
    return found


def _group(story: Story, items: frozenset[str]) -> Group:
    clues = frozenset(i for i in items if i in story.clues)
    characters = frozenset(i for i in items if i not in story.clues and i in story.characters)
    return Group(clues, characters, items - clues - characters)


class Speakers:
    """Where each character speaks: has_met (game.engine.casebook) as a bit set on entering a scene
    where they have a line with no condition, and the scenes where all their lines have one."""

    def __init__(self, story: Story, scenes: Mapping[str, Scene]) -> None:
        self._characters = story.characters.keys()
        self._scenes = scenes
        self.conditional: dict[str, list[tuple[str, Condition]]] = {}  # character -> (scene, line condition)
        # (a Condition is true as an object: the scenes with a line said only if, found in C passes)
        said_if = map(any, map(partial(map, _CONDITION), map(attrgetter("lines"), scenes.values())))
        for scene in compress(scenes.values(), said_if):
            plain = self._met_in(scene)
            for line in scene.lines:
                if line.condition is not None and line.speaker not in plain and line.speaker in self._characters:
                    self.conditional.setdefault(line.speaker, []).append((scene.id, line.condition))

    @functools.cached_property
    def unconditional(self) -> dict[str, set[str]]:
        """Scene -> the characters met on entering it (asked only by a story where meeting someone matters)."""
        return {scene.id: self._met_in(scene) for scene in self._scenes.values()}

    def _met_in(self, scene: Scene) -> set[str]:
        return {line.speaker for line in scene.lines if line.condition is None} & self._characters

    def reads(self, characters: frozenset[str]) -> set[Var]:
        """What tells whether the player has met one of `characters`."""
        found: set[Var] = {("met", any_name(characters))}
        for character in characters:
            for scene, condition in self.conditional.get(character, ()):
                found |= {("visits", scene), *_reads(condition)}
        return found


def losable_clues(story: Story, scenes: Mapping[str, Scene]) -> set[str]:
    """Clues some effect can take away: 'holds one of them' is then read clue by clue."""
    return _lost(story_effects(story, scenes.values()))


def _lost(effects: Iterable[Effect]) -> set[str]:
    return {effect.name for effect in effects if effect.kind == "lose"}


def any_name(clues: Iterable[str]) -> str:
    return "|".join(sorted(clues))


def group_reads(group: Group, speakers: Speakers, losable: set[str], settled: frozenset[str] = frozenset()) -> set[Var]:
    """What the proof must keep to know whether the player holds one of the group (`settled`: the
    "met" facts known to be true, which never turn false again: their lines with conditions no longer matter)."""
    found: set[Var] = set()
    if len(group.words) == 1:
        found |= {("word", w) for w in group.words}
    elif group.words:
        found.add(("words", any_name(group.words)))
    if len(group.clues) == 1 or group.clues & losable:
        found |= {("clue", c) for c in group.clues}
    elif group.clues:
        found.add(("any", any_name(group.clues)))
    if group.characters:
        met = ("met", any_name(group.characters))
        found |= {met} if met[1] in settled else speakers.reads(group.characters)
    return found


def _reads(condition: Condition | None) -> set[Var]:
    if condition is None:
        return set()
    return set(_condition_reads(condition))


@functools.lru_cache(maxsize=4096)  # a big story repeats its conditions: each text's reads worked out once
def _condition_reads(condition: Condition) -> frozenset[Var]:
    return frozenset(
        {
            *(("flag", n) for n in condition.flags),
            *(("clue", n) for n in condition.clues),
            *(("counter", n) for n in condition.counters),
            *(("visits", n) for n in condition.scenes),
            *(("word", n) for n in condition.words),
        }
    )


def _through(effects: Iterable[Effect], live: set[Var], kills: bool = True) -> set[Var]:
    """What is live before `effects` run, given what is live after them."""
    live = set(live)
    if not kills:
        return live
    for effect in reversed(tuple(effects)):
        if effect.kind in ("set", "clear"):
            live.discard(("flag", effect.name))  # overwritten whatever it was
        elif effect.kind in ("gain", "lose"):
            live.discard(("clue", effect.name))
            if effect.kind == "gain":  # holding one of a group is true after a gain of one of them
                live -= {v for v in live if v[0] == "any" and effect.name in v[1].split("|")}
        elif effect.kind == "learn":  # a word is never forgotten: known, and so is one of each group of it
            live.discard(("word", effect.name))
            live -= {v for v in live if v[0] == "words" and effect.name in v[1].split("|")}
        # `add` reads the counter it changes: live after means live before
    return live


@dataclass(frozen=True)
class LiveSet:
    """What can still matter at one scene, in the order the state key lists it."""

    flags: frozenset[str]
    clues: frozenset[str]
    counters: tuple[str, ...]
    visits: tuple[str, ...]
    once: frozenset[str]
    met: frozenset[str] = frozenset()
    any: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    any_words: frozenset[str] = frozenset()


class Liveness:
    """For each scene, the variables some choice or beat guard still ahead reads before they are overwritten.

    Worked out on bit sets: each variable some choice reads gets a bit (nothing else can ever be live),
    an effect or a scene's entry is the mask of the bits it overwrites, and a scene's live set an int."""

    def __init__(
        self,
        story: Story,
        *,
        kills: bool = True,
        settled: frozenset[str] = frozenset(),
        closed: frozenset[int] = frozenset(),
    ) -> None:
        """`settled`: see group_reads; `closed`: the ids of choices known never to be offered again (a
        condition that can no longer hold): they read nothing and lead nowhere."""
        self.story = story
        self.scenes = dict(story.scenes)  # built once: a cached story builds a scene each time it is asked
        self.kills = kills
        guards: dict[str, set[Var]] = {}
        for transition in story.transitions:
            guards.setdefault(transition.trigger, set()).update(_reads(transition.guard))
        self.speakers = Speakers(story, self.scenes)
        self.effects = story_effects(story, self.scenes.values())  # (the compiled story notes its adds from them)
        self.losable = _lost(self.effects)
        number = self.number = {sid: i for i, sid in enumerate(self.scenes)}  # scenes by their number
        # Where each choice's own `goto` leads, by number (-1: nowhere), scene by scene in the story's order:
        # the compiled story (game.engine.compact) reads these rather than look each id up again.
        self.gotos: list[list[int]] = []
        # Whether all of each scene's choices are plain (no once mark, trigger or submission): compact makes
        # such a scene's moves once, as rows.
        self.all_plain = [True] * len(number)
        # What each choice reads itself (its condition, its once mark, its trigger's guards, and for a
        # submission whether the player holds something of each group of what it offers), as bits: each
        # variable some choice reads gets one (nothing else can ever be live), in the order first met.
        self._bit: dict[Var, int] = {}
        masks: dict[frozenset[Var], int] = {}  # many choices read the same: each set's bits worked out once
        by_condition: dict[int, int] = {}  # a big story's choices share conditions: by identity, spared hashing
        # Per scene: the bits its choices read, where its choices that overwrite nothing lead, and
        # (what it overwrites, where it leads) for each of its other choices.
        reads_all = [0] * len(number)
        plain: list[list[int]] = [[] for _ in number]
        killing: list[list[tuple[int, list[int]]]] = [[] for _ in number]
        overwriting: list[tuple[int, tuple[Effect, ...], Var | None, list[int]]] = []  # once every bit is known
        nothing: frozenset[Var] = frozenset()
        for i, scene in enumerate(self.scenes.values()):
            gotos: list[int] = []
            self.gotos.append(gotos)
            for choice in scene.choices:
                goto = number.get(choice.goto, -1) if choice.goto is not None else -1
                gotos.append(goto)
                alone = not choice.once and choice.trigger is None and choice.deduce is None and choice.present is None
                if not alone:
                    self.all_plain[i] = False
                if closed and id(choice) in closed:
                    continue
                condition = choice.condition
                once: Var | None = ("once", f"{scene.id}/{choice.key}") if choice.once else None
                if alone and condition is None:
                    mask = 0
                elif alone and id(condition) in by_condition:
                    mask = by_condition[id(condition)]
                else:
                    reads = nothing if condition is None else _condition_reads(condition)
                    if choice.trigger is not None and choice.trigger in guards:
                        reads |= guards[choice.trigger]
                    if choice.deduce is not None or choice.present is not None:
                        for group in submission_groups(story, choice):
                            reads |= group_reads(group, self.speakers, self.losable, settled)
                    if once is not None:
                        reads |= {once}
                    mask = masks.get(reads, -1)
                    if mask < 0:
                        mask = masks[reads] = self._mask(reads, new=True)
                    if alone:
                        by_condition[id(condition)] = mask
                reads_all[i] |= mask
                if alone and not (kills and choice.effects):  # (the usual choice: it leads on, overwriting nothing)
                    if goto >= 0:
                        plain[i].append(goto)
                    continue
                if choice.present is None:  # (spared choice_targets' generator)
                    targets = [goto] if goto >= 0 else []
                else:
                    targets = [number[t] for t in choice_targets(choice) if t in number]
                if kills and (choice.effects or once is not None):
                    overwriting.append((i, choice.effects, once, targets))
                else:
                    plain[i] += targets
        self._kill_masks: dict[tuple[str, str], int] = {}
        for i, effects, once, targets in overwriting:
            kill = self._kills(effects) | (self._bit.get(once, 0) if once is not None else 0)  # taking it sets the mark
            if kill:
                killing[i].append((kill, targets))
            else:
                plain[i] += targets
        self._met_vars = [v for v in self._bit if v[0] == "met"]
        keep = [-1] * len(number)  # what entering each scene leaves as it was (most overwrite nothing)
        scenes = list(self.scenes.values())
        for i in range(len(scenes)) if self._met_vars else compress(range(len(scenes)), map(_ON_ENTER, scenes)):
            keep[i] = ~self._entering(scenes[i])
        solved = self._solve(reads_all, plain, killing, keep)
        names = {bit: var for var, bit in self._bit.items()}
        sets: dict[int, frozenset[Var]] = {}
        layouts: dict[int, LiveSet] = {}  # many scenes share one: one LiveSet (and projection) each
        for mask in dict.fromkeys(solved):
            sets[mask] = frozenset(var for bit, var in names.items() if mask & bit)
            layouts[mask] = self.layout(sets[mask])
        self.at: dict[str, frozenset[Var]] = dict(zip(self.scenes, map(sets.__getitem__, solved), strict=True))
        self.live_sets = [*map(layouts.__getitem__, solved)]  # by scene number
        self.keys: dict[str, LiveSet] = dict(zip(self.scenes, self.live_sets, strict=True))
        self.distinct = [*layouts.values()]  # each LiveSet once

    def _mask(self, variables: Iterable[Var], *, new: bool = False) -> int:
        """The bits of `variables` (`new`: giving one to each that has none yet)."""
        bits = self._bit
        mask = 0
        for var in variables:
            if new and var not in bits:
                bits[var] = 1 << len(bits)
            mask |= bits[var]
        return mask

    def _kills(self, effects: tuple[Effect, ...]) -> int:
        """The bits `effects` overwrite whatever they were (they never make anything live: see _through).

        Each effect overwrites what it does whatever comes before or after it, so the bits are those of
        each effect's kind and name (`add` overwrites nothing: it reads the counter it changes)."""
        if not self.kills:
            return 0
        kill = 0
        for effect in effects:
            if effect.kind != "add":
                named = (effect.kind, effect.name)
                mask = self._kill_masks.get(named)
                if mask is None:
                    every = set(self._bit)
                    mask = self._kill_masks[named] = self._mask(every - _through((effect,), every))
                kill |= mask
        return kill

    def _entering(self, scene: Scene) -> int:
        """What entering a scene overwrites: its on_enter effects, and "met" for whom it lets speak."""
        kill = self._kills(scene.on_enter) if scene.on_enter else 0
        if self.kills and self._met_vars:
            met = self.speakers.unconditional[scene.id]
            if met:
                kill |= self._mask(v for v in self._met_vars if met.intersection(v[1].split("|")))
        return kill

    @staticmethod
    def _solve(
        reads: list[int], plain: list[list[int]], killing: list[list[tuple[int, list[int]]]], keep: list[int]
    ) -> list[int]:
        """The classic backward data-flow fixpoint, scenes worked from a queue until nothing changes: what is
        live after entering each scene (`keep`: what entering it does not overwrite; the rest: see __init__)."""
        callers: list[list[int]] = [[] for _ in reads]
        for i, targets in enumerate(plain):
            for target in targets:
                callers[target].append(i)
        for i, steps in enumerate(killing):
            for _, targets in steps:
                for target in targets:
                    callers[target].append(i)
        # Each scene starts with what its own choices read (what it has whatever lies ahead); only the callers
        # of a scene where something is live then need working out, and again whenever that grows: a caller
        # that already has all of it has nothing to learn from it (what a scene has only ever grows).
        live_out = list(reads)
        live_in = [out & kept for out, kept in zip(reads, keep, strict=True)]  # what is live just before entering
        queued = [False] * len(reads)
        pending: deque[int] = deque()
        for i in range(len(reads) - 1, -1, -1):
            if live_in[i]:
                for caller in callers[i]:
                    if not queued[caller] and live_in[i] & ~live_out[caller]:
                        queued[caller] = True
                        pending.append(caller)
        while pending:
            i = pending.popleft()
            queued[i] = False
            new = reads[i]
            for target in plain[i]:
                new |= live_in[target]
            for kill, targets in killing[i]:
                after = 0
                for target in targets:
                    after |= live_in[target]
                # An evidence question's outcome and a deduction's result apply their effects only on one
                # branch (see conditional_effects): they never make anything dead, and an `add` keeps its
                # counter live (live after it means live before), so they change nothing here.
                new |= after & ~kill
            if new != live_out[i]:
                live_out[i], live_in[i] = new, new & keep[i]
                for caller in callers[i]:
                    if not queued[caller] and live_in[i] & ~live_out[caller]:
                        queued[caller] = True
                        pending.append(caller)
        return live_out

    @staticmethod
    def layout(live: frozenset[Var]) -> LiveSet:
        def names(kind: str) -> list[str]:
            return sorted(name for k, name in live if k == kind)

        return LiveSet(
            flags=frozenset(names("flag")),
            clues=frozenset(names("clue")),
            counters=tuple(names("counter")),
            visits=tuple(names("visits")),
            once=frozenset(names("once")),
            met=frozenset(names("met")),
            any=frozenset(names("any")),
            words=frozenset(names("word")),
            any_words=frozenset(names("words")),
        )
