"""The title screen: the story's name, the way in, and the content note before anything starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from game.tui.app import ArcherApp


def spaced_title(title: str) -> str:
    """A short title letter-spaced in capitals, the way a theatre bill sets it; a long one as it is."""
    return "  ".join(title.upper()) if len(title) <= 12 else title.upper()


class TitleCard(Widget):
    """The bill: the title between two ornaments, and the subtitle; on a short terminal, just the words."""

    DEFAULT_CSS = """
    TitleCard { width: 100%; height: auto; text-align: center; }
    """
    ORNAMENT = "·   ·   ·   ✦   ·   ·   ·"

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__(id="title-card")
        self.title = title
        self.subtitle = subtitle

    def render(self) -> Content:
        short = self.screen.has_class("-short")
        ornament = [] if short else [Content.styled(self.ORNAMENT, "$accent 70%")]
        gap = [] if short else [Content("")]
        words = [Content.styled(spaced_title(self.title), "bold $primary")]
        if self.subtitle:
            words.append(Content.styled(self.subtitle, "italic $secondary"))
        return Content("\n").join([*ornament, *gap, *words, *gap, *ornament])


PANELS = ("load", "endings", "settings", "help")  # menu items that open a panel over the title


class TitleScreen(Screen[None]):
    """Where every run begins and ends."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "menu('new')", "New game"),
        Binding("e", "menu('endings')", "Endings", show=False),
        Binding("q,escape", "app.request_quit", "Quit"),
    ]

    @property
    def archer(self) -> ArcherApp:
        return cast("ArcherApp", self.app)

    def compose(self) -> ComposeResult:
        # No footer of keys here: the menu is the list of what can be done. Every widget costs the
        # first frame, which is what a player waits for (issue 7), so the bill is a single one. What it
        # shows of the story comes from the title page: on a bare `archer` the story is not loaded yet.
        page = self.archer.title_page
        with Vertical(id="title-box"):
            yield TitleCard(page.title, page.subtitle)
            with Center():
                yield OptionList(id="menu")
        if page.content_note:
            with VerticalScroll(id="content-note"):
                yield Static(Content.assemble(("Content note  ", "bold $accent"), page.content_note))

    async def show_loaded_story(self) -> None:
        """The story loaded after the first frame differs from the title page it was drawn from: draw it again."""
        await self.recompose()
        self.build_menu()

    def on_screen_resume(self) -> None:
        """Back from a panel (endings, settings, help, load), the highlight stays on the item that opened
        it; back from a run, it goes to Continue."""
        menu = self.query_one("#menu", OptionList)
        current = menu.highlighted_option.id if menu.highlighted_option is not None else None
        self.build_menu(keep=current if current in PANELS else None)

    def build_menu(self, keep: str | None = None) -> None:
        app = self.archer
        found, total = app.endings_count()
        can_continue = app.can_continue  # reads the saves: once, not once a use
        items = [("new", "New game")]
        if can_continue:
            items.append(("continue", "Continue"))
        items += [
            ("load", "Load"),
            ("endings", f"Endings found  {found}/{total}"),
            ("settings", "Settings"),
            ("help", "Help"),
            ("quit", "Quit"),
        ]
        menu = self.query_one("#menu", OptionList)
        menu.clear_options()
        menu.add_options(Option(label, id=key) for key, label in items)
        keys = [key for key, _ in items]
        menu.highlighted = keys.index(keep) if keep in keys else 1 if can_continue else 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.action_menu(event.option.id)

    def action_menu(self, key: str) -> None:
        app = self.archer
        actions = {
            "new": self.new_game,
            "continue": app.continue_game,
            "load": app.action_load_game,
            "endings": app.action_endings,
            "settings": app.action_settings,
            "help": app.action_help,
            "quit": app.action_request_quit,
        }
        actions[key]()

    def new_game(self) -> None:
        """A new game, asking first when there is a run to continue: it would be set aside."""
        from game.tui.screens.confirm import ConfirmScreen

        app = self.archer
        if not app.can_continue:
            app.new_game()
            return

        def start_if(confirmed: bool | None) -> None:
            if confirmed:
                app.new_game()

        question = "Start a new game?\nThe run in progress stays at its last save."
        app.push_screen(ConfirmScreen(question, yes="Start", no="Keep it"), start_if)
