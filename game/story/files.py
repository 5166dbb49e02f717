"""Which files make up a story folder, and a digest of them that any edit changes.

Kept apart from both the loader and the reader (each needs it; neither imports the other
for it). A file that is a symbolic link to somewhere outside the story folder is not part
of the story: it is never read, only named, so a story cannot be made to show a stranger's file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def _scan(root: Path) -> tuple[list[Path], list[Path]]:
    """(the story's YAML files, the YAML links that lead outside the folder), each sorted."""
    inside: list[Path] = []
    outside: list[Path] = []
    home = root.resolve()
    for folder, _dirs, names in os.walk(root):  # symbolic links to folders are not followed
        for name in names:
            path = Path(folder, name)
            if path.suffix not in SUFFIXES:
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(home):
                outside.append(path)
            elif path.is_file():
                inside.append(path)
    return sorted(inside), sorted(outside)


def story_files(root: Path) -> list[Path]:
    """Every YAML file of a story, in a stable order (links out of the folder left out)."""
    return _scan(root)[0]


def outside_links(root: Path) -> list[Path]:
    """YAML files in the folder that are symbolic links to files outside it: refused, never read."""
    return _scan(root)[1]


def story_digest(root: Path) -> str:
    """A hash of every story file's name and bytes: any edit changes it.

    A file that vanishes or cannot be read meanwhile (an editor swapping it, a git
    checkout) still changes the digest, and the reader then reports it properly.
    """
    digest = hashlib.sha256()
    for path in story_files(root):
        try:
            content = path.read_bytes()
        except OSError as error:
            content = f"\0unreadable: {type(error).__name__}".encode()
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + content + b"\0")
    return digest.hexdigest()
