"""E-mail addresses are checked with email-validator where they are entered (roster, facilitators)
and where they are written out (calendar ``mailto:``, mail headers): internationalised domains
are IDNA-encoded, anything a mail server or calendar could misread is refused with one line."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from facilitator.email_address import checked_email, usable_email, wire_email
from facilitator.errors import FacilitatorError
from facilitator.model.group import Facilitator
from facilitator.outputs import mail
from facilitator.outputs.ics_invites import build_invites
from facilitator.store import open_store
from tests.builders import (
    STAMP,
    TOPIC,
    invite_group,
    make_participants,
    make_schedule,
    save_group,
    weeks,
)
from tests.helpers import run_cli
from tests.ics.helpers import events

ZONE = "Europe/Berlin"
WEEKS = weeks(4)

REFUSED = [
    "",
    "zephyrine",
    "zephyrine@",
    "@example.org",
    "zephyrine@example",  # no top-level domain
    "zephyrine@localhost",
    "zephyrine@example.test",  # special-use name
    "zeph yrine@example.org",
    "zephyrine@exa_mple.org",
    "zephyrine@example..org",
    '"zeph"@example.org',  # quoted local part
    "zephyrine@[192.0.2.1]",  # address literal
    "Zephyrine <zephyrine@example.org>",  # a display name is not an address
    "zéphyrine@example.org",  # non-ASCII before the @ needs SMTPUTF8
    "zephyrine@example.org\r\nBcc: all@example.org",
    "zephyrine@example.org,all@example.org",
    "zephyrine@example.org\x00",
]


@pytest.mark.parametrize("address", REFUSED)
def test_unusable_addresses_are_refused_with_one_line(address: str) -> None:
    assert not usable_email(address)
    with pytest.raises(FacilitatorError) as error:
        wire_email(address)
    assert "\n" not in str(error.value) and "\r" not in str(error.value)


def test_internationalised_domains_are_kept_readable_and_written_idna_encoded() -> None:
    assert checked_email("  anna@MÜNCHEN.de ") == "anna@münchen.de"
    assert wire_email("anna@münchen.de") == "anna@xn--mnchen-3ya.de"
    assert wire_email("Zephyrine@Example.ORG") == "Zephyrine@example.org"
    assert checked_email("") == ""


def test_calendar_and_mail_carry_the_ascii_form(tmp_path: Path) -> None:
    people = make_participants(2)
    people[0] = replace(people[0], email="zephyrine@münchen.de")
    group = invite_group(ZONE, facilitators=(Facilitator("Fayola Facil", "fayola@bücher.example"),))
    schedule = make_schedule(ZONE, group.first_date, time(18, 30), 4)
    made = build_invites(group, schedule, people, stamp=STAMP)
    first = next(i for i in made.invites if i.recipients and i.recipients[0].key == "p01x7k")
    [master] = events(first.data)
    assert str(master["ATTENDEE"]) == "mailto:zephyrine@xn--mnchen-3ya.de"
    assert str(master["ORGANIZER"]) == "mailto:fayola@xn--bcher-kva.example"
    assert first.recipients[0].email == "zephyrine@xn--mnchen-3ya.de"
    delivery = mail.Delivery(first, first.recipients[0], "p01x7k", mail.Action.SEND, update=False)
    message = mail.message(
        delivery, sender="fayola@bücher.example", display_name="Tuesday group", stamp=STAMP
    )
    parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == "zephyrine@xn--mnchen-3ya.de"
    assert parsed["From"].addresses[0].addr_spec == "fayola@xn--bcher-kva.example"


def test_invites_skip_a_stored_address_that_is_not_usable() -> None:
    people = make_participants(3)
    people[1] = replace(people[1], email="quillon@example")  # passed the old pattern's cousin
    people[2] = replace(people[2], email="marisolde@exa mple.org")
    group = invite_group(ZONE)
    made = build_invites(
        group, make_schedule(ZONE, group.first_date, time(18, 30), 4), people, stamp=STAMP
    )
    assert [i.recipients[0].name for i in made.invites if i.kind == "participant"] == [
        people[0].sign_in_name
    ]
    assert len(made.skipped) == 2
    assert all("e-mail address not usable" in s for s in made.skipped)


def test_roster_input_is_checked_and_nothing_is_saved_on_a_bad_address(tmp_path: Path) -> None:
    with open_store(tmp_path / "d") as store:
        group = save_group(store, invite_group(ZONE), plan=WEEKS)
        with pytest.raises(FacilitatorError, match=re.escape("e-mail address 'zeph@example'")):
            store.enrol(group.id, "Zephyrine", email="zeph@example")
        assert store.participants(group.id) == []
        person = store.enrol(group.id, "Zephyrine", email=" zeph@MÜNCHEN.de ")
        assert person.email == "zeph@münchen.de"
        with pytest.raises(FacilitatorError, match="e-mail address"):
            store.update_participant(person.id, email="zeph@münchen.de\r\nBcc: x@example.org")
        assert store.participant(person.id).email == "zeph@münchen.de"
        assert store.update_participant(person.id, email="").email == ""
        bad = invite_group(ZONE, name="Other", facilitators=(Facilitator("Fay", "fay@@x.org"),))
        with pytest.raises(FacilitatorError, match=re.escape("e-mail address 'fay@@x.org'")):
            store.create_group(bad, WEEKS)
        assert [g.name for g in store.groups()] == [TOPIC]


def test_cli_roster_add_with_a_bad_address_is_a_one_line_error(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        save_group(store, invite_group(ZONE), plan=WEEKS)
    refused = run_cli("roster", "add", TOPIC, "Zephyrine", "--email", "zephyrine@example")
    assert refused.code == 2
    err = refused.err
    assert err.count("\n") == 1 and "zephyrine@example" in err and "period" in err
    added = run_cli("roster", "add", TOPIC, "Zephyrine", "--email", "zephyrine@münchen.de")
    assert added.code == 0
    with open_store(data_dir, readonly=True) as store:
        [person] = store.participants(store.find_group(TOPIC).id)
    assert person.email == "zephyrine@münchen.de"


def test_email_validator_is_imported_only_when_an_address_is_checked() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from facilitator.cli import cli; import facilitator.store; "
        "import facilitator.email_address as a; "
        "assert 'email_validator' not in sys.modules; "
        "a.usable_email('x@example.org'); assert 'email_validator' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
