"""A story's title page: the few facts the title screen shows, kept beside the story cache.

With it the TUI draws its first frame before it loads the story (issue 19): this small
file is read and checked in well under a millisecond, where the story (its model's
classes, the cache, the conditions) costs the first frame ~50 ms. Like the cache it is
untrusted input: a page is used only when every field has its type, no text holds a
control character, and its digest is the digest of the story's files as they are now.
The TUI compares it with the story it loads right after the first frame, so a page that
is wrong after all (a new version of the reader) is corrected at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from game import paths
from game.story.files import read_regular_file, story_digest
from game.story.sanitize import CONTROL

if TYPE_CHECKING:
    from game.story.model import Story

FORMAT = "archer-title-page"
VERSION = 1
MAX_BYTES = 256 * 1024  # a page is a few kilobytes; anything larger is not ours


class TitlePage(NamedTuple):
    """What the title screen shows of a story, and what it needs to find the player's saves and endings."""

    id: str
    digest: str  # of the story's files (game.story.files.story_digest): the saves' "older story" test
    title: str
    subtitle: str
    content_note: str
    endings: tuple[str, ...]


def page_of(story: Story) -> TitlePage:
    return TitlePage(story.id, story.digest, story.title, story.subtitle, story.content_note, tuple(story.endings))


def page_path(root: Path) -> Path | None:
    """Where the page of the story in `root` is kept: one file a story folder (None when caching is off)."""
    folder = paths.cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"title-{key}.json"


def read_title_page(root: Path) -> TitlePage | None:
    """The page of the story in `root` as its files are now, or None (none kept, stale, or not sound)."""
    path = page_path(root)
    raw = read_regular_file(path, MAX_BYTES) if path is not None and root.is_dir() else None
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    page = _checked(data, os.path.abspath(root))
    return page if page is not None and page.digest == story_digest(root) else None


def write_title_page(root: Path, page: TitlePage) -> None:
    """Keep `page` for the next start; a page that cannot be written is no error (the next start loads first)."""
    from game.atomic import write_atomically  # its temp files: only when writing

    path = page_path(root)
    if path is None:
        return
    data = {"format": FORMAT, "version": VERSION, "root": os.path.abspath(root), **page._asdict()}
    with contextlib.suppress(OSError, ValueError):
        write_atomically(path, json.dumps(data, ensure_ascii=False))


def _checked(data: object, root: str) -> TitlePage | None:
    """The page `data` holds when it is exactly a page of the story folder `root`, else None."""
    expected = {"format", "version", "root", *TitlePage._fields}
    if not isinstance(data, dict) or set(data) != expected:
        return None
    if data["format"] != FORMAT or data["version"] != VERSION or data["root"] != root:
        return None
    if not isinstance(data["endings"], list):
        return None
    texts: list[object] = [data[name] for name in TitlePage._fields[:-1]] + data["endings"]
    if not all(isinstance(text, str) and not CONTROL.search(text) for text in texts):
        return None
    return TitlePage(
        data["id"], data["digest"], data["title"], data["subtitle"], data["content_note"], tuple(data["endings"])
    )
