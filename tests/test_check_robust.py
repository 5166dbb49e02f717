"""`archer check` on hostile files (issue 12, items 5, 10, 11): a file:line message for each, never a crash.

A crash of Archer itself exits 3 with a log to report, never 1 (which means "the story has errors").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from game import cli
from game.story.findings import Finding

from support import EXAMPLE_DIR, WriteStory

ISLAND = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text(encoding="utf-8")


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """Exit status, printed findings (paths relative to the story), and what went to stderr."""
    status = cli.main(["check", str(root)])
    out, err = capsys.readouterr()
    return status, [line.replace(f"{root.as_posix()}/", "") for line in out.splitlines()], err


def island(old: str, new: str) -> dict[str, str]:
    assert old in ISLAND
    return {"scenes/island.yaml": ISLAND.replace(old, new, 1)}


CONDITION_LINE = "scenes/island.yaml:25: bad condition in a line of scene 'tower': "


@pytest.mark.parametrize(
    ("files", "status", "finding"),
    [
        (island("title: The shore", "title: 2001-13-45"), 0, None),
        (island("title: The shore", "title: 12:30"), 0, None),
        (island("title: The shore", "title: " + "7" * 4_301), 1, "scenes/island.yaml:4: this number has 4,301 digits"),
        (island("title: The shore", "title: !!map [a, b]"), 1, "scenes/island.yaml:4: '!!map' cannot tag a list"),
        (island("title: The shore", "title: !!seq {a: b}"), 1, "scenes/island.yaml:4: '!!seq' cannot tag a mapping"),
        (island("title: The shore", 'title: !!int "zz"'), 1, "scenes/island.yaml:4: '!!int' cannot tag the text 'zz'"),
        (island("title: The shore", "title: !!bool"), 1, "scenes/island.yaml:4: '!!bool' cannot tag an empty value"),
        (island("title: The shore", "title: !!str {a: b}"), 1, "scenes/island.yaml:4: '!!str' cannot tag a mapping"),
        (island("if: has(ledger)", "if: " + "not " * 1_000 + "x"), 1, CONDITION_LINE + "the condition is too long"),
        (island("if: has(ledger)", "if: " + "not " * 3_000 + "x"), 1, CONDITION_LINE + "the condition is too long"),
        (island("if: has(ledger)", "if: " + "not " * 200 + "x"), 1, CONDITION_LINE + "the condition nests more"),
        (island("if: has(ledger)", "if: resolve > " + "-" * 900 + "1"), 1, CONDITION_LINE + "the condition nests"),
        (island("if: has(ledger)", "if: resolve > " + "- " * 400 + "1"), 1, CONDITION_LINE + "the condition nests"),
        (island("title: The shore", "title: <<"), 0, None),
        (island("title: The shore", "title: ="), 0, None),
        (island("shore:\n", '"shore\\n":\n'), 1, "scenes/island.yaml:2: 'shore\\n' is not a valid scene id"),
    ],
)
def test_hostile_values_are_file_line_messages(
    make_story: WriteStory, capsys: pytest.CaptureFixture[str], files: dict[str, str], status: int, finding: str | None
) -> None:
    got, lines, err = check(make_story(files), capsys)
    assert "Traceback" not in err
    assert got == status, (lines, err)
    if finding is not None:
        assert any(line.startswith(finding) for line in lines), lines


def test_a_title_that_looks_like_a_date_or_time_is_text(make_story: WriteStory) -> None:
    from game.story.loader import load_story

    story = load_story(make_story(island("title: The shore", "title: 2001-13-45")), use_cache=False)
    assert story.scenes["shore"].title == "2001-13-45"


def test_an_unreadable_file_is_a_message(
    make_story: WriteStory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_story()
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.name == "clues.yaml":  # chmod 000 does not stop root, who may run the tests
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    status, lines, err = check(root, capsys)
    assert status == 1 and "Traceback" not in err
    assert "clues.yaml:1: the file cannot be read (Permission denied) [A007 unreadable-file]" in lines


def test_a_file_not_in_utf8_is_a_message(make_story: WriteStory, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_story()
    (root / "scenes" / "latin.yaml").write_bytes("cove:\n  title: Caf\xe9\n".encode("latin-1"))
    status, lines, _ = check(root, capsys)
    assert status == 1
    assert any(line.startswith("scenes/latin.yaml:1: the file is not UTF-8 text") for line in lines), lines


def test_a_link_to_a_file_outside_the_story_is_refused_unread(
    make_story: WriteStory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("cove:\n  title: TOP-SECRET-TEXT\n", encoding="utf-8")
    root = make_story()
    os.symlink(secret, root / "scenes" / "cove.yaml")
    status, lines, err = check(root, capsys)
    assert status == 1
    assert (
        "scenes/cove.yaml:1: this file is a link to a file outside the story folder, which is not read; "
        in "\n".join(lines)
    )
    assert "TOP-SECRET" not in "\n".join(lines) + err
    assert str(tmp_path / "secret.yaml") not in "\n".join(lines) + err


def test_control_characters_never_reach_the_terminal(
    make_story: WriteStory, capsys: pytest.CaptureFixture[str]
) -> None:
    clipboard = "\x1b]52;c;ZXZpbA==\x07"
    root = make_story(island("title: The shore", 'title: "Shore\\e]52;c;ZXZpbA==\\a"\n  pla: x'))
    (root / "scenes" / f"odd{clipboard}.yaml").write_text("cove: 3\n", encoding="utf-8")
    status, lines, err = check(root, capsys)
    assert status == 1
    printed = "\n".join(lines) + err
    assert "\x1b" not in printed and "\x07" not in printed
    assert any("odd\\x1b]52;c;ZXZpbA==\\x07.yaml:1:" in line for line in lines), lines  # escaped, visible
    assert "scenes/island.yaml:4: warning: control characters (such as ESC) were removed" in printed


def test_the_model_holds_no_control_characters(make_story: WriteStory) -> None:
    from game.story.loader import load_story

    story = load_story(make_story(island("title: The shore", 'title: "Shore\\e]52;c;ZXZpbA==\\a"')), use_cache=False)
    assert story.scenes["shore"].title == "Shore]52;c;ZXZpbA=="


def test_a_merge_override_is_no_duplicate_in_a_story(
    make_story: WriteStory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_story(
        island(
            "tower:\n  beat: search\n  title: The lamp room",
            "tower:\n  <<: &base {beat: search, title: Base}\n  title: The lamp room",
        )
    )
    status, lines, _ = check(root, capsys)
    assert status == 0, lines


def test_a_crash_inside_check_exits_3_with_a_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(root: Path, *, use_cache: bool = False) -> tuple[None, list[Finding]]:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr("game.story.check.check_story", broken)
    status = cli.main(["check", str(EXAMPLE_DIR)])
    err = capsys.readouterr().err
    assert status == 3
    assert "internal error (ZeroDivisionError)" in err and "not in your files" in err
    log = Path(err.split("the details are in ")[1].split(". Please")[0])
    try:
        assert "ZeroDivisionError: injected" in log.read_text(encoding="utf-8")
    finally:
        log.unlink()
