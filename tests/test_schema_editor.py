"""The real yaml-language-server (the YAML engine of VS Code, Neovim, Helix, Zed) on a story made by `archer new`.

It completes `goto:` with the story's scene ids and flags an unknown one, from
nothing but the `$schema` lines and schemas that `archer new`/`archer schema` write.
The server comes from npm (installed once into pytest's cache folder); without
node and npm the test is skipped with the command that installs them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

from game.scaffold import create_story

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest.fixture(scope="session")
def yaml_language_server(pytestconfig: pytest.Config) -> Path:
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.skip("needs node and npm: apt-get install nodejs npm (the test installs yaml-language-server itself)")
    assert pytestconfig.cache is not None
    folder = pytestconfig.cache.mkdir("yaml-language-server")
    server = folder / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    if not server.is_file():
        try:
            install = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), "yaml-language-server@1"],
                env={**os.environ, "npm_config_cache": str(folder / "npm-cache")},  # npm's cache, not the user's ~/.npm
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm took over 5 minutes to install yaml-language-server (is the registry reachable?)")
        if install.returncode != 0:
            pytest.skip(f"could not install yaml-language-server from npm: {install.stderr.strip()[-300:]}")
    return server


async def started(server: Path, root: Path) -> LanguageClient:
    client = make_test_lsp_client()
    client.set_configuration({"validate": True, "completion": True, "hover": True}, section="yaml")
    await client.start_io(str(shutil.which("node")), str(server), "--stdio")
    capabilities = client_capabilities("visual-studio-code")
    await client.initialize_session(lsp.InitializeParams(capabilities=capabilities, root_uri=root.as_uri()))
    return client


async def published(client: LanguageClient, path: Path) -> list[lsp.Diagnostic]:
    """The first non-empty diagnostics the server publishes for a file (it does once the schema is read).

    Polled, not awaited as "the next notification", which may slip past between two awaits.
    """
    async with asyncio.timeout(120):
        while not client.diagnostics.get(path.as_uri()):
            await asyncio.sleep(0.02)
    return list(client.diagnostics[path.as_uri()])


async def test_yaml_language_server_completes_and_checks_scene_ids(yaml_language_server: Path, tmp_path: Path) -> None:
    root = tmp_path / "quiet-house"
    create_story(root)
    path = root / "scenes" / "1-inquiry.yaml"
    text = path.read_text(encoding="utf-8").replace("      goto: study\n", "      goto: studdy\n", 1)
    client = await started(yaml_language_server, root)
    try:
        item = lsp.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=1, text=text)
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        found = await published(client, path)
        line = text.splitlines().index("      goto: studdy")
        assert [(d.range.start.line, d.range.start.character) for d in found] == [(line, 12)], found
        assert "hall" in found[0].message and "study" in found[0].message and "parlor" in found[0].message

        result = await client.text_document_completion_async(
            lsp.CompletionParams(
                text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()), position=lsp.Position(line, 12)
            )
        )
        items = result.items if isinstance(result, lsp.CompletionList) else result or []
        assert sorted(item.label for item in items) == ["hall", "parlor", "study"]

        # what check refuses, the editor flags too: a line with two speakers, a misspelt effect
        other = root / "scenes" / "2-reveal.yaml"
        text = other.read_text(encoding="utf-8").replace(
            "    - witness: Where did you find that?\n",
            "    - witness: Where did you find that?\n      detective: Here.\n",
        )
        text = text.replace("      ending: solved\n", "      ending: solved\n      do:\n        - gian: note\n")
        item = lsp.TextDocumentItem(uri=other.as_uri(), language_id="yaml", version=1, text=text)
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        lines = text.splitlines()
        found = await published(client, other)
        assert sorted(d.range.start.line for d in found) == [
            lines.index("    - witness: Where did you find that?"),
            lines.index("        - gian: note"),
        ], found
        assert any("gian" in d.message for d in found), found
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]  # pygls's client is not typed
