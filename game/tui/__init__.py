"""The Textual TUI: the game as most players see it. It renders what the engine says."""
