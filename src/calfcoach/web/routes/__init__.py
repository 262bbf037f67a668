"""The web app's routers: ``pages`` (HTML) and ``api`` (JSON under /api/v1)."""
