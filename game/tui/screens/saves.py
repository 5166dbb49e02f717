"""Save and load: the slots with what each holds; overwriting and deleting ask first.

The screen only lists and asks; the store (game/saves.py) reads and writes,
and a damaged slot is shown with its problem instead of being hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.saves import SaveError, SlotInfo, check_new_slot_name
from game.session import describe_slot
from game.tui.screens.panel import PanelScreen

if TYPE_CHECKING:
    from game.tui.app import ArcherApp


def describe(slot: SlotInfo) -> Text:
    """One slot as a line of the list, as plain text: a title holding `[/]` is shown, never parsed as markup."""
    return Text(f"{slot.shown_name}  ·  {describe_slot(slot)}")


class SavesScreen(PanelScreen):
    """Opened by ctrl+s (save) and ctrl+l or the title's Load (load)."""

    BODY_SCROLLS = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("delete,d", "delete", "Delete slot")]

    def __init__(self, mode: Literal["save", "load"]) -> None:
        super().__init__()
        self.mode = mode
        self.slots: dict[str, SlotInfo] = {}

    @property
    def archer(self) -> ArcherApp:
        return cast("ArcherApp", self.app)

    def panel_title(self) -> str:
        return "Save game" if self.mode == "save" else "Load game"

    def subtitle(self) -> str:
        return str(self.archer.store.folder)

    def compose_body(self) -> ComposeResult:
        if self.mode == "save":
            yield Input(placeholder="Name this save, then press enter", id="slot-name", max_length=48)
        yield OptionList(id="slots")
        yield Static("", id="slots-hint", classes="setting-note")

    def initial_focus(self) -> Widget:
        return self.query_one("#slot-name" if self.mode == "save" else "#slots")

    def ready(self) -> None:
        self.refresh_slots()

    def refresh_slots(self) -> None:
        slots, problem = self.archer.session.slots()
        if problem:
            self.notify(problem, severity="error", timeout=10)
        self.slots = {slot.name: slot for slot in slots}
        listing = self.query_one("#slots", OptionList)
        listing.clear_options()
        for slot in self.slots.values():
            usable = slot.usable or self.mode == "save"
            listing.add_option(Option(describe(slot), id=slot.name, disabled=not usable))
        first_usable = next(
            (i for i, slot in enumerate(self.slots.values()) if slot.usable or self.mode == "save"), None
        )
        listing.highlighted = first_usable
        verb = "overwrite" if self.mode == "save" else "load"
        self.query_one("#slots-hint", Static).update(
            f"enter: {verb} the highlighted slot  ·  d: delete it  ·  escape: close" if self.slots else "No saves yet."
        )

    @on(Input.Submitted, "#slot-name")
    def name_given(self, event: Input.Submitted) -> None:
        try:
            name = check_new_slot_name(event.value)
        except SaveError as error:
            self.notify(str(error) + ".", severity="error", timeout=6)
            return
        self.save(name)

    @on(OptionList.OptionSelected, "#slots")
    def slot_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = event.option.id
        if name is None:
            return
        if self.mode == "save":
            self.save(name)
        elif self.slots[name].usable:
            self.dismiss()
            self.archer.load_from(name)

    def save(self, name: str) -> None:
        from game.tui.screens.confirm import ConfirmScreen

        def save_if(confirmed: bool | None) -> None:
            if confirmed and self.archer.save_to(name):
                self.dismiss()

        if name in self.slots:
            self.app.push_screen(ConfirmScreen(f"Overwrite the save '{name}'?", yes="Overwrite", no="Keep it"), save_if)
        else:
            save_if(True)

    def action_delete(self) -> None:
        from game.tui.screens.confirm import ConfirmScreen

        listing = self.query_one("#slots", OptionList)
        if listing.highlighted is None:
            return
        name = listing.get_option_at_index(listing.highlighted).id
        if name is None:
            return

        def delete_if(confirmed: bool | None) -> None:
            if confirmed:
                outcome = self.archer.session.delete(name)
                self.notify(outcome.message, severity="information" if outcome.ok else "error", timeout=3)
                self.refresh_slots()

        self.app.push_screen(
            ConfirmScreen(f"Delete the save '{name}'?\nThis cannot be undone.", yes="Delete"), delete_if
        )
