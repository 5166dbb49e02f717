"""`archer lsp`: a language server for story folders, so an editor knows the story as `archer check` does.

Diagnostics come from the same checker as `archer check`, run on the files as
the author has them in the editor (unsaved edits included). Every id (scene,
beat, character, clue, ending, trigger) can be followed to its definition,
listed where used, completed where one goes, hovered and renamed.

The ids are found by reading each file's lines (`index_file`): where a key like
`goto:` puts a scene id, where a top-level key defines one. That is all an
editor needs, and it works while a file is half-typed and no longer parses.
pygls is imported only here, and this module only by `archer lsp`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from game.story.check import check_story
from game.story.conditions import ID_PATTERN
from game.story.findings import Finding
from game.story.loader import story_files
from game.story.model import NARRATOR, VOICEOVER, Story
from game.story.reader import SPECIAL_FILES

KINDS = ("scene", "beat", "character", "clue", "ending", "trigger")
_ENTRY = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w.]*)\s*:(?:\s+|$)(?P<value>.*)$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<value>[a-z][a-z0-9_]*)\s*(#.*)?$")
_CALL = re.compile(r"\b(?P<fn>has|visited|visits)\(\s*(?P<id>[a-z][a-z0-9_]*)")
_VALUE_REFS = {"goto": "scene", "start": "scene", "beat": "beat", "initial": "beat", "source": "beat", "dest": "beat"}
_VALUE_REFS |= {"gain": "clue", "lose": "clue"}
_CALLS = {"has": "clue", "visited": "scene", "visits": "scene"}
# Files whose top-level keys define ids: characters.yaml defines characters, and so on for every special file.
_FILE_DEFINES = {name: name.removesuffix(".yaml").removesuffix("s") for name in SPECIAL_FILES if name != "story.yaml"}


@dataclass(frozen=True, slots=True)
class Mention:
    """An id written somewhere: its kind, the id, the place (0-based line, columns) and whether it defines it."""

    kind: str
    id: str
    path: Path
    line: int
    start: int
    end: int
    defines: bool = False

    def covers(self, line: int, column: int) -> bool:
        return self.line == line and self.start <= column <= self.end

    @property
    def location(self) -> lsp.Location:
        return lsp.Location(uri=from_fs_path(str(self.path)) or "", range=self.range)

    @property
    def range(self) -> lsp.Range:
        return lsp.Range(lsp.Position(self.line, self.start), lsp.Position(self.line, self.end))


def _value(match: re.Match[str]) -> tuple[str, int]:
    """A key's value without quotes or a trailing comment, and the column where it starts."""
    raw = match.group("value")
    start = match.start("value")
    text = raw.split(" #", 1)[0].rstrip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1], start + 1
    return text, start


def index_file(relative: str, path: Path, text: str) -> list[Mention]:
    """Every id a story file defines or refers to, found line by line."""
    mentions: list[Mention] = []
    special = relative in SPECIAL_FILES
    section = ""
    for number, line in enumerate(text.splitlines()):

        def mention(kind: str, ident: str, start: int, *, defines: bool = False, n: int = number) -> None:
            if ID_PATTERN.match(ident):
                mentions.append(Mention(kind, ident, path, n, start, start + len(ident), defines))

        entry = _ENTRY.match(line)
        if entry is None:
            item = _ITEM.match(line)
            if item and relative == "story.yaml" and section == "beats":
                mention("beat", item.group("value"), item.start("value"), defines=True)
            continue
        indent, key = len(entry.group("indent")), entry.group("key")
        value, column = _value(entry)
        if indent == 0 and not entry.group("dash"):
            section = key
            if not special:
                mention("scene", key, 0, defines=True)
            elif relative in _FILE_DEFINES:
                mention(_FILE_DEFINES[relative], key, 0, defines=True)
        if key == "if":
            for call in _CALL.finditer(value):
                mention(_CALLS[call.group("fn")], call.group("id"), column + call.start("id"))
        elif relative == "story.yaml":
            if section == "endings" and indent == 2:
                mention("ending", key, indent, defines=True)
            elif key == "name" and section == "beats":
                mention("beat", value, column, defines=True)
            elif key == "trigger":
                mention("trigger", value, column, defines=True)
            elif key == "voiceover":
                mention("character", value, column)
            elif key in _VALUE_REFS:
                mention(_VALUE_REFS[key], value, column)
        elif relative == "clues.yaml":
            if indent == 4 and key != "bears_on":
                mention("character", key, entry.start("key"))
        elif not special:
            if key in _VALUE_REFS:
                mention(_VALUE_REFS[key], value, column)
            elif key == "ending":
                mention("ending", value, column)
            elif key == "trigger":
                mention("trigger", value, column)
            elif indent >= 4 and key not in (NARRATOR, VOICEOVER) and key not in _SCENE_KEYS:
                mention("character", key, entry.start("key"))
    return mentions


_SCENE_KEYS = {"title", "place", "lines", "on_enter", "choices", "say", "once", "do", "id", "set", "clear", "add"}


def story_root(path: Path) -> Path | None:
    """The story folder holding a file: the nearest folder above it with a story.yaml."""
    for folder in path.parents:
        if (folder / "story.yaml").is_file():
            return folder
    return None


class StoryServer(LanguageServer):
    """The server, with what it knows of each story folder the editor has opened files in."""

    def __init__(self) -> None:
        super().__init__("archer", "1")
        self.stories: dict[Path, Story] = {}  # the last story that could be read, by root
        self.published: dict[Path, set[str]] = {}  # the uris given diagnostics, by root

    # -- the texts, as the editor has them --------------------------------
    def texts(self, root: Path) -> dict[Path, str]:
        """Every story file's text: the editor's buffer when it is open, else the file on disk."""
        texts = {path.resolve(): path.read_text(encoding="utf-8", errors="replace") for path in story_files(root)}
        for uri, document in self.workspace.text_documents.items():
            path = Path(to_fs_path(uri) or "").resolve()
            if story_root(path) == root and path.suffix in (".yaml", ".yml"):
                texts[path] = document.source
        return texts

    def mentions(self, root: Path) -> list[Mention]:
        found: list[Mention] = []
        for path, text in self.texts(root).items():
            found += index_file(path.relative_to(root).as_posix(), path, text)
        return found

    def root_of(self, uri: str) -> Path | None:
        return story_root(Path(to_fs_path(uri) or "").resolve())

    def mention_at(self, uri: str, position: lsp.Position) -> tuple[Path, Mention] | None:
        root = self.root_of(uri)
        if root is None:
            return None
        path = Path(to_fs_path(uri) or "").resolve()
        text = self.texts(root).get(path, "")
        for mention in index_file(path.relative_to(root).as_posix(), path, text):
            if mention.covers(position.line, position.character):
                return root, mention
        return None

    # -- diagnostics -------------------------------------------------------
    def check(self, root: Path) -> None:
        """Run `archer check` on the files as they are in the editor and publish what it finds."""
        texts = self.texts(root)
        with tempfile.TemporaryDirectory(prefix="archer-lsp-") as scratch:
            mirror = Path(scratch) / "story"
            for path, text in texts.items():
                copy = mirror / path.relative_to(root)
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(text, encoding="utf-8")
            if (root / "schema").is_dir():
                shutil.copytree(root / "schema", mirror / "schema", dirs_exist_ok=True)
            story, findings = check_story(mirror)
            if story is not None:
                self.stories[root] = story.with_root(root)
            by_file: dict[str, list[lsp.Diagnostic]] = {from_fs_path(str(p)) or "": [] for p in texts}
            for finding in findings:
                path, diagnostic = self._diagnostic(finding, mirror, root, texts)
                by_file.setdefault(from_fs_path(str(path)) or "", []).append(diagnostic)
        for uri in self.published.get(root, set()) - by_file.keys():
            by_file[uri] = []
        for uri, diagnostics in by_file.items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        self.published[root] = {uri for uri, diagnostics in by_file.items() if diagnostics}

    @staticmethod
    def _diagnostic(
        finding: Finding, mirror: Path, root: Path, texts: Mapping[Path, str]
    ) -> tuple[Path, lsp.Diagnostic]:
        """A finding as an editor shows it: the real file, and the id it names underlined when it can be found."""
        written = Path(finding.file)
        if not written.is_absolute():
            written = Path.cwd() / written
        try:
            path = (root / written.resolve().relative_to(mirror.resolve())).resolve()
        except ValueError:
            path = written
        message = finding.message.replace(str(mirror), str(root))
        line = max(finding.line - 1, 0)
        lines = texts.get(path, "").splitlines()
        text = lines[line] if line < len(lines) else ""
        start, end = len(text) - len(text.lstrip()), len(text)
        for quoted in re.findall(r"'([^']+)'", message):
            found = text.find(quoted)
            if found >= 0:
                start, end = found, found + len(quoted)
                break
        severity = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}
        return path, lsp.Diagnostic(
            range=lsp.Range(lsp.Position(line, start), lsp.Position(line, end)),
            message=message,
            severity=severity.get(finding.severity, lsp.DiagnosticSeverity.Information),
            source="archer check",
        )

    # -- what an id is -----------------------------------------------------
    def describe(self, root: Path, kind: str, ident: str) -> str | None:
        """Markdown about an id: a scene's title and first line, a clue's text, and so on."""
        story = self.stories.get(root)
        if story is None:
            return None
        if kind == "scene" and ident in story.scenes:
            scene = story.scenes[ident]
            first = (
                f"\n\n{story.speaker_name(scene.lines[0].speaker) or 'Narrator'}: {scene.lines[0].text}"
                if scene.lines
                else ""
            )
            place = f" · {scene.place}" if scene.place else ""
            return f"**{scene.title}**{place} (scene `{ident}`){first}"
        if kind == "clue" and ident in story.clues:
            clue = story.clues[ident]
            return f"**{clue.name}** (clue `{ident}`)\n\n{clue.description}"
        if kind == "character" and ident in story.characters:
            character = story.characters[ident]
            return f"**{character.name}** (character `{ident}`)\n\n{character.description}"
        if kind == "ending" and ident in story.endings:
            ending = story.endings[ident]
            return f"**{ending.title}** (ending `{ident}`)\n\n{ending.text}"
        if kind == "beat" and ident in story.beats:
            beat = story.beats[ident]
            return f"**{beat.title}** (beat `{ident}`)\n\n{beat.card}"
        return None

    def labels(self, root: Path, kind: str) -> dict[str, str]:
        """The ids of a kind with a label each, from the last readable story, else from the files' definitions."""
        story = self.stories.get(root)
        if story is not None:
            from game.story.schema import story_ids

            known = story_ids(story).get(kind, {})
            if known:
                return dict(known)
        return {m.id: "" for m in self.mentions(root) if m.defines and m.kind == kind}


server = StoryServer()


def _check_document(ls: StoryServer, uri: str) -> None:
    root = ls.root_of(uri)
    if root is not None:
        ls.check(root)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: StoryServer, params: lsp.DidOpenTextDocumentParams) -> None:
    _check_document(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: StoryServer, params: lsp.DidChangeTextDocumentParams) -> None:
    _check_document(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: StoryServer, params: lsp.DidSaveTextDocumentParams) -> None:
    _check_document(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: StoryServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    found = ls.mention_at(params.text_document.uri, params.position)
    if found is None:
        return []
    root, mention = found
    return [m.location for m in ls.mentions(root) if m.defines and (m.kind, m.id) == (mention.kind, mention.id)]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: StoryServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    found = ls.mention_at(params.text_document.uri, params.position)
    if found is None:
        return []
    root, mention = found
    return [
        m.location
        for m in ls.mentions(root)
        if (m.kind, m.id) == (mention.kind, mention.id) and (params.context.include_declaration or not m.defines)
    ]


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: StoryServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = ls.mention_at(params.text_document.uri, params.position)
    if found is None:
        return None
    root, mention = found
    about = ls.describe(root, mention.kind, mention.id)
    if about is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=about), range=mention.range)


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: StoryServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = ls.mention_at(params.text_document.uri, params.position)
    if found is None:
        return None
    if not ID_PATTERN.match(params.new_name):
        raise ValueError(f"'{params.new_name}' is not an id: lower-case letters, digits and _, starting with a letter")
    root, mention = found
    changes: dict[str, list[lsp.TextEdit]] = {}
    for m in ls.mentions(root):
        if (m.kind, m.id) == (mention.kind, mention.id):
            changes.setdefault(m.location.uri, []).append(lsp.TextEdit(range=m.range, new_text=params.new_name))
    return lsp.WorkspaceEdit(changes=changes)


_COMPLETE_VALUE = re.compile(r"^\s*(-\s+)?(?P<key>[a-z_]+)\s*:\s*(?P<typed>[a-z0-9_]*)$")
_COMPLETE_CALL = re.compile(r"\b(?P<fn>has|visited|visits)\(\s*(?P<typed>[a-z0-9_]*)$")
_COMPLETE_SPEAKER = re.compile(r"^\s+-\s+(?P<typed>[a-z0-9_]*)$")


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "("]))
def complete(ls: StoryServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    root = ls.root_of(uri)
    items: list[lsp.CompletionItem] = []
    if root is not None:
        document = ls.workspace.get_text_document(uri)
        lines = document.lines
        line = lines[params.position.line] if params.position.line < len(lines) else ""
        before = line[: params.position.character]
        relative = Path(to_fs_path(uri) or "").resolve().relative_to(root).as_posix()
        kind = _kind_wanted(before, relative)
        if kind is not None:
            labels = ls.labels(root, kind)
            if kind == "character" and _COMPLETE_SPEAKER.match(before):
                labels = {NARRATOR: "Narration", VOICEOVER: "The story's voiceover", **labels}
            items = [
                lsp.CompletionItem(
                    label=ident, detail=f"{kind}: {label}" if label else kind, kind=lsp.CompletionItemKind.Reference
                )
                for ident, label in labels.items()
            ]
    return lsp.CompletionList(is_incomplete=False, items=items)


def _kind_wanted(before: str, relative: str) -> str | None:
    """The kind of id the text before the cursor asks for, or None where no id goes."""
    call = _COMPLETE_CALL.search(before)
    if call is not None:
        return _CALLS[call.group("fn")]
    value = _COMPLETE_VALUE.match(before)
    if value is not None:
        key = value.group("key")
        if key in _VALUE_REFS:
            return _VALUE_REFS[key]
        if key in ("ending", "trigger") and relative not in ("story.yaml",):
            return key
        if key == "voiceover" and relative == "story.yaml":
            return "character"
        return None
    if _COMPLETE_SPEAKER.match(before) and relative not in SPECIAL_FILES:
        return "character"
    return None


def serve() -> int:
    """Serve on stdin and stdout until the editor says goodbye."""
    server.start_io()
    return 0
