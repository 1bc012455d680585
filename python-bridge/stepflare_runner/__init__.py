"""stepflare's Python runner: loads Motia-style Python step files and runs their handlers for the
Worker over a small JSON-over-HTTP protocol (see PROTOCOL.md). Standard library only."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
