"""The game's screens: title, play, and the modal ones opened over play."""
