"""The web app: FastAPI routes, Jinja2 pages, the offline worker and its static files."""
