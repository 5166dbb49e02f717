"""How many states the soft-lock proof explores, with and without the live-variable analysis (issue 16).

For each story: the states of the search with no analysis (the whole state, everywhere),
with the analysis of before issue 16 (a variable kept while a condition still ahead
reads it), with the live-variable analysis on the engine's states (kept only until an
effect overwrites it) and with the same on the compiled story (game.engine.compact:
numbers kept as the classes their comparisons tell apart, each step on ints and
bitmasks), each with its time; a search that does not end within the budget (states,
so that the counts do not depend on how busy the machine is) is shown as "> N". The last
column is the quick proof of "no soft-lock" on an abstraction (game.engine.modal) that
`archer check` runs first: its abstract states and whether it proved the story sound.

    python benchmarks/proof_states.py            # prints a Markdown table
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.engine.modal import prove_no_soft_lock
from game.story.loader import load_story

from gen_story import write_story

ROOT = Path(__file__).resolve().parent.parent
BUDGET = Budget(seconds=None, megabytes=2_000, states=300_000)
ANALYSES = (
    ("none", "no analysis"),
    ("read-ahead", "before (reads ahead)"),
    ("live-engine", "live variables, engine"),
    ("live", "live variables, compiled"),
)


def write_errands(errands: int, root: Path) -> Path:
    """A hub of `errands` once-only errands, each with a flag that only its own errand reads (always set or
    cleared before it is read) and a clue picked up in a once-only choice, which the finale reads."""
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(
        "id: errands\ntitle: Errands\nstart: hub\nbeats:\n  initial: only\n  states: [only]\n"
        "endings:\n  solved:\n    title: Solved\n    text: Yes.\n  unsolved:\n    title: Unsolved\n    text: No.\n",
        encoding="utf-8",
    )
    (root / "characters.yaml").write_text('ana:\n  name: Ana\n  color: "#88aacc"\n', encoding="utf-8")
    (root / "clues.yaml").write_text(
        "".join(f"clue{i}:\n  name: Clue {i}\n  description: A clue.\n" for i in range(errands)), encoding="utf-8"
    )
    hub = ["hub:\n  beat: only\n  title: Hub\n  lines:\n    - ana: Where now?\n  choices:\n"]
    scenes = []
    for i in range(errands):
        hub.append(f"    - say: Errand {i}\n      once: true\n      goto: errand{i}\n")
        scenes.append(
            f"errand{i}:\n  beat: only\n  title: Errand {i}\n  lines:\n    - ana: Look.\n  choices:\n"
            f"    - say: Ask politely\n      do:\n        - set: polite{i}\n      goto: answer{i}\n"
            f"    - say: Ask sharply\n      do:\n        - clear: polite{i}\n      goto: answer{i}\n"
            f"    - say: Search the room\n      once: true\n      do:\n        - gain: clue{i}\n      goto: errand{i}\n"
            f"answer{i}:\n  beat: only\n  title: Answer {i}\n  lines:\n    - ana: Hm.\n  choices:\n"
            f"    - say: Thank them\n      if: polite{i}\n      goto: hub\n    - say: Back\n      goto: hub\n"
        )
    need = " and ".join(f"has(clue{i})" for i in range(0, errands, 3))
    hub.append(f"    - say: Name the culprit\n      if: {need}\n      ending: solved\n")
    hub.append("    - say: Give up\n      ending: unsolved\n")
    (root / "scenes" / "all.yaml").write_text("".join(hub) + "".join(scenes), encoding="utf-8")
    return root


def measure(name: str, root: Path) -> str:
    engine = Engine(load_story(root))
    cells = []
    for analysis, _ in ANALYSES:
        started = time.perf_counter()
        result = explore(engine, budget=BUDGET, analysis=analysis)
        seconds = time.perf_counter() - started
        count = f"{result.states:,}" if result.complete else f"> {result.states:,}"
        cells.append(f"{count} ({seconds:.1f} s)")
        print(f"  {name}: {analysis}: {count} states, {seconds:.1f} s", file=sys.stderr, flush=True)
    started = time.perf_counter()
    quick = prove_no_soft_lock(engine.story)
    seconds = time.perf_counter() - started
    if quick.why:
        cells.append(quick.why)
    else:
        verdict = "proven" if quick.proven else "cannot tell" if quick.complete else "cut short"
        cells.append(f"{verdict}: {quick.states:,} ({seconds:.1f} s)")
    return f"| {name} | {len(engine.story.scenes):,} | " + " | ".join(cells) + " |"


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        stories = [
            ("shipped story", ROOT / "story"),
            ("generated, 1k scenes", write_story(1_000, tmp / "g1k")),
            ("generated, 10k scenes", write_story(10_000, tmp / "g10k")),
            ("errands: 8 once-only errands, flags, clues", write_errands(8, tmp / "errands")),
        ]
        for name, root in stories:
            rows.append(measure(name, root))
    print(f"Soft-lock proof: states explored (and seconds), at most {BUDGET.states:,} states a search")
    print("| story | scenes | " + " | ".join(label for _, label in ANALYSES) + " | abstraction, no soft-lock |")
    print("|---|---:|" + "---:|" * (len(ANALYSES) + 1))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
