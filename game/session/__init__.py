"""The session layer (DESIGN.md): what a play session is, for every frontend alike.

Imports nothing from the TUI, textual or rich (tests/test_import_hygiene.py).
"""

from game.session.session import Outcome, Reload, Session, describe_slot

__all__ = ["Outcome", "Reload", "Session", "describe_slot"]
