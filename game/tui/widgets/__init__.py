"""Small widgets, one idea each, that the screens are built from."""
