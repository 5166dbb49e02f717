"""What `archer check` says about deductions and evidence questions: each finding at its file and line."""

from __future__ import annotations

from pathlib import Path

from game.check_command import with_code
from game.story.check import check_story

from support import EXAMPLE_DIR, WriteStory

DEDUCTIONS = (EXAMPLE_DIR / "deductions.yaml").read_text(encoding="utf-8")
ISLAND = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text(encoding="utf-8")


def findings(root: Path, severity: str = "error") -> list[str]:
    _, found = check_story(root)
    return [str(f).replace(f"{root.as_posix()}/", "") for f in found if f.severity == severity]


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(line for line in text.splitlines() if needle in line)) + 1


def with_deductions(make_story: WriteStory, old: str, new: str) -> tuple[Path, int]:
    assert old in DEDUCTIONS
    text = DEDUCTIONS.replace(old, new)
    return make_story({"deductions.yaml": text}), line_of(text, new.splitlines()[0])


def test_the_example_deduction_and_question_are_sound() -> None:
    assert findings(EXAMPLE_DIR) == []
    assert findings(EXAMPLE_DIR, "warning") == []


def test_an_unknown_clue_in_an_answer_is_named_with_a_suggestion(make_story: WriteStory) -> None:
    root, line = with_deductions(make_story, "answer: cut_rope}", "answer: cut_rop}")
    assert findings(root) == [
        f"deductions.yaml:{line}: the blank 'proof' of deduction 'what_happened' accepts 'cut_rop', "
        "which is no clue, character or word; did you mean 'cut_rope'?"
    ]


def test_an_unknown_word_in_a_list_is_named(make_story: WriteStory) -> None:
    root, line = with_deductions(make_story, "from: [debt, storm]", "from: [debt, storm, strom]")
    assert findings(root) == [
        f"deductions.yaml:{line}: the blank 'why' of deduction 'what_happened' offers 'strom', "
        "which is no clue, character or word; did you mean 'storm'?"
    ]


def test_an_answer_the_blank_never_offers(make_story: WriteStory) -> None:
    root, line = with_deductions(
        make_story, "who: {from: characters, answer: fisher}", "who: {from: clues, answer: fisher}"
    )
    assert findings(root) == [
        f"deductions.yaml:{line}: the blank 'who' of deduction 'what_happened' accepts 'fisher', "
        "which it never offers: it is not one of the clues"
    ]


def test_an_answer_no_scene_hands_out_before_the_deduction_is_asked(make_story: WriteStory) -> None:
    # the cut rope is only found on the jetty; move the finding to a scene no path leads from
    island = ISLAND.replace("        - gain: cut_rope\n", "")
    island += "\nattic:\n  beat: search\n  title: Attic\n  on_enter:\n    - gain: cut_rope\n  choices:\n    - say: Down\n      goto: attic\n"
    root = make_story({"scenes/island.yaml": island})
    line = line_of(DEDUCTIONS, "proof: {from: clues")
    assert (
        f"deductions.yaml:{line}: the blank 'proof' of deduction 'what_happened' accepts 'cut_rope', but no scene "
        "where that clue is gained comes before 'confrontation': a player can never hold it there"
    ) in findings(root)


def test_a_blank_with_no_right_answer(make_story: WriteStory) -> None:
    root, line = with_deductions(make_story, "why: {from: [debt, storm], answer: debt}", "why: {from: [debt, storm]}")
    assert (
        f"deductions.yaml:{line}: the blank 'why' of deduction 'what_happened' has no right answer; give it 'answer:' (an id, or a list of ids)"
        in findings(root)
    )


def test_a_slot_with_no_blank_and_a_blank_with_no_slot(make_story: WriteStory) -> None:
    root, line = with_deductions(make_story, "over {why}.", "over {reason}.")
    why = line_of(DEDUCTIONS, "why: {from")
    assert findings(root) == [
        f"deductions.yaml:{line}: the statement of deduction 'what_happened' has a slot {{reason}} with no blank",
        f"deductions.yaml:{why}: the blank 'why' of deduction 'what_happened' has no {{why}} slot in its statement",
    ]


def test_a_deduction_never_offered_is_a_warning(make_story: WriteStory) -> None:
    extra = (
        DEDUCTIONS
        + '\nspare:\n  title: Spare\n  statement: "{who} did it."\n  blanks:\n    who: {from: suspects, answer: fisher}\n'
    )
    root = make_story({"deductions.yaml": extra})
    assert findings(root) == []
    line = line_of(extra, "spare:")
    assert (
        f"deductions.yaml:{line}: warning: deduction 'spare' is never offered: no choice has 'deduce: spare'"
        in findings(root, "warning")
    )


def test_unknown_deductions_in_a_choice_and_a_condition(make_story: WriteStory) -> None:
    island = ISLAND.replace("deduce: what_happened", "deduce: what_happend").replace(
        "if: solved(what_happened)\n      present", "if: solved(what_hapened)\n      present"
    )
    root = make_story({"scenes/island.yaml": island})
    deduce_line = line_of(island, "- say: Lay out what happened")
    ask_line = line_of(island, "- say: Ask Agnes to prove")
    assert findings(root) == [
        f"scenes/island.yaml:{deduce_line}: unknown deduction 'what_happend'; did you mean 'what_happened'?",
        f"scenes/island.yaml:{ask_line}: unknown deduction 'what_hapened'; did you mean 'what_happened'?",
    ]


def test_an_evidence_question_accepting_an_unknown_clue(make_story: WriteStory) -> None:
    island = ISLAND.replace("accept: [ledger]", "accept: [ledgr]")
    root = make_story({"scenes/island.yaml": island})
    found = findings(root)
    assert (
        len(found) == 1 and "accepts 'ledgr', which is no clue, character or word; did you mean 'ledger'?" in found[0]
    )
    assert found[0].startswith(f"scenes/island.yaml:{line_of(island, 'partly:')}:")


def test_an_evidence_question_with_no_right_answers(make_story: WriteStory) -> None:
    island = ISLAND.replace("          accept: [cut_rope]\n", "")
    root = make_story({"scenes/island.yaml": island})
    assert findings(root) == [
        f"scenes/island.yaml:{line_of(island, 'right:')}: 'right' of the evidence question of the choice "
        "'Ask Agnes to prove she never touched the boat' needs 'accept:' (the items that count)"
    ]


def test_a_misspelt_word_in_a_learn_effect_is_named_with_a_suggestion(make_story: WriteStory) -> None:
    island = ISLAND.replace("        - learn: debt ", "        - learn: dept ")
    root = make_story({"scenes/island.yaml": island})
    line = line_of(island, "- learn: dept")
    assert f"scenes/island.yaml:{line}: unknown word 'dept'; did you mean 'debt'? [A201 unknown-reference]" in [
        str(with_code(f)).replace(f"{root.as_posix()}/", "") for f in check_story(root)[1]
    ]


def test_a_right_word_no_scene_teaches_before_the_deduction_is_asked(make_story: WriteStory) -> None:
    # the ledger teaches 'debt'; move the lesson to a scene no path leads from
    island = ISLAND.replace("        - learn: debt           # a blank may offer the word from now on\n", "")
    island += "\nattic:\n  beat: search\n  title: Attic\n  on_enter:\n    - learn: debt\n  choices:\n    - say: Down\n      goto: attic\n"
    root = make_story({"scenes/island.yaml": island})
    line = line_of(DEDUCTIONS, "why: {from: [debt, storm]")
    message = (
        f"deductions.yaml:{line}: the blank 'why' of deduction 'what_happened' accepts 'debt', but no scene "
        "where that word is learned comes before 'confrontation': a player can never hold it there"
    )
    assert message in findings(root)
    coded = [with_code(f) for f in check_story(root)[1] if "never hold it" in f.message]
    assert [f.code for f in coded] == ["A307 answer-never-held"]


def test_a_word_nothing_teaches_is_a_warning_and_never_offered(make_story: WriteStory) -> None:
    root = make_story({"scenes/island.yaml": ISLAND.replace("  on_enter:\n    - learn: storm\n", "")})
    line = line_of(DEDUCTIONS, "  storm: the storm")
    assert findings(root) == [], "a wrong word nobody teaches is no error: it is simply never on offer"
    warned = [with_code(f) for f in check_story(root)[1] if f.severity == "warning"]
    alone = [f for f in warned if f.code == "A309 answer-offered-alone"]
    assert len(alone) == 1, "and so the blank 'why' offers its right word alone"
    warned.remove(alone[0])
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.message, f.code) for f in warned] == [
        (
            "deductions.yaml",
            line,
            "word 'storm' is never learned: no 'learn: storm' anywhere, so no blank ever offers it",
            "A308 word-never-learned",
        )
    ]


def test_a_blank_offered_with_its_right_answer_alone_is_a_warning(make_story: WriteStory) -> None:
    # 'storm' is the wrong why; taught now only in an attic off every way to the confrontation, so a
    # player who has read the ledger is offered 'debt' and nothing else
    island = ISLAND.replace("  on_enter:\n    - learn: storm\n", "")
    island += "\nattic:\n  beat: search\n  title: Attic\n  on_enter:\n    - learn: storm\n  choices:\n    - say: Down\n      goto: attic\n"
    root = make_story({"scenes/island.yaml": island})
    warned = [with_code(f) for f in check_story(root)[1] if f.severity == "warning" and "alone" in f.message]
    assert [(f.line, f.code) for f in warned] == [
        (line_of(DEDUCTIONS, "why: {from: [debt, storm]"), "A309 answer-offered-alone")
    ]
    assert warned[0].message == (
        "the blank 'why' of deduction 'what_happened' can be offered with its right answer alone: a way through "
        "the scenes (a static look: of conditions only has() and knows() read) learns 'debt' and reaches "
        "'confrontation' before any scene teaches a wrong option ('storm'); teach a wrong one (a decoy) before "
        "or with the right one"
    )
    # taught with the right one, the decoy is always there: no warning
    taught = island.replace("        - learn: debt ", "        - learn: storm\n        - learn: debt ")
    again = make_story({"scenes/island.yaml": taught})
    assert not [f for f in check_story(again)[1] if "alone" in f.message]


def test_an_unknown_word_in_knows_is_named(make_story: WriteStory) -> None:
    island = ISLAND.replace("    - if: saw_tower\n", "    - if: knows(strom)\n")
    root = make_story({"scenes/island.yaml": island})
    line = line_of(island, "knows(strom)")
    assert findings(root) == [f"scenes/island.yaml:{line}: unknown word 'strom'; did you mean 'storm'?"]
