"""Tools around Pandu, not part of the product: the Bot API emulator and the demo's stage."""
