"""A group seeded with canary names and a canary topic, and every output made from it by the
real CLI. Built once per test module (printing takes a few seconds); tests only read it."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from facilitator.store import open_store
from tests.audit.helpers import ROOT
from tests.builders import group_args
from tests.helpers import Run, run_cli

TOPIC = "TOPICCANARY Circle"
"""The group's private name."""
CURRICULUM_TITLE = "CURRICULUMCANARY taster"
SESSION_TITLE = "SESSIONCANARY"
NOTE = "NOTECANARY"
TOPIC_WORDS = ("topiccanary", "curriculumcanary")
"""What participants must never see (private group name, curriculum title)."""

PEOPLE = [  # (preferred name, last initial, e-mail, large print)
    ("Canaryalpha", "Q", "canaryalpha@example.org", False),
    ("Канарейкабраво", "Ж", "canarybravo@example.org", False),
    ("كناريتشارلي", "ك", "canarycharlie@example.org", False),
    ("金丝雀德尔塔", "金", "canarydelta@example.org", False),
    ("Canaryéchoë", "Ø", "canaryecho@example.org", True),
]


class Recorder:
    """An SMTP server's handler that keeps every message."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@dataclass
class World:
    """Where everything was written, and who is who."""

    root: Path
    data: Path
    out: Path
    content: Path
    group_id: int = 0
    opaque: dict[str, str] = field(default_factory=dict)
    """preferred name -> opaque id"""
    emails: dict[str, str] = field(default_factory=dict)
    mail: list[tuple[list[str], bytes]] = field(default_factory=list)
    runs: dict[str, Run] = field(default_factory=dict)

    def run(self, key: str, *args: str | Path) -> Run:
        result = run_cli("--data-dir", self.data, "--content", self.content, *args)
        self.runs[key] = result
        assert result.code == 0, (key, result)
        return result


def write_content(folder: Path) -> None:
    """A copy of the example curriculum whose titles carry the topic canaries."""
    folder.mkdir(parents=True)
    source = ROOT / "curricula" / "example"
    for name, new_id in (
        ("example-arriving", "canary-arriving"),
        ("example-kind-attention", "canary-kind-attention"),
    ):
        text = (source / f"{name}.session.yaml").read_text(encoding="utf-8")
        text = text.replace(f"id: {name}", f"id: {new_id}", 1)
        lines = text.splitlines()
        lines = [
            f"title: {SESSION_TITLE} {new_id}" if line.startswith("title:") else line
            for line in lines
        ]
        (folder / f"{new_id}.session.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = (source / "example.curriculum.yaml").read_text(encoding="utf-8")
    text = (
        text.replace("id: example", "id: canarycourse")
        .replace('title: "Example: a two-week taster"', f"title: {CURRICULUM_TITLE}")
        .replace("session: example-", "session: canary-")
    )
    (folder / "canarycourse.curriculum.yaml").write_text(text, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_world(root: Path) -> World:
    """Seed the canary group and run every output path through the real CLI."""
    world = World(root, root / "data", root / "out", root / "content")
    write_content(world.content)
    w = world.run
    w(
        "create",
        *group_args(TOPIC, curriculum="canarycourse"),
        "--facilitator",
        "Fayfacil",
        "--facilitator-email",
        "fay@example.org",
        "--display-name",
        "Tuesday group",
        "--location",
        "Room 4",
    )
    for name, initial, mail, large in PEOPLE:
        w(
            f"add {name}",
            "roster",
            "add",
            TOPIC,
            name,
            "--initial",
            initial,
            "--email",
            mail,
            *(["--large-print"] if large else []),
        )
        world.emails[name] = mail
    with open_store(world.data, readonly=True) as store:
        group = store.find_group(TOPIC)
        world.group_id = group.id
        world.opaque = {p.preferred_name: p.opaque_id for p in store.participants(group.id)}
    w(
        "attend",
        "attend",
        TOPIC,
        "1",
        "--absent",
        PEOPLE[1][0],
        "--excused",
        PEOPLE[2][0],
        "--late",
        PEOPLE[3][0],
    )
    w("note", "note", TOPIC, "1", f"{NOTE} group note")
    w("pnote", "note", TOPIC, "1", f"{NOTE} about one person", "--participant", PEOPLE[0][0])
    out = world.out
    w("week", "print", TOPIC, "--week", "1", "--out", out / "week", "--quiet")
    w("per", "print", TOPIC, "--week", "1", "--per-participant", "--out", out / "per", "--quiet")
    w("default", "print", TOPIC, "--week", "2", "--per-participant", "--fillable", "--quiet")
    w("makeup", "print", TOPIC, "--makeup", "1", "--out", out / "makeup", "--quiet")
    w(
        "workbook",
        "print",
        TOPIC,
        "--workbook",
        "--per-participant",
        "--out",
        out / "workbook",
        "--quiet",
    )
    w("room-workbook", "print", TOPIC, "--workbook", "--out", out / "room", "--quiet")
    w("report", "print", TOPIC, "--report", "--out", out / "report", "--quiet")
    w("handout", "print-handout", "example-check-in", "--out", out / "handout", "--quiet")
    w("ics", "invites", TOPIC, "--out", out / "ics")
    w("publish", "invites", TOPIC, "--out", out / "publish", "--publish")
    (out / "csv").mkdir()  # the CSV export creates no folders
    w("csv", "attendance", TOPIC, "--csv", out / "csv" / "attendance.csv")
    (out / "backup").mkdir(mode=0o700)
    w("backup", "backup", out / "backup" / "facilitator-backup.sqlite3")
    _send(world)
    w("cancel-week", "schedule", "cancel", TOPIC, "2", "--drop")
    w("cancel", "invites", TOPIC, "--out", out / "cancel", "--cancel", "2")
    return world


def _send(world: World) -> None:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        (world.data / "settings.toml").write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nstarttls = false\n'
            'sender = "fay@example.org"\n',
            encoding="utf-8",
        )
        world.run("send", "invites", "send", TOPIC)
    finally:
        controller.stop()
    world.mail = [(list(e.rcpt_tos), e.content) for e in recorder.envelopes]


def every_file(*roots: Path) -> list[Path]:
    """Every regular file under the roots."""
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())


def remove(world: World) -> None:
    """Delete the world's folder."""
    shutil.rmtree(world.root, ignore_errors=True)
