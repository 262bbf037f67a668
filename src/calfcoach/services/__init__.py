"""Use cases: read the inputs, call the core, hand back values for the shells to render."""
