"""The season is told by Americans, and the case is the player's to solve.

Two guards over the text of `story/`: no British spelling or words in what a player
reads (YAML keys are format field names and are not text), and no
line a player can read before the accusation draws the conclusion for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from game.story.model import Story

STORY_DIR = Path(__file__).resolve().parent.parent / "story"

# Story files the guards skip for now (empty: they cover every file).
NOT_YET_OURS: set[str] = set()

BRITISH = [
    r"\btorch(es)?\b",
    r"\bkerbs?\b",
    r"\bcage lift\b",
    r"\blift doors?\b",
    r"\b(take|took|taking) the lift\b",
    r"\bthe lift plays\b",
    r"\bmaths\b",
    r"\bjewell?ery\b",
    r"\blino\b",
    r"\bbiros?\b",
    r"\b(colour|favour|neighbour|honour|rumour|behaviour|humour|flavour|labour|odour|harbour|armour"
    r"|vapour|glamour|parlour|savour|endeavour|splendour|valour|vigour|clamour|rigour|candour|saviour)\w*",
    r"\b(realis|recognis|apologis|organis|criticis|memoris|summaris|authoris|minimis|prioritis"
    r"|sympathis|romanticis|characteris|rationalis|emphasis(e|ed|es|ing)\b|agonis|patronis|itemis|analys"
    r"|paralys|civilis|idolis|traumatis|sanitis|publicis|tantalis|penalis|vandalis|finalis|normalis)\w*",
    r"\bgrey\w*",
    r"\b(centre|theatre|metre|litre|fibre|sombre)s?\b",
    r"\bprogrammes?\b",
    r"\bpyjamas\b",
    r"\btyres?\b",
    r"\bstoreys\b",
    r"\bmum(s|my)?\b",
    r"\bpractis(e|ed|es|ing)\b",
    r"\b(licence|defence|offence)s?\b",
    r"\bcheques?\b",
    r"\bcos(y|ier|iest)\b",
    r"\bplough\w*",
    r"\bwhilst\b",
    r"\bamongst\b",
    r"\b(learnt|spelt)\b",
    r"\bfortnight\b",
    r"\bcar park\b",
    r"\bpavements?\b",
    r"\btannoy\b",
    r"\btrolley\b",
    r"\bdressing gown\b",
    r"\bhalf (ten|eleven|nine|twelve)\b",
    r"\bgone midnight\b",
    r"\bbiscuits?\b",
    r"\b(in|into|through) the bin\b",
    r"\bhas got [a-z]+er\b",
    r"\bin hospital\b",
    r"\bphysio\b",
    r"\brota\b",
    r"\bqueue\w*",
    r"\bwindscreen\b",
    r"\bsnowplough\b",
    r"\bMrs? [A-Z]",  # American titles take a period: Mr. Greaves
]
BRITISH_RE = re.compile("|".join(f"(?:{p})" for p in BRITISH), re.IGNORECASE)
TITLE_RE = re.compile(r"\bMrs? [A-Z]")  # case matters for this one


def _texts(node: object) -> Iterator[str]:
    """Every string value in a YAML document; mapping keys are field names, not text."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def british_words(text: str) -> list[str]:
    found = [m.group(0) for m in BRITISH_RE.finditer(text) if not m.group(0).lower().startswith(("mr ", "mrs "))]
    return found + [m.group(0) for m in TITLE_RE.finditer(text)]


def story_files() -> list[Path]:
    return sorted(
        p for p in STORY_DIR.rglob("*.yaml") if p.relative_to(STORY_DIR.parent).as_posix() not in NOT_YET_OURS
    )


def test_the_word_list_catches_what_it_should() -> None:
    assert british_words("He lifts his torch at the kerb; the cage lift groans; maths, jewellery, lino, a biro.") == [
        "torch",
        "kerb",
        "cage lift",
        "maths",
        "jewellery",
        "lino",
        "biro",
    ]
    assert british_words("the colour grey, a favourite programme, realised, itemised, Mr Greaves") == [
        "colour",
        "grey",
        "favourite",
        "programme",
        "realised",
        "itemised",
        "Mr G",
    ]
    assert british_words("Oren lifts Bette; the flashlight at the curb; Mr. Greaves; the color gray; our hour") == []


@pytest.mark.parametrize("path", story_files(), ids=lambda p: p.relative_to(STORY_DIR).as_posix())
def test_story_text_is_american(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [(word, text[:70]) for text in _texts(document) for word in british_words(text)]
    assert not problems, f"{path}: British spelling or words in the text: {problems}"


# ---------------------------------------------------------------- the case is the player's

BEFORE_THE_ACCUSATION = ("the_fall", "suspects")
SUSPECTS = ("Delia", "Bette", "June", "Shane", "Oren", "Nabil", "Caleb", "Madame", "Monique", "DuBois", "Costa")
_names = "|".join(SUSPECTS)
CONCLUDING = [
    rf"\bit was ({_names})\b",
    rf"\b({_names}) (did it|pushed (her|Cassie|me))\b",
    r"\b(he|she|they)('s| is| was)? the one\b",
    r"\b(isn't|wasn't|not) the one\b",
    r"\bpassed down from Delia\b",
    r"\bone of the Delias\b",
    r"\bsmall and white at an ear\b",
    r"\bI know (that|this) voice\b",
    r"\bsomebody else rang her first\b",
    r"\bpeople who are telling the truth\b",
    r"\bblame the baby\b",
]
CONCLUDING_RE = re.compile("|".join(f"(?:{p})" for p in CONCLUDING), re.IGNORECASE)
# Narration may put pearls and Delia in one line only where the player finds that fact (a clue).
PEARLS_ON_DELIA = re.compile(r"\bDelia\b.*\bpearls?\b|\bpearls?\b.*\bDelia\b", re.IGNORECASE)


def concluding_lines(story: Story) -> list[str]:
    """Narration, Cassie's voice and menu text before the accusation that draws a conclusion."""
    found = []
    for scene in story.scenes.values():
        if scene.beat not in BEFORE_THE_ACCUSATION or scene.at.split(":")[0] in NOT_YET_OURS:
            continue
        finds_a_clue = any(e.kind == "gain" for e in scene.on_enter)
        told = [(line.at, line.speaker, line.text) for line in scene.lines if line.speaker in ("narrator", "voiceover")]
        told += [(choice.at, "menu", choice.text) for choice in scene.choices]
        for at, speaker, text in told:
            if CONCLUDING_RE.search(text):
                found.append(f"{at}: {speaker}: {text}")
            elif speaker != "menu" and not finds_a_clue and PEARLS_ON_DELIA.search(text):
                found.append(f"{at}: {speaker} puts the pearls on Delia before the player finds it: {text}")
    return found


def test_no_line_before_the_accusation_solves_the_case(story: Story) -> None:
    assert concluding_lines(story) == []
