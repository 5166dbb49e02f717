"""Write a generated story of N scenes, in Archer's YAML and as its ink twin, so engines can be compared.

N scenes; each with 2-3 dialogue lines of about 8 words by one of three speakers;
30% of scenes add 1 to a counter on entering; three choices each: to the next
scene, to a random scene, and one offered only when the counter is above 2 that
leads to a short scene which takes 2 from the counter and goes on to a random scene.

The shape is drawn once (`generate`) and written twice: `write_story` writes
Archer's YAML, `write_ink` the same story as ink source, scene for scene and
line for line, for the peers (bink, inkjs) that `make bench` measures against.

    python benchmarks/gen_story.py 1000 /tmp/story-1000
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

WORDS = [
    "the",
    "dancer",
    "waits",
    "under",
    "a",
    "cold",
    "light",
    "while",
    "rosin",
    "dust",
    "settles",
    "over",
    "every",
    "quiet",
]
SPEAKERS = ("ana", "ben", "cleo")


@dataclass(frozen=True)
class GeneratedScene:
    """Scene s<i> and its release scene r<i>; `nxt` is None for the last scene, which ends the story."""

    index: int
    lines: tuple[tuple[str, str], ...]
    raises_tension: bool
    nxt: int | None
    wander: int
    release_line: tuple[str, str]
    onward: int


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + "."


def generate(n: int, seed: int = 1) -> list[GeneratedScene]:
    """The story's shape, drawn in the same order as ever, so a seed gives the same story it always did."""
    rng = random.Random(seed)
    scenes = []
    for i in range(n):
        lines = tuple((rng.choice(SPEAKERS), sentence(rng)) for _ in range(rng.choice((2, 3))))
        raises = rng.random() < 0.3
        wander = rng.randrange(n)
        release_line = (rng.choice(SPEAKERS), sentence(rng))
        onward = rng.randrange(n)
        scenes.append(GeneratedScene(i, lines, raises, i + 1 if i + 1 < n else None, wander, release_line, onward))
    return scenes


def write_story(n: int, root: Path, seed: int = 1) -> Path:
    """The story as an Archer story folder."""
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(
        "id: generated\ntitle: Generated\nstart: s0\nbeats:\n  initial: only\n  states: [only]\n"
        "endings:\n  done:\n    title: Done\n    text: The end.\n",
        encoding="utf-8",
    )
    (root / "characters.yaml").write_text(
        "".join(f'{s}:\n  name: {s.title()}\n  color: "#88aacc"\n' for s in SPEAKERS), encoding="utf-8"
    )
    (root / "clues.yaml").write_text("{}\n", encoding="utf-8")
    out: list[str] = []
    for scene in generate(n, seed):
        i = scene.index
        lines = "".join(f"    - {speaker}: {text}\n" for speaker, text in scene.lines)
        enter = "  on_enter:\n    - add: {tension: 1}\n" if scene.raises_tension else ""
        nxt = f"goto: s{scene.nxt}" if scene.nxt is not None else "ending: done"
        speaker, text = scene.release_line
        out.append(
            f"s{i}:\n  beat: only\n  title: Scene {i}\n{enter}  lines:\n{lines}  choices:\n"
            f"    - say: Go on\n      {nxt}\n"
            f"    - say: Wander\n      goto: s{scene.wander}\n"
            f"    - say: Release the tension\n      if: tension > 2\n      goto: r{i}\n"
            f"r{i}:\n  beat: only\n  title: Release {i}\n  on_enter:\n    - add: {{tension: -2}}\n"
            f"  lines:\n    - {speaker}: {text}\n  choices:\n"
            f"    - say: Onward\n      goto: s{scene.onward}\n"
        )
    (root / "scenes" / "all.yaml").write_text("".join(out), encoding="utf-8")
    return root


def ink_source(n: int, seed: int = 1) -> str:
    """The same story in ink: a knot a scene, the counter a VAR, the conditional choice a guarded choice."""
    out = ["VAR tension = 0\n-> s0\n"]
    for scene in generate(n, seed):
        i = scene.index
        enter = "~ tension += 1\n" if scene.raises_tension else ""
        lines = "".join(f"{speaker.title()}: {text}\n" for speaker, text in scene.lines)
        nxt = f"-> s{scene.nxt}" if scene.nxt is not None else "-> END"
        speaker, text = scene.release_line
        out.append(
            f"=== s{i} ===\n{enter}{lines}"
            f"+ [Go on] {nxt}\n+ [Wander] -> s{scene.wander}\n+ {{tension > 2}} [Release the tension] -> r{i}\n"
            f"=== r{i} ===\n~ tension -= 2\n{speaker.title()}: {text}\n+ [Onward] -> s{scene.onward}\n"
        )
    return "".join(out)


def write_ink(n: int, path: Path, seed: int = 1) -> Path:
    path.write_text(ink_source(n, seed), encoding="utf-8")
    return path


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/archer-story-{count}")
    print(write_story(count, target))
