"""The pure coaching core: no I/O, no imports from the outer layers."""
