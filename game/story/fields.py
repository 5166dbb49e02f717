"""The story format, field by field: one table read by the loader and by the JSON Schema.

Each entry is (type, required, what it is for). Changing the format means
changing this file; `python -m game.story.schema` then rewrites the schemas.
"""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    kind: type
    required: bool
    about: str


Spec = dict[str, Field]

STORY: Spec = {
    "id": Field(str, True, "A stable id for the story; saves remember it."),
    "title": Field(str, True, "The title shown on the title screen."),
    "subtitle": Field(str, False, "A line under the title."),
    "start": Field(str, True, "The id of the first scene."),
    "voiceover": Field(str, False, "The character whose voice `voiceover:` lines are."),
    "content_note": Field(str, False, "Shown before a new game: the themes the story touches."),
    "beats": Field(dict, True, "The beats state machine: initial, states, transitions."),
    "endings": Field(dict, True, "Ending id -> title and text of its ending card."),
}
CHARACTER: Spec = {
    "name": Field(str, True, "The name shown with every line the character speaks."),
    "color": Field(str, True, 'A hex color in quotes, like "#c9a0dc"; never the only sign of who speaks.'),
    "description": Field(str, False, "One line about the character."),
    "suspect": Field(bool, False, "true to put the character on the suspects board."),
}
CLUE: Spec = {
    "name": Field(str, True, "The clue's name in the casebook."),
    "description": Field(str, True, "What the casebook says about it."),
    "bears_on": Field(dict, False, "Suspect id -> motive, means, opportunity or alibi."),
}
ENDING: Spec = {
    "title": Field(str, True, "The ending card's title."),
    "text": Field(str, True, "The ending card's text."),
}
BEATS: Spec = {
    "initial": Field(str, True, "The beat a new game starts in."),
    "states": Field(list, True, "The beats, in order: names, or mappings with name, title and card."),
    "transitions": Field(list, False, "How the story moves between beats: trigger, source, dest, optional if."),
}
BEAT: Spec = {
    "name": Field(str, True, "The beat's id."),
    "title": Field(str, False, "The chapter card's title."),
    "card": Field(str, False, "A line on the chapter card."),
}
TRANSITION: Spec = {
    "trigger": Field(str, True, "The name a choice uses to fire this transition."),
    "source": Field(str, True, "The beat it leaves."),
    "dest": Field(str, True, "The beat it enters."),
    "if": Field(str, False, "A condition that must hold for the transition to fire."),
}
SCENE: Spec = {
    "beat": Field(str, True, "The beat this scene belongs to."),
    "title": Field(str, True, "The scene's title, shown above its lines."),
    "place": Field(str, False, "Where it happens."),
    "lines": Field(list, False, "What is said: narrator:, voiceover: or a character id, each with optional if:."),
    "on_enter": Field(list, False, "Effects applied each time the scene is entered."),
    "choices": Field(list, True, "What the player can do next."),
}
CHOICE: Spec = {
    "say": Field(str, True, "The choice's text."),
    "goto": Field(str, False, "The scene it leads to."),
    "ending": Field(str, False, "The ending it leads to (instead of goto)."),
    "if": Field(str, False, "A condition; the choice is offered only while it holds."),
    "once": Field(bool, False, "true: offered until taken once. The default is sticky."),
    "do": Field(list, False, "Effects of taking the choice."),
    "trigger": Field(str, False, "A beat transition the choice fires; offered only while it can fire."),
    "id": Field(str, False, "A stable id for saves; defaults to the text."),
}
CHOICE_DEDUCING: Spec = {
    "deduce": Field(str, False, "A deduction the player fills in and submits when taking the choice."),
    "present": Field(
        dict, False, "An evidence question: the player presents one item; right, partly and wrong lead on."
    ),
}
CHOICE.update(CHOICE_DEDUCING)
DEDUCTION: Spec = {
    "title": Field(str, True, "The deduction's title in the casebook."),
    "statement": Field(str, True, "The sentence to complete, with a {slot} for each blank."),
    "blanks": Field(dict, True, "Slot name -> from: (suspects, characters, clues or a list of ids) and answer:."),
    "hint_when_wrong_at_most": Field(int, False, "Say 'N or fewer are wrong' (never which) when so; 0 by default."),
    "on_solved": Field(list, False, "Effects of a submission with every blank right."),
    "on_wrong": Field(list, False, "Effects of a submission with any blank wrong: what a wrong try costs."),
}
BLANK: Spec = {
    "from": Field(list, True, "suspects, characters or clues (what the player gathered), or a list of ids."),
    "answer": Field(list, True, "The id accepted as right, or a list of ids accepted."),
}
PRESENT: Spec = {
    "ask": Field(str, True, "The question or statement the player answers with one item."),
    "from": Field(list, False, "suspects, characters, clues (the default) or a list of ids."),
    "right": Field(dict, True, "accept: the items that answer it; do:, goto: or ending: for what follows."),
    "partly": Field(dict, False, "accept: items that are partly right; do:, goto: or ending:."),
    "wrong": Field(dict, False, "Anything else: do: (what a wrong try costs), goto: or ending:."),
}
OUTCOME: Spec = {
    "accept": Field(list, False, "The items (ids) that lead here."),
    "do": Field(list, False, "Effects of this outcome."),
    "goto": Field(str, False, "The scene it leads to (else the choice's own)."),
    "ending": Field(str, False, "The ending it leads to (else the choice's own)."),
}
