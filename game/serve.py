"""`archer serve`: the full-screen game in a web browser, by Textual's own `textual-serve`.

Each browser tab that opens the page starts its own `archer --tui` process, which textual-serve
drives over pipes with its web driver; saves, settings and the endings record are the same files
as in the terminal. Two changes to textual-serve's page keep it whole on a machine with no
internet: the font it asks a font host for is served from textual-serve's own static folder
(which ships it), and the terminal takes the keyboard at once, so nobody has to click first.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

PAGE = "app_index.html"
_FONT_HOST_LINK = re.compile(r"<link[^>]*//fonts\.googleapis\.com[^>]*>", re.DOTALL)
_LOCAL_FONT_AND_FOCUS = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-style: normal;
      }
    </style>
    <script>
      window.addEventListener("load", () => {
        // Keys go to the game from the first frame: focus the terminal's input once it exists.
        const focus = () => {
          const input = document.querySelector(".xterm-helper-textarea");
          input ? input.focus() : setTimeout(focus, 50);
        };
        focus();
      });
    </script>"""

INSTALL_HINT = "archer serve needs the 'web' extra: pip install 'archer-mystery[web]' (make play installs it)."


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` ('localhost', 127.x.x.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str:
    """What binding to a non-loopback address means, said before anyone can connect."""
    return (
        f"WARNING: serving on {host}:{port}, not only to this machine. Anyone who can reach this address "
        "can play, with no password, and every player shares this machine's saves folder: they see, load "
        "and overwrite the same save slots and endings record. The connection is not encrypted. "
        "Use --host 127.0.0.1 (the default) to keep the game to yourself."
    )


def offline_page(upstream: str) -> str:
    """textual-serve's page without its font host: the same font from the static folder, and keys from the start."""
    return _FONT_HOST_LINK.sub(lambda _: _LOCAL_FONT_AND_FOCUS, upstream, count=1)


def game_command(story: Path | None) -> str:
    """The command each browser session runs: this Python's `archer`, full-screen under the web driver."""
    command = [sys.executable, "-m", "game", "--tui"]
    if story is not None:
        command += ["--story", str(story.resolve())]
    return shlex.join(command)


def serve(host: str = "127.0.0.1", port: int = 8000, story: Path | None = None) -> int:
    """Serve the game until Ctrl+C; 1 when textual-serve is missing."""
    try:
        server = _make_server(game_command(story), host, port)
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    if not is_loopback(host):
        print(exposure_warning(host, port), file=sys.stderr)
    server.serve()
    return 0


def _make_server(command: str, host: str, port: int) -> Any:
    import aiohttp_jinja2
    import jinja2
    from textual_serve.server import Server

    class ArcherServer(Server):
        """textual-serve's server with the offline page, and links that name the host the browser used."""

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            upstream = (Path(self.templates_path) / PAGE).read_text(encoding="utf-8")
            aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({PAGE: offline_page(upstream)}))
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page's socket and static links are absolute: build them from the address the browser
            # used, so serving on 0.0.0.0 still hands a remote browser links it can follow.
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def on_startup(self, app: web.Application) -> None:
            shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            self.console.print(f"Archer is served at http://{shown}:{port}  (Ctrl+C stops it)", highlight=False)

    return ArcherServer(command, host=host, port=port, title="Archer")
