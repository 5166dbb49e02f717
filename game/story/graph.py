"""The story map as Mermaid or Graphviz DOT: scenes grouped by beat, choices as edges.

Conditional choices are dashed and labelled with their condition; a choice that
fires a beat trigger says so; endings are drawn as their own rounded nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from game.story.model import Choice, Scene, Story


def _label(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace('"', "'")


def _edge_label(choice: Choice) -> str:
    label = _label(choice.text, 28)
    if choice.trigger:
        label += f" ⟶ {choice.trigger}"
    if choice.condition is not None:
        label += f" [if {_label(choice.condition.source, 40)}]"
    return label


def _edges(story: Story) -> Iterator[tuple[Scene, Choice, str]]:
    for scene in story.scenes.values():
        for choice in scene.choices:
            target = f"ending_{choice.ending}" if choice.ending else choice.goto
            if target is not None:
                yield scene, choice, target


def to_mermaid(story: Story) -> str:
    """Mermaid flowchart; node ids are prefixed so a scene called 'end' cannot clash with the syntax."""
    out = ["flowchart TD"]
    for beat in story.beats.values():
        out.append(f'  subgraph beat_{beat.name}["{_label(beat.title, 48)}"]')
        out.extend(f'    scene_{s.id}["{_label(s.title)}"]' for s in story.scenes.values() if s.beat == beat.name)
        out.append("  end")
    for ending in story.endings.values():
        out.append(f'  ending_{ending.id}(["End: {_label(ending.title)}"])')
    out.append(f"  style scene_{story.start} stroke-width:3px")
    for scene, choice, target in _edges(story):
        arrow = "-.->" if choice.condition is not None else "-->"
        node = target if choice.ending else f"scene_{target}"
        out.append(f'  scene_{scene.id} {arrow}|"{_edge_label(choice)}"| {node}')
    for ending in story.endings.values():
        out.append(f"  class ending_{ending.id} ending")
    out.append("  classDef ending fill:#3b2030,stroke:#d4a5b5,color:#fff")
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def beats_dot(story: Story) -> str:
    """The beats machine in Graphviz DOT (for --svg/--png): beats as nodes, triggers and guards on the edges."""
    out = [
        f"digraph {_quote(story.id + '_beats')} {{",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
    ]
    for beat in story.beats.values():
        width = "3" if beat.name == story.initial_beat else "1"
        out.append(f"  {_quote(beat.name)} [label={_quote(_label(beat.title, 48))}, penwidth={width}];")
    for transition in story.transitions:
        label = transition.trigger
        if transition.guard is not None:
            label += f" [{_label(transition.guard.source, 40)}]"
        out.append(f"  {_quote(transition.source)} -> {_quote(transition.dest)} [label={_quote(label)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(story: Story) -> str:
    quote = _quote
    out = [f"digraph {quote(story.id)} {{", "  rankdir=TB;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    for beat in story.beats.values():
        out.append(f"  subgraph {quote('cluster_' + beat.name)} {{")
        out.append(f"    label={quote(beat.title)};")
        for scene in story.scenes.values():
            if scene.beat == beat.name:
                width = "3" if scene.id == story.start else "1"
                out.append(f"    {quote(scene.id)} [label={quote(_label(scene.title))}, penwidth={width}];")
        out.append("  }")
    for ending in story.endings.values():
        out.append(
            f"  {quote('ending_' + ending.id)} [label={quote('End: ' + _label(ending.title))}, shape=doubleoctagon];"
        )
    for scene, choice, target in _edges(story):
        style = ", style=dashed" if choice.condition is not None else ""
        out.append(f"  {quote(scene.id)} -> {quote(target)} [label={quote(_edge_label(choice))}{style}];")
    out.append("}")
    return "\n".join(out) + "\n"
