"""Write a generated story of N scenes, the shape issue 7 fixes so engines can be compared.

N scenes; each with 2-3 dialogue lines of about 8 words by one of three speakers;
30% of scenes add 1 to a counter on entering; three choices each: to the next
scene, to a random scene, and one offered only when the counter is above 2 that
leads to a short scene which takes 2 from the counter and goes on to a random scene.

    python benchmarks/gen_story.py 1000 /tmp/story-1000
"""

from __future__ import annotations

import random
import sys
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


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + "."


def write_story(n: int, root: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(
        "id: generated\ntitle: Generated\nstart: s0\nbeats:\n  initial: only\n  states: [only]\n"
        "endings:\n  done:\n    title: Done\n    text: The end.\n",
        encoding="utf-8",
    )
    (root / "characters.yaml").write_text(
        "".join(f'{s}:\n  name: {s.title()}\n  colour: "#88aacc"\n' for s in SPEAKERS), encoding="utf-8"
    )
    (root / "clues.yaml").write_text("{}\n", encoding="utf-8")
    out: list[str] = []
    for i in range(n):
        lines = "".join(f"    - {rng.choice(SPEAKERS)}: {sentence(rng)}\n" for _ in range(rng.choice((2, 3))))
        enter = "  on_enter:\n    - add: {tension: 1}\n" if rng.random() < 0.3 else ""
        nxt = f"goto: s{i + 1}" if i + 1 < n else "ending: done"
        out.append(
            f"s{i}:\n  beat: only\n  title: Scene {i}\n{enter}  lines:\n{lines}  choices:\n"
            f"    - say: Go on\n      {nxt}\n"
            f"    - say: Wander\n      goto: s{rng.randrange(n)}\n"
            f"    - say: Release the tension\n      if: tension > 2\n      goto: r{i}\n"
            f"r{i}:\n  beat: only\n  title: Release {i}\n  on_enter:\n    - add: {{tension: -2}}\n"
            f"  lines:\n    - {rng.choice(SPEAKERS)}: {sentence(rng)}\n  choices:\n"
            f"    - say: Onward\n      goto: s{rng.randrange(n)}\n"
        )
    (root / "scenes" / "all.yaml").write_text("".join(out), encoding="utf-8")
    return root


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/archer-story-{count}")
    print(write_story(count, target))
