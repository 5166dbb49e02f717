"""The `archer` command: play (TUI or plain), check a story, list saves."""

from __future__ import annotations

import gc
import io
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from game.paths import default_story_dir

if TYPE_CHECKING:
    import argparse

    from game.session import Session
    from game.story.findings import StoryError
    from game.story.model import Story


# What a bare `archer` (by far the most common start) parses to: answered without argparse, whose
# import and parser cost the first frame ~4 ms (issue 19); a test holds it equal to the parser's.
PLAY_DEFAULTS: dict[str, object] = {
    "plain": False,
    "tui": False,
    "story": None,
    "seed": 0,
    "script": None,
    "saves": None,
    "watch": False,
    "resume": False,
    "load": None,
    "command": None,
}


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (sys.argv's when `argv` is None), parsed."""
    if not (sys.argv[1:] if argv is None else argv):
        return cast("argparse.Namespace", SimpleNamespace(**PLAY_DEFAULTS))
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="archer",
        description="Archer: a murder mystery at the Archer School of Ballet, played in the terminal.",
    )
    parser.add_argument("--version", action=_version_action(), help="print the version and exit")
    parser.add_argument(
        "--plain", action="store_true", help="play in plain text on stdin/stdout (screen readers, pipes)"
    )
    parser.add_argument(
        "--tui",
        action="store_true",
        help="play full-screen even when stdin/stdout are not terminals (any Textual driver)",
    )
    parser.add_argument("--story", type=Path, metavar="DIR", help="play the story in DIR instead of the bundled one")
    parser.add_argument("--seed", type=int, default=0, help="seed for the run's random numbers")
    parser.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="with --plain: play the entries in FILE (one a line) and print the transcript",
    )
    parser.add_argument(
        "--saves", type=Path, metavar="DIR", help="keep saves in DIR (default: $ARCHER_SAVES, else saves/)"
    )
    parser.add_argument(
        "--watch", action="store_true", help="reload the story when its files change, and go on playing"
    )
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--continue", dest="resume", action="store_true", help="continue from the newest save")
    start.add_argument("--load", metavar="SLOT", help="start from the save in SLOT")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check a story folder and list every problem as file:line",
        description="Exit status: 0 sound, 1 errors (or warnings with --strict), 2 the story could not be read at all.",
    )
    check.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the story folder (default: the bundled story)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="one finding a line, a JSON list, SARIF 2.1.0 (editors, code hosts) or GitHub annotations (CI)",
    )
    check.add_argument(
        "--no-proof",
        action="store_true",
        help="only read and check the files, without the soft-lock proof (quick, e.g. on every save in an editor)",
    )
    check.add_argument(
        "--deep",
        action="store_true",
        help="lift the proof's time budget (by default it stops after 2 s or 500 MB and says how far it got; "
        "with --deep it runs to the end, within 8,000 MB)",
    )
    commands.add_parser("saves", help="list the save slots: name, beat, date, and whether each is usable")
    graph = commands.add_parser("graph", help="draw the story map (Mermaid or Graphviz DOT) or the beats machine")
    graph.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the story folder (default: the bundled story)")
    graph.add_argument("--format", choices=("mermaid", "dot", "beats"), default="mermaid")
    graph.add_argument("--svg", type=Path, metavar="FILE", help="render with Graphviz's dot to an SVG file")
    graph.add_argument("--png", type=Path, metavar="FILE", help="render with Graphviz's dot to a PNG file")
    auto = commands.add_parser("autoplay", help="random seeded playthroughs: endings, coverage, stuck runs")
    auto.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="the story folder (default: the bundled story)")
    auto.add_argument("--runs", type=_positive, default=10_000, help="how many playthroughs (default 10,000)")
    auto.add_argument("--seed", type=int, default=0, dest="first_seed", help="seed of the first run")
    auto.add_argument("--max-choices", type=_positive, default=1_000, help="a run longer than this is reported")
    auto.add_argument(
        "--mode",
        choices=("explore", "random"),
        default="explore",
        help="explore (default): prefer the choices this batch has taken least, to reach every ending; "
        "random: pick uniformly, as players might",
    )
    auto.add_argument("--format", choices=("text", "json"), default="text", help="a summary, or JSON for scripts")
    serve = commands.add_parser("serve", help="play the full-screen game in a web browser (needs the 'web' extra)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--story", type=Path, metavar="DIR", help="serve the story in DIR instead of the bundled one")
    add_editor_commands(commands)
    return parser


def _version_action() -> type[argparse.Action]:
    import argparse

    class Version(argparse.Action):
        """`--version`: the installed version, looked up only when asked (start-up stays fast)."""

        def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
            super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help")))

        def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
            from importlib.metadata import PackageNotFoundError, version

            try:
                number = version("archer-mystery")
            except PackageNotFoundError:
                number = "unknown (not installed)"
            print(f"archer {number}")
            parser.exit()

    return Version


def add_editor_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`archer new`, `archer schema` and `archer lsp`: the editor's side of the kit."""
    new = commands.add_parser("new", help="start a new story in DIR: a small working story with editor settings")
    new.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    schema = commands.add_parser("schema", help="write a story's own JSON Schemas (its ids) for editors, in DIR/schema")
    schema.add_argument(
        "dir", nargs="?", type=Path, metavar="DIR", help="the story folder (default: the bundled story)"
    )
    commands.add_parser("lsp", help="run the story language server on stdin/stdout (for editors)")


def run_editor_command(args: argparse.Namespace) -> int:
    if args.command == "lsp":
        try:
            from game.lsp import serve
        except ImportError as missing:
            print(f"archer lsp needs {missing.name}: pip install 'archer-mystery[lsp]'", file=sys.stderr)
            return 1
        return serve()
    if args.command == "new":
        from game.scaffold import ScaffoldError, create_story

        try:
            written = create_story(args.dir)
        except (ScaffoldError, OSError) as error:
            print(f"Could not start a story: {error}", file=sys.stderr)
            return 1
        print(f"wrote {len(written)} files in {args.dir}; next: archer check {args.dir}", file=sys.stderr)
        return 0
    from game.story.schema import write_story_schemas

    story = load_or_report(args.dir or default_story_dir())
    if story is None:
        return 1
    for path in write_story_schemas(story):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1, or a message that says so."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.saves is not None:
        os.environ["ARCHER_SAVES"] = str(args.saves)
    try:
        if args.command == "check":
            try:
                from game.check_command import exit_now, run_check

                status = run_check(
                    args.dir or default_story_dir(),
                    strict=args.strict,
                    output=args.format,
                    deep=args.deep,
                    proof=not args.no_proof,
                )
                if argv is None:  # the `archer` command itself, not a caller of main(): see exit_now
                    exit_now(status)
                return status
            except (KeyboardInterrupt, BrokenPipeError):
                raise
            except Exception as error:  # exit 3, never 1 ("the story has errors"), with a log to report
                from game.crash import report_crash

                return report_crash("check", error)
        if args.command in ("new", "schema", "lsp"):
            return run_editor_command(args)
        if args.command in ("graph", "autoplay"):
            return run_tool(args)
        if args.command == "serve":
            from game.serve import serve

            return serve(host=args.host, port=args.port, story=args.story)
        return run_play(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read our output has gone (`archer --plain | head`): stop quietly, not with a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def load_or_report(root: Path) -> Story | None:
    """The story, or None after printing its errors for the author."""
    from game.story.findings import StoryError
    from game.story.loader import load_story

    try:
        return load_story(root)
    except StoryError as error:
        report_story_errors(root, error)
        return None


def report_story_errors(root: Path, error: StoryError) -> None:
    print(f"The story in {root} has errors:", file=sys.stderr)
    for finding in error.findings:
        print(f"  {finding}", file=sys.stderr)
    print(f"Run 'archer check {root}' after fixing them.", file=sys.stderr)


def run_tool(args: argparse.Namespace) -> int:
    """`archer graph` and `archer autoplay`."""
    root = args.dir or default_story_dir()
    story = load_or_report(root)
    if story is None:
        return 1
    if args.command == "autoplay":
        import json

        from game.engine.autoplay import autoplay, format_report, report_json
        from game.engine.engine import Engine

        engine = Engine(story)
        report = autoplay(engine, args.runs, args.first_seed, args.max_choices, mode=args.mode)
        folder = str(root)
        if args.format == "json":
            print(json.dumps(report_json(report, engine, folder), indent=1))
        else:
            print(format_report(report, engine, folder))
        return 0 if report.ok else 1
    from game.engine.beats import beats_mermaid
    from game.story.graph import beats_dot, to_dot, to_mermaid

    if args.svg or args.png:
        import shutil
        import subprocess

        dot = shutil.which("dot")
        if dot is None:
            print(
                "Rendering needs Graphviz's 'dot' (e.g. apt-get install graphviz); without it, use --format dot or mermaid.",
                file=sys.stderr,
            )
            return 1
        for target, kind in ((args.svg, "svg"), (args.png, "png")):
            if target is not None:
                drawing = beats_dot(story) if args.format == "beats" else to_dot(story)
                subprocess.run([dot, f"-T{kind}", "-o", str(target)], input=drawing, text=True, check=True)
                print(f"wrote {target}", file=sys.stderr)
        return 0
    drawn = {"mermaid": to_mermaid, "dot": to_dot, "beats": beats_mermaid}[args.format](story)
    print(drawn, end="" if drawn.endswith("\n") else "\n")
    return 0


def full_screen(args: argparse.Namespace) -> bool:
    """Whether this run plays in the TUI: a game (not a listing or a script), not --plain, on a terminal or
    wherever it is asked for (--tui, or a Textual driver named in TEXTUAL_DRIVER, as `archer serve` does)."""
    if args.command is not None or args.script is not None or args.plain:
        return False
    return args.tui or bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


def run_play(args: argparse.Namespace) -> int:
    if full_screen(args):
        # Starting up makes next to no garbage, and collecting it would cost the first frame a
        # few percent (issue 7); the TUI turns the collector back on once it has drawn.
        gc.disable()
    try:
        return _play(args)
    except BrokenPipeError:
        raise  # the reader has gone: main() stops quietly
    except Exception as error:
        from game.session.trouble import report

        print(report(error, "playing"), file=sys.stderr)
        return 3
    finally:
        gc.enable()


def _play(args: argparse.Namespace) -> int:
    root = args.story or default_story_dir()
    if full_screen(args) and not (args.resume or args.load):
        return _play_full_screen(args, root)
    from game.saves import SaveStore, default_saves_dir
    from game.session import Session

    story = load_or_report(root)
    if story is None:
        return 1
    store = SaveStore(default_saves_dir())
    if args.command == "saves":
        from game.plain import format_slots

        session = Session(story, store)
        slots, problem = session.slots()
        print(f"Saves in {store.folder}:")
        print(problem or format_slots(slots) or "No saves yet.")
        return 0
    if args.script is not None:
        try:
            script = args.script.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"Could not read the script {args.script}: {error}", file=sys.stderr)
            return 1
    if full_screen(args):
        from game.tui.app import run_tui

        session = Session(story, store)
        notice = load_save(args, session)
        if notice is None:
            return 1
        return run_tui(session, seed=args.seed, watch=args.watch, notice=notice)
    from game.plain import PlainGame

    session = Session(story, store if args.script is None else None)
    if args.script is not None:
        session.store = store  # a script may start from a save, but never writes one
        notice = load_save(args, session)
        session.store = None
        if notice is None:
            return 1
        print(notice, end="\n" if notice else "")
        return PlainGame(session, io.StringIO(script), sys.stdout).run(seed=args.seed)
    notice = load_save(args, session)
    if notice is None:
        return 1
    print(notice, end="\n" if notice else "")
    return PlainGame(session, sys.stdin, sys.stdout, watch=args.watch).run(seed=args.seed)


def _play_full_screen(args: argparse.Namespace, root: Path) -> int:
    """A new session on a terminal: the title drawn from the story's title page, the story loaded after
    the first frame (game.tui.app.Opening). Without a sound page (the first start, an edited story) the
    story is loaded first, as before, and its page kept for the next start."""
    from game.saves import SaveStore, default_saves_dir
    from game.story.title_page import page_of, read_title_page, write_title_page

    store = SaveStore(default_saves_dir())
    page = read_title_page(root)
    if page is not None:
        from game.tui.app import Opening, run_opening

        try:
            return run_opening(Opening(root, page, store), seed=args.seed, watch=args.watch)
        except Exception as error:
            from game.story.findings import StoryError  # (its dataclass costs the first frame a millisecond)

            if not isinstance(error, StoryError):
                raise
            report_story_errors(root, error)
            return 1
    story = load_or_report(root)
    if story is None:
        return 1
    write_title_page(root, page_of(story))
    from game.session import Session
    from game.tui.app import run_tui

    return run_tui(Session(story, store), seed=args.seed, watch=args.watch)


def load_save(args: argparse.Namespace, session: Session) -> str | None:
    """Start `session` from the save asked for by --continue or --load: the notice to give (a changed
    story), or None after saying why it cannot be had."""
    if not (args.resume or args.load):
        return ""
    outcome = session.continue_newest() if args.resume else session.load(args.load)
    if not outcome.ok:
        message = outcome.message.removeprefix("Not loaded: ")
        print(message if args.resume else f"Could not load: {message}", file=sys.stderr)
        return None
    return outcome.notice
