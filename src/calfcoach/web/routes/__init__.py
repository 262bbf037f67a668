"""The web app's routers, one module a resource: the HTML pages (``athletes``, ``first_run``,
``week``, ``today``, ``checkin``, ``progress``, ``plan``, ``exercises``), the token-authenticated
``calendar_feed``, accounts and sharing (``auth``, ``sharing``, ``pairing``), the installable
app (``offline``), and the JSON API under /api/v1 (the ``api`` package)."""
