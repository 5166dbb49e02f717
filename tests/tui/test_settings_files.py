"""Settings: kept between runs, written atomically, and never fatal when broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from game.tui.settings import Settings, load_settings, parse_settings, save_settings, settings_path
from game.tui.storage import config_dir, write_json_atomically


def test_the_config_dir_can_be_moved_by_the_environment(config_dir: Path) -> None:
    assert settings_path() == config_dir / "settings.json"


def test_without_the_override_it_is_the_users_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHER_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/somewhere/config")
    assert config_dir() == Path("/somewhere/config/archer")


def test_no_settings_file_means_the_defaults_and_no_complaint() -> None:
    assert load_settings() == (Settings(), None)
    assert Settings().theme == "archer-night" and Settings().typewriter


def test_settings_round_trip_through_the_file(config_dir: Path) -> None:
    chosen = Settings(theme="archer-day", text_speed="slow", typewriter=False)
    save_settings(chosen)
    assert load_settings() == (chosen, None)
    assert chosen.characters_per_second < Settings().characters_per_second


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("not json at all", "could not be read"),
        ("[1, 2, 3]", "does not hold a JSON object"),
        ('{"typewriter": "yes"}', "typewriter 'yes' is not true or false"),
        ('{"text_speed": "warp"}', "text speed 'warp' is not one of slow, normal, fast"),
    ],
)
def test_a_broken_settings_file_gives_defaults_and_one_plain_sentence(
    config_dir: Path, text: str, complaint: str
) -> None:
    config_dir.mkdir()
    settings_path().write_text(text, encoding="utf-8")
    settings, problem = load_settings()
    assert problem is not None and complaint in problem
    assert settings.typewriter is True and settings.text_speed == "normal"


def test_good_fields_survive_beside_a_bad_one() -> None:
    settings, problems = parse_settings({"theme": "archer-day", "typewriter": 3})
    assert settings == Settings(theme="archer-day")
    assert len(problems) == 1


def test_an_atomic_write_replaces_the_whole_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "deep" / "file.json"
    write_json_atomically(path, {"a": 1})
    seen: list[tuple[str, str]] = []  # at the rename: what the target and the new file hold
    rename = os.replace

    def watched(source: str, target: str) -> None:
        seen.append((Path(target).read_text(encoding="utf-8"), Path(source).read_text(encoding="utf-8")))
        rename(source, target)

    monkeypatch.setattr(os, "replace", watched)
    write_json_atomically(path, {"b": 2})
    assert [(json.loads(old), json.loads(new)) for old, new in seen] == [({"a": 1}, {"b": 2})], (
        "written whole, then renamed"
    )
    assert json.loads(path.read_text(encoding="utf-8")) == {"b": 2}
    assert os.listdir(path.parent) == ["file.json"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "file.json"
    write_json_atomically(path, {"kept": True})
    with pytest.raises(TypeError):
        write_json_atomically(path, {"bad": object()})

    def disk_full(_: int) -> None:  # the new bytes never reach the disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_json_atomically(path, {"kept": False, "padding": "x" * 100_000})
    assert json.loads(path.read_text(encoding="utf-8")) == {"kept": True}
    assert os.listdir(tmp_path) == ["file.json"]
