"""`archer check` on files it has checked before: the cache gives back the story and the very
findings the reader made, without reading the YAML again (issue 19: a check that starts fast)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from game.story import cache
from game.story.check import check_story
from game.story.loader import load_story, story_digest

from support import ROOT, WriteStory

CUT_SHORT = {
    "scenes/extra.yaml": """
        cellar:
          beat: search
          title: The cellar
          lines:
            - narrator: Crates marked #12 and a door
          choices:
            - say: Go back up
              goto: shore
    """
}


def forbid_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the YAML was read: the cache was not used")

    monkeypatch.setattr("game.story.reader.Reader.read", refuse)


def test_a_second_check_gives_the_same_findings_without_reading_the_yaml(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_story(CUT_SHORT)
    story, first = check_story(root, use_cache=True)
    assert story is not None
    assert any("cut short by a comment" in f.message for f in first)  # the reader's own warning
    assert any("cannot be reached" in f.message for f in first)  # and a warning of the whole story's
    forbid_yaml(monkeypatch)
    again, second = check_story(root, use_cache=True)
    assert second == first
    assert again is not None and again.scenes == story.scenes and again.root == root


def test_a_check_after_a_game_is_served_by_the_game_s_cache(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_story(CUT_SHORT)
    expected = check_story(root)[1]  # no cache: read afresh
    load_story(root)  # the game caches the story, and the reader's findings with it
    forbid_yaml(monkeypatch)
    assert check_story(root, use_cache=True)[1] == expected


def test_files_are_read_afresh_when_the_check_runs_from_elsewhere(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The findings name files relative to the working folder: a cache made from another names them wrong."""
    root = make_story(CUT_SHORT)
    monkeypatch.chdir(tmp_path)
    check_story(root, use_cache=True)
    monkeypatch.chdir(root)
    _, findings = check_story(root, use_cache=True)
    assert "scenes/extra.yaml" in {f.file for f in findings}


def test_a_link_out_of_the_folder_added_after_a_check_is_still_reported(make_story: WriteStory, tmp_path: Path) -> None:
    root = make_story()
    assert not any(f.severity == "error" for f in check_story(root, use_cache=True)[1])
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("cellar: {}\n", encoding="utf-8")
    (root / "scenes" / "link.yaml").symlink_to(outside)  # not a story file: the digest does not change
    _, findings = check_story(root, use_cache=True)
    assert any("link to a file outside the story folder" in f.message for f in findings)


def test_a_check_with_errors_is_not_cached(make_story: WriteStory) -> None:
    root = make_story(
        {
            "scenes/extra.yaml": "cellar:\n  beat: search\n  title: The cellar\n  choices:\n    - say: Up\n      goto: nowhere\n"
        }
    )
    assert any(f.severity == "error" for f in check_story(root, use_cache=True)[1])
    folder = cache.cache_dir()
    assert folder is not None and not list(folder.glob("*.pickle"))


def forge(root: Path, findings: tuple[object, ...]) -> None:
    """A cache file with the right key and checksum whose findings are `findings`, as given."""
    story = load_story(root)
    loaded = cache.stored(story, (), "")
    payload = (*loaded[:4], (loaded[4][0], findings))
    path = cache.path_for(story_digest(root))
    assert path is not None
    path.write_bytes(cache.framed(pickle.dumps(payload)))


@pytest.mark.parametrize(
    "findings",
    [
        (("story/story.yaml", 1, "a planted error", "error", "", 0),),  # a cached story never had errors
        (("story/story.yaml", "1", "not a number", "warning", "", 0),),
        (("story/story.yaml", 1, "too short"),),
        ("not a row",),
        ((b"bytes", 1, "text", "warning", "", 0),),
    ],
)
def test_forged_findings_in_a_cache_are_never_shown(make_story: WriteStory, findings: tuple[object, ...]) -> None:
    root = make_story()
    forge(root, findings)
    assert cache.read_cached(story_digest(root), root) is None
    assert check_story(root, use_cache=True)[1] == check_story(root)[1]


def test_a_warm_check_no_proof_imports_neither_yaml_nor_the_engine_nor_the_tui(tmp_path: Path) -> None:
    """What `archer check --no-proof` loads on unchanged files: the cache and the checks, nothing more."""
    code = (
        "import json, sys\n"
        "from game.cli import main\n"
        "status = main(['check', 'story', '--no-proof'])\n"
        "print(json.dumps([status, sorted(sys.modules)]))"
    )
    env = {**os.environ, "ARCHER_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True) for _ in "12"
    ]
    (cold_status, cold), (warm_status, warm) = (json.loads(run.stdout.splitlines()[-1]) for run in runs)
    assert cold_status == warm_status == 0
    assert "yaml" in cold  # the first check reads the files
    unwanted = ("yaml", "game.story.reader", "game.engine", "game.tui", "textual", "rich", "transitions")
    assert [name for name in warm if name.split(".")[0] in unwanted or name.startswith(unwanted)] == []
