"""Which files make up a story folder, and a digest of them that any edit changes.

Kept apart from both the loader and the reader (each needs it; neither imports the other
for it). A file that is a symbolic link to somewhere outside the story folder is not part
of the story: it is never read, only named, so a story cannot be made to show a stranger's file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


def scan(root: Path) -> tuple[list[Path], list[Path]]:
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
    return scan(root)[0]


def story_digest(root: Path, files: list[Path] | None = None) -> str:
    """A hash of every story file's name and bytes (`files`, when already found): any edit changes it.

    A file that vanishes or cannot be read meanwhile (an editor swapping it, a git
    checkout) still changes the digest, and the reader then reports it properly.
    """
    digest = hashlib.sha256()
    for path in story_files(root) if files is None else files:
        try:
            content = path.read_bytes()
        except OSError as error:
            content = f"\0unreadable: {type(error).__name__}".encode()
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def display_name(path: Path) -> str:
    """A path as findings name it: relative to where the author runs the command, when possible."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()  # a link named as itself
    except ValueError:
        return path.as_posix()


def naming(root: Path) -> str:
    """What decides how `display_name` names a story's files: the folder's absolute path and the working folder."""
    return f"{os.path.abspath(root)}\0{Path.cwd()}"


def read_regular_file(path: Path, most_bytes: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `most_bytes`, else None: for files we keep
    (the story cache, title pages), which are untrusted input. Never follows a link or blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > most_bytes:
            return None
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(info.st_size + 1)  # read(most_bytes + 1) would allocate all of it at once
        return data if len(data) == info.st_size else None  # changed while read: not to be trusted
    except OSError:
        return None
    finally:
        os.close(handle)
