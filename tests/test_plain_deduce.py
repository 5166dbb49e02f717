"""Plain mode's deductions and evidence: numbered lists per blank, the statement read back, then confirm."""

from __future__ import annotations

from support import EXAMPLE_DIR, archer

# The lighthouse to the accusation: the tower, the ledger, down, the jetty, the rope, tell Agnes.
TO_THE_ACCUSATION = "1\n1\n1\n2\n1\n1\n"


def play(keys: str) -> str:
    result = archer("--plain", "--story", str(EXAMPLE_DIR), stdin=keys)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_deduction_is_asked_blank_by_blank_read_back_and_confirmed() -> None:
    # deduce: You, the ledger, the storm (all wrong), confirm; then again, right, and confirm
    out = play(TO_THE_ACCUSATION + "2\n1\n1\n2\nyes\n" + "2\n2\n2\n1\nyes\n")
    assert (
        "What happened to the keeper. Fill in 3 blanks, then confirm. Type cancel to stop.\n"
        "(who) cut the keeper's boat loose, and (proof) shows it, over (why).\n"
        "Blank 1 of 3, who:\n  1. You\n  2. Agnes the fisher\n"
    ) in out
    assert "Blank 2 of 3, proof:\n  1. The keeper's ledger\n  2. A cut mooring rope\n" in out
    assert (
        "You will say: You cut the keeper's boat loose, and the keeper's ledger shows it, over the storm.\n"
        "If any of it is wrong, that will cost you: your resolve falls by one.\nSubmit it?"
    ) in out, "a wrong try costs nerve here: plain mode says so before it asks"
    assert "Your deduction: More than one is wrong." in out
    assert "Your deduction: All of it is right." in out
    assert out.index("More than one is wrong.") < out.index("That's a story. It isn't what happened.")
    assert "Agnes the fisher: Say it, then. Say what you think I did." in out


def test_the_deduce_and_present_commands_take_the_choice_that_asks() -> None:
    out = play("deduce\n" + TO_THE_ACCUSATION + "deduce\n2\n2\n1\nyes\n" + "present\n2\n")
    assert "There is nothing to work out here right now." in out
    assert "Your deduction: All of it is right." in out
    assert "Agnes folds her arms. “Show me one thing that puts my knife on that rope.” Choose what to present:" in out
    assert "== The end: The keeper comes home ==" in out


def test_cancel_and_no_submit_nothing() -> None:
    out = play(TO_THE_ACCUSATION + "2\n2\ncancel\n" + "2\n2\n2\n1\nno\n2\n2\n1\ncancel\n" + "2\n7\n2\n2\n1\nyes\n")
    assert out.count("Canceled. Nothing was submitted.") == 2
    assert "Type a number from 1 to 2, or cancel." in out
    assert out.count("Your deduction:") == 1, "only the last, confirmed one was submitted"


def test_the_casebook_reads_back_the_deduction_as_last_put() -> None:
    out = play(TO_THE_ACCUSATION + "2\n1\n1\n1\nyes\ncasebook\n")
    assert (
        "- What happened to the keeper, as you last put it: You cut the keeper's boat loose, and the keeper's "
        "ledger shows it, over a debt over the boat. More than one is wrong. (1 try)\n"
    ) in out
