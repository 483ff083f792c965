"""Which database a store opens: the SQLite file in the data folder, or a PostgreSQL server.

One URL decides it, from (first found) ``--database URL``, ``$FACILITATOR_DATABASE_URL``, or
``database_url`` in settings.toml. A ``postgresql://`` or ``postgres://`` URL selects
PostgreSQL; none selects the SQLite file in the data folder (the default, unchanged).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

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
    except ValueError:  # libpq will refuse it too; show it without what looks like a password
        return _without_passwords(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = "&".join(
        p for p in parts.query.split("&") if p and p.partition("=")[0].lower() != "password"
    )
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


_USER_PASSWORD = re.compile(r"(://[^:/@\s\[\]]*):[^@\s]*@")
_PASSWORD_OPTION = re.compile(r"(password\s*=\s*)('[^']*'|[^\s&'\"]+)", re.IGNORECASE)


def _without_passwords(text: str) -> str:
    return _PASSWORD_OPTION.sub(r"\1***", _USER_PASSWORD.sub(r"\1@", text))


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message, which may quote the URL) without the URL's password."""
    if not url:
        return _without_passwords(text)
    parts = [_without_passwords(part) for part in text.split(url)]
    return shown_url(url).join(parts)


def normalised(url: str) -> str:
    """``url`` with its scheme in lower case, as libpq wants it (``POSTGRESQL://`` too)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep else url
