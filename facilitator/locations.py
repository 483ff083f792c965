"""Every location inside the data folder, named once (posting's ``locations.py``).

Where the data folder itself is (``--data-dir``, ``$FACILITATOR_DATA_DIR``, the platform's
folder) is :func:`facilitator.paths.data_dir`; what lives inside it is here, and every module
that reads or writes there asks this one. Nothing here touches the disk.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

DATABASE = "facilitator.sqlite3"
"""The database file (the store opens ``data / DATABASE``)."""
SETTINGS = "settings.toml"
"""The settings file."""
CONTENT = "content"
"""The user's own content root: forked curricula, copied plans."""
PLANS = "plans"
"""Inside a content root: where copied session plans go."""
PRINTS = "prints"
"""Printouts, one folder per group, and ``handouts/`` for single blank handouts."""
INVITES = "invites"
"""Calendar files, one folder per group."""
EXPORTS = "exports"
"""CSV exports."""
SENT_INVITES = "sent-invites.json"
"""The sent-mail ledger: what each person was last sent (fingerprints, no names)."""

OWN_NAMES = frozenset({DATABASE, SETTINGS, CONTENT, PRINTS})
"""Names that mark a folder as facilitator's data folder."""


def database(data: Path) -> Path:
    """The database file."""
    return data / DATABASE


def settings_file(data: Path) -> Path:
    """The settings file (may not exist: then every setting has its default)."""
    return data / SETTINGS


def user_content_dir(data: Path) -> Path:
    """The user's own content root inside the data folder (forks and new plans go here)."""
    return data / CONTENT


def curriculum_file(user_dir: Path, curriculum_id: str) -> Path:
    """Where a forked curriculum goes inside a content root: ``<id>/<id>.curriculum.yaml``."""
    return user_dir / curriculum_id / f"{curriculum_id}.curriculum.yaml"


def plan_file(user_dir: Path, session_id: str) -> Path:
    """Where a copied session plan goes inside a content root."""
    return user_dir / PLANS / f"{session_id}.session.yaml"


def prints_dir(data: Path, group_id: int) -> Path:
    """Where a group's printouts go by default."""
    return data / PRINTS / f"group-{group_id}"


def handout_prints_dir(data: Path) -> Path:
    """Where single blank handouts go by default."""
    return data / PRINTS / "handouts"


def invites_dir(data: Path, group_id: int) -> Path:
    """Where a group's calendar files go by default."""
    return data / INVITES / f"group-{group_id}"


def attendance_csv(data: Path, group_id: int) -> Path:
    """Where the app writes a group's attendance CSV."""
    return data / EXPORTS / f"attendance-group-{group_id}.csv"


def sent_ledger(data: Path) -> Path:
    """The sent-mail ledger."""
    return data / SENT_INVITES


def restore_aside(data: Path, when: datetime) -> Path:
    """Where ``restore`` keeps the data it replaces (``when``: the local time of the restore)."""
    return data / f"before-restore-{when:%Y%m%d-%H%M%S}.sqlite3"
