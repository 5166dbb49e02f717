"""Find a story folder's checked `Story`: from the compiled cache when its files are unchanged,
else read and checked afresh by `reader` (and cached for next time).

Kept apart from the reader so that a game starting from the cache never imports
it: the reader and its format tables cost the first frame a few percent (issue 7).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from game.story.files import naming, scan, story_digest, story_files
from game.story.findings import Finding, StoryError

if TYPE_CHECKING:
    from game.story.model import Story

__all__ = ["load_story", "read_story", "story_digest", "story_files"]  # the frontends find the digest here


def load_story(root: Path, *, use_cache: bool = True) -> Story:
    """Load and check a story, from the compiled cache when its files are unchanged.

    Raise StoryError listing every error.
    """
    from game.story.cache import read_cached, write_cache

    with _collector_paused():
        digest = story_digest(root) if use_cache and root.is_dir() else None
        if digest is not None:
            cached = read_cached(digest, root)
            if cached is not None:
                gc.freeze()  # the story lives as long as the game: spare the collector's first pass over it
                return cached.story
        from game.story.reader import Reader

        reader = Reader(root)
        story, findings = reader.read(digest)
        if story is None or any(f.severity == "error" for f in findings):
            raise StoryError(findings)
        if use_cache:
            write_cache(story, findings, naming(root), reader.rows)
        gc.freeze()  # the same: the collector's first pass over a story just read costs a twentieth of the read
        return story


def read_story(root: Path, *, use_cache: bool = False) -> tuple[Story | None, list[Finding]]:
    """Load a story, returning it (when sound enough to build) and every finding.

    With `use_cache`, files unchanged since a check or a game cached them are not read
    again: the cache gives back the story and the very findings the reader made; and a
    story read afresh without errors is cached.
    """
    with _collector_paused():
        if not use_cache:
            from game.story.reader import Reader

            return Reader(root).read()
        story, findings = _read_through_cache(root)
        gc.freeze()  # `archer check` keeps the story to its end: spare the collector's first pass over it
        return story, findings


def _read_through_cache(root: Path) -> tuple[Story | None, list[Finding]]:
    from game.story.cache import read_cached, write_cache

    digest = None
    if root.is_dir():
        files, links = scan(root)
        digest = story_digest(root, files) if not links else None  # a link out of the folder is an error
    if digest is not None:
        cached = read_cached(digest, root)
        if cached is not None and cached.naming == naming(root):
            return cached.story, cached.findings
    from game.story.reader import Reader

    reader = Reader(root)
    story, findings = reader.read(digest)
    if digest is not None and story is not None and not any(f.severity == "error" for f in findings):
        write_cache(story, findings, naming(root), reader.rows)
    return story, findings


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a story is read, checked, cached or unpickled.

    A load makes hundreds of thousands of objects and frees almost none: the
    collector's passes over them would find nothing and cost a good part of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
