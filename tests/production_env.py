"""The environment of a production process started by a test: this one's, less its Django settings."""

import os


def production_environment(folder, **settings):
    """DEBUG off, a real secret key, static files and an SQLite archive in folder; then settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-production-secret-" + "k" * 50,
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        MISSIVE_PAGE_CACHE="false",
    )
    env.update(settings)
    return env
