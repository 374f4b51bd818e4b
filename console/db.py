"""One Store per request, opened only when a view asks for it (the self-check never does)."""
from __future__ import annotations

from flask import current_app, g

from compliance.store import Store


def get_store() -> Store:
    if "store" not in g:
        g.store = Store(current_app.config["DB_PATH"])
    return g.store


def _close(exc=None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app) -> None:
    app.teardown_appcontext(_close)
