"""`archer lsp` end to end: a real LSP client (pytest-lsp) talks to the server over stdio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from game.scaffold import create_story
from game.story.check import check_story

# One language server for the module: on one worker under `--dist loadgroup` too.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("lsp")]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_story(tmp_path_factory.mktemp("lsp") / "quiet-house")[0].parent


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]  # pytest-lsp's decorator is not typed
    scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "game", "lsp"])
)
async def client(lsp_client: LanguageClient, root: Path) -> AsyncIterator[None]:
    params = lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri())
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def uri(root: Path, name: str) -> str:
    return (root / name).as_uri()


def position_of(root: Path, name: str, text: str, offset: int = 0) -> lsp.Position:
    """Where `text` first appears in a file (plus `offset` characters)."""
    for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines()):
        if text in line:
            return lsp.Position(number, line.index(text) + offset)
    raise AssertionError(f"{text!r} is not in {name}")


def doc(root: Path, name: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri(root, name))


async def diagnostics(client: LanguageClient, file_uri: str) -> list[lsp.Diagnostic]:
    """The diagnostics the server publishes next for a file (clear them before the edit that brings them).

    Polled, not awaited as "the next notification", which may slip past between two awaits; the wait
    is long because a loaded 2-core machine can take tens of seconds to start a server.
    """
    async with asyncio.timeout(120):
        while file_uri not in client.diagnostics:
            await asyncio.sleep(0.02)
    return list(client.diagnostics[file_uri])


async def test_diagnostics_come_from_check_as_the_author_types(client: LanguageClient, root: Path) -> None:
    name = "scenes/1-inquiry.yaml"
    saved = (root / name).read_text(encoding="utf-8")
    typo = saved.replace(
        "    - say: Search the study\n      goto: study", "    - say: Search the study\n      goto: studdy"
    )
    client.diagnostics.clear()
    item = lsp.TextDocumentItem(uri=uri(root, name), language_id="yaml", version=1, text=typo)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
    found = await diagnostics(client, uri(root, name))
    assert [d.message for d in found] == ["unknown scene 'studdy'; did you mean 'study'?"]
    line = typo.splitlines().index("      goto: studdy")
    assert found[0].range == lsp.Range(lsp.Position(line, 12), lsp.Position(line, 18))
    assert found[0].severity == lsp.DiagnosticSeverity.Error
    assert (root / name).read_text(encoding="utf-8") == saved  # the buffer was checked, not the file
    client.diagnostics.clear()
    change = lsp.TextDocumentContentChangeWholeDocument(text=saved)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri(root, name), version=2), content_changes=[change]
        )
    )
    assert await diagnostics(client, uri(root, name)) == []


async def test_go_to_definition_and_find_references(client: LanguageClient, root: Path) -> None:
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=doc(root, "story.yaml"), position=position_of(root, "story.yaml", "start: hall", 8)
        )
    )
    assert isinstance(found, list)
    assert [(f.uri, f.range.start.line) for f in found] == [
        (uri(root, "scenes/1-inquiry.yaml"), position_of(root, "scenes/1-inquiry.yaml", "hall:").line)
    ]
    places = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc(root, "clues.yaml"),
            position=lsp.Position(1, 1),  # the clue 'note' where clues.yaml defines it
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert places is not None
    files = sorted((Path(p.uri).name, p.range.start.line) for p in places)
    assert [f for f, _ in files] == [
        "1-inquiry.yaml",
        "1-inquiry.yaml",
        "clues.yaml",
        "story.yaml",
    ]  # has(), gain:, the definition, the beat guard


async def completion(client: LanguageClient, root: Path, name: str, text: str, offset: int) -> list[str]:
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=doc(root, name), position=position_of(root, name, text, offset))
    )
    assert isinstance(result, lsp.CompletionList)
    return [item.label for item in result.items]


async def test_completion_offers_the_ids_that_fit(client: LanguageClient, root: Path) -> None:
    scenes = "scenes/1-inquiry.yaml"
    assert await completion(client, root, scenes, "goto: study", 6) == ["hall", "study", "parlor"]
    assert await completion(client, root, scenes, "beat: inquiry", 6) == ["inquiry", "reveal"]
    assert await completion(client, root, scenes, "trigger: confront", 9) == ["confront"]
    assert await completion(client, root, scenes, "gain: note", 6) == ["note"]
    assert await completion(client, root, scenes, "if: has(note)", 8) == ["note"]
    assert await completion(client, root, scenes, "- narrator: Rain", 2) == [
        "narrator",
        "voiceover",
        "detective",
        "witness",
    ]
    assert await completion(client, root, "scenes/2-reveal.yaml", "ending: solved", 8) == ["solved"]
    assert await completion(client, root, scenes, "title: The hall", 7) == []


async def test_hover_shows_a_scene_and_a_clue(client: LanguageClient, root: Path) -> None:
    scenes = "scenes/1-inquiry.yaml"
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc(root, scenes), position=position_of(root, scenes, "goto: study", 7))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("**The study** · The old house")
    assert "Papers everywhere, and one torn note under the lamp." in hover.contents.value
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc(root, scenes), position=position_of(root, scenes, "gain: note", 7))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "Half a page in the witness's hand" in hover.contents.value


async def test_rename_changes_every_use_and_the_story_stays_sound(client: LanguageClient, root: Path) -> None:
    scenes = "scenes/1-inquiry.yaml"
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=doc(root, scenes), position=position_of(root, scenes, "study:", 1), new_name="library"
        )
    )
    assert edit is not None and edit.changes is not None
    assert sum(len(edits) for edits in edit.changes.values()) == 3  # the definition and two gotos
    for file_uri, edits in edit.changes.items():
        path = Path(file_uri.removeprefix("file://"))
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for change in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            line = lines[change.range.start.line]
            lines[change.range.start.line] = (
                line[: change.range.start.character] + change.new_text + line[change.range.end.character :]
            )
        path.write_text("".join(lines), encoding="utf-8")
    story, findings = check_story(root)
    assert story is not None and "library" in story.scenes and "study" not in story.scenes
    assert [str(f) for f in findings if f.severity == "error"] == []
