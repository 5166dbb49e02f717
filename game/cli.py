"""The `archer` command: play (TUI or plain), or check a story."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.paths import default_story_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archer",
        description="Archer: a murder mystery at the Archer School of Ballet, played in the terminal.",
    )
    parser.add_argument(
        "--plain", action="store_true", help="play in plain text on stdin/stdout (screen readers, pipes)"
    )
    parser.add_argument("--story", type=Path, metavar="DIR", help="play the story in DIR instead of the bundled one")
    parser.add_argument("--seed", type=int, default=0, help="seed for the run's random numbers")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="check a story folder and list every problem as file:line")
    check.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the story folder (default: the bundled story)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args.dir or default_story_dir())
        return run_play(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


def run_check(root: Path) -> int:
    from game.story.check import check_story

    findings = check_story(root)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    if errors:
        print(f"{errors} error(s), {warnings} warning(s) in {root}", file=sys.stderr)
        return 1
    print(f"{root}: story is sound ({warnings} warning(s))", file=sys.stderr)
    return 0


def run_play(args: argparse.Namespace) -> int:
    from game.engine.engine import Engine
    from game.story.findings import StoryError
    from game.story.loader import load_story

    root = args.story or default_story_dir()
    try:
        story = load_story(root)
    except StoryError as error:
        print(f"The story in {root} has errors, so it cannot be played:", file=sys.stderr)
        for finding in error.findings:
            print(f"  {finding}", file=sys.stderr)
        print(f"Run 'archer check {root}' after fixing them.", file=sys.stderr)
        return 1
    engine = Engine(story)
    if args.plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from game.plain import PlainGame

        return PlainGame(engine, sys.stdin, sys.stdout).run(seed=args.seed)
    from game.tui.app import run_tui

    return run_tui(story, seed=args.seed)
