"""Which database a store opens: the SQLite file in the data folder, or a PostgreSQL server.

One URL decides it, from (first found) ``--database URL``, ``$FACILITATOR_DATABASE_URL``, or
``database_url`` in settings.toml. A ``postgresql://`` or ``postgres://`` URL selects
PostgreSQL; none selects the SQLite file in the data folder (the default, unchanged).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from facilitator.errors import FacilitatorError

URL_ENV = "FACILITATOR_DATABASE_URL"
SCHEMES = ("postgresql", "postgres")
INSTALL_HINT = "pip install 'facilitator[postgres]'"


def configured_url(explicit: str | None, data_dir: Path) -> str:
    """The database URL in force: ``explicit`` (``--database``), else the environment, else
    ``database_url`` in the data folder's settings.toml; '' for the SQLite file."""
    if explicit:
        return explicit.strip()
    from_env = os.environ.get(URL_ENV, "").strip()
    if from_env:
        return from_env
    if not (data_dir / "settings.toml").exists():
        return ""
    from facilitator.config import load_settings

    return load_settings(data_dir).database_url.strip()


def is_postgres(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (and is not the default SQLite file)."""
    if not url:
        return False
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme in SCHEMES:
        return True
    raise FacilitatorError(
        f"database URL '{shown_url(url)}' is not understood: use postgresql://USER@HOST/DATABASE "
        "(or leave it unset for the database file in the data folder)"
    )


def shown_url(url: str) -> str:
    """``url`` as it may be shown: the password (in the user part or ``password=``) removed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparsable URL)"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = "&".join(
        p for p in parts.query.split("&") if p and p.partition("=")[0].lower() != "password"
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
