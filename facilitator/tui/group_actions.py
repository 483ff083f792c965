"""Create and edit groups from the app: the form, the store call, and what follows said."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from facilitator.actions import groups
from facilitator.errors import FacilitatorError
from facilitator.tui.widgets.group_form import GroupForm, GroupValues

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp


def _curricula(app: FacilitatorApp) -> list[tuple[str, str, int]]:
    return [(c.id, c.title, c.weeks) for c in groups.curricula(app.workspace)]


def new_group(app: FacilitatorApp) -> None:
    """Ask for a new group's settings, create it and open it."""
    if app.readonly_reason:
        app.notify(f"Cannot create a group: {app.readonly_reason}", severity="error")
        return

    def create(values: GroupValues | None) -> None:
        if values is None:
            return
        try:
            created = groups.create(
                app.workspace,
                app.store,
                name=values.name,
                curriculum_id=values.curriculum_id,
                first_date=values.first_date,
                start_time=values.start_time,
                timezone=values.timezone,
                display_name=values.display_name,
                location=values.location,
                facilitators=values.facilitators,
                is_open=values.is_open,
                capacity=values.capacity,
                holidays=values.holidays,
            )
        except FacilitatorError as exc:
            app.notify(exc.message, title="Group not created", severity="error", timeout=12)
            app.push_screen(GroupForm(_curricula(app)), create)
            return
        group, skipped = created.group, created.holidays_skipped
        app.notify(
            f"Created {group.name}"
            + (f"; {skipped} holiday(s) skipped" if skipped else "")
            + ". Add people with a.",
            title="Saved",
        )
        app.open_group(group.id)

    app.push_screen(GroupForm(_curricula(app)), create)


def edit_group(app: FacilitatorApp, group_id: int, done: Callable[[], None]) -> None:
    """Edit a group's settings; say what follows (moved meetings, invitations to resend)."""
    if app.readonly_reason:
        app.notify(f"Cannot edit the group: {app.readonly_reason}", severity="error")
        return
    group = groups.get(app.store, group_id)

    def save(values: GroupValues | None) -> None:
        if values is None:
            return
        try:
            said = groups.edit(
                app.store,
                group_id,
                name=values.name,
                display_name=values.display_name,
                location=values.location,
                start_time=values.start_time,
                facilitators=values.facilitators,
                capacity=values.capacity,
                is_open=values.is_open,
            ).said
        except FacilitatorError as exc:
            app.notify(exc.message, title="Not saved", severity="error", timeout=12)
            return
        app.notify("\n".join(said) or "Nothing changed.", title="Group saved", timeout=15)
        done()

    app.push_screen(GroupForm(_curricula(app), group), save)
