"""Opening a file in the user's editor ($VISUAL, else $EDITOR, else nano, vim or vi), with the
terminal handed over to it while it runs (the curriculum builder's plan editing)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from textual.app import App, SuspendNotSupported


def edit_in_editor(app: App[object], path: str) -> bool:
    """Open ``path`` in the user's editor and wait for it; True when it ran (the caller reloads
    what it shows), False when it could not (the user has been told why and what to do)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    if not editor:  # none chosen: a common one, named so the user knows what opens
        editor = next((e for e in ("nano", "vim", "vi") if shutil.which(e)), "")
        if not editor:
            app.notify(
                f"No editor: set $EDITOR (e.g. export EDITOR=nano), or open {path} "
                "yourself and press F5 here.",
                severity="error",
                timeout=15,
            )
            return False
        app.notify(f"$EDITOR is not set: opening {editor}. Set $EDITOR to choose another.")
    try:
        with app.suspend():
            subprocess.run([*shlex.split(editor), path], check=False)
    except SuspendNotSupported:
        app.notify(f"Open {path} in your editor, then press F5 here to reload.")
        return False
    except OSError as exc:
        app.notify(f"Could not start the editor ({editor}): {exc.strerror}", severity="error")
        return False
    return True
