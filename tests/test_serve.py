"""`archer serve` without a browser: the offline page, the warning, the TUI under any driver, --version."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from textual_serve.server import Server

from game.cli import build_parser, full_screen
from game.serve import exposure_warning, game_command, is_loopback, offline_page

from support import archer


def upstream_page() -> str:
    return (Path(Server("x").templates_path) / "app_index.html").read_text(encoding="utf-8")


def test_the_page_asks_no_font_host_and_serves_the_font_itself() -> None:
    assert "fonts.googleapis.com" in upstream_page(), "textual-serve's page changed: read serve.py again"
    page = offline_page(upstream_page())
    assert not re.search(r"""(href|src|url)\(?=?["']?https?://""", page), "nothing is fetched from another host"
    assert "{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf" in page
    assert (Path(Server("x").statics_path) / "fonts" / "RobotoMono-VariableFont_wght.ttf").is_file()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
    ],
)
def test_only_the_loopback_keeps_the_game_to_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_to_others_says_what_it_means() -> None:
    warning = exposure_warning("0.0.0.0", 8000)
    assert "Anyone who can reach" in warning and "saves folder" in warning and "--host 127.0.0.1" in warning


def test_each_browser_session_runs_the_tui_on_the_story_asked_for(tmp_path: Path) -> None:
    command = game_command(tmp_path)
    assert "-m game --tui --story" in command and str(tmp_path) in command


def game_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_the_tui_starts_under_any_driver_it_is_handed_and_plain_stays_for_pipes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not full_screen(game_args()), "pytest's stdin is no terminal: plain mode"
    assert full_screen(game_args("--tui"))
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert full_screen(game_args())
    assert not full_screen(game_args("--plain")) and not full_screen(game_args("saves"))


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = archer("--version")
    assert result.returncode == 0 and result.stdout == f"archer {version('archer-mystery')}\n"
