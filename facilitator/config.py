"""Settings: paper size, support lines per locale, invite and mail options.

Settings are read from ``settings.toml`` in the data folder; every key is optional and falls back
to the defaults below. Support and crisis lines are settings, never hard-coded into content: a
handout shows the lines for the configured locale through the ``support_lines`` variable.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from facilitator import locations
from facilitator.errors import FacilitatorError
from facilitator.paths import NotARegularFile, read_bounded

SETTINGS_FILE = locations.SETTINGS


@dataclass(frozen=True, slots=True)
class SupportLine:
    """One place to get help, shown on every participant sheet."""

    name: str
    contact: str
    note: str = ""


# Defaults per locale. "international" is always appended as a last resort, so a participant
# anywhere sees at least one route to help. Facilitators should check these for their area.
DEFAULT_SUPPORT_LINES: dict[str, tuple[SupportLine, ...]] = {
    "international": (
        SupportLine("Find A Helpline (free, confidential lines worldwide)", "findahelpline.com"),
        SupportLine("In immediate danger", "call your local emergency number"),
    ),
    "en-US": (
        SupportLine("988 Suicide & Crisis Lifeline", "call or text 988", "24/7"),
        SupportLine("Crisis Text Line", "text HOME to 741741", "24/7"),
        SupportLine("RAINN sexual assault hotline", "800-656-4673", "24/7"),
    ),
    "en-CA": (SupportLine("9-8-8 Suicide Crisis Helpline", "call or text 988", "24/7"),),
    "en-GB": (
        SupportLine("Samaritans", "116 123", "24/7, free"),
        SupportLine("Shout", "text SHOUT to 85258", "24/7"),
    ),
    "en-IE": (SupportLine("Samaritans Ireland", "116 123", "24/7, free"),),
    "en-AU": (
        SupportLine("Lifeline", "13 11 14", "24/7"),
        SupportLine("1800RESPECT (sexual, domestic and family violence)", "1800 737 732", "24/7"),
    ),
    "en-NZ": (SupportLine("Need to talk?", "call or text 1737", "24/7"),),
    "de-DE": (SupportLine("TelefonSeelsorge", "0800 111 0 111 / 0800 111 0 222", "24/7, free"),),
}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where invitations are sent from; the password never lives in the settings file."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    user: str = ""
    sender: str = ""
    password_env: str = "FACILITATOR_SMTP_PASSWORD"  # noqa: S105 (a variable name)
    message_timeout: float = 60
    """Seconds one message may take, connecting included (a silent server costs no more)."""
    run_timeout: float = 600
    """Seconds a whole ``invites send`` may take; what is left unsent is retried next run."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a facilitator can configure, with safe defaults."""

    locale: str = ""
    """Selects the support lines and the default paper size; empty: from the group's country
    (its holidays) or time zone, else "international"."""
    paper: str = ""
    """``letter`` or ``a4``; empty means the locale's usual size."""
    support_lines: tuple[SupportLine, ...] = ()
    """Overrides the defaults for the locale when not empty."""
    invite_alarm_minutes: int = 0
    """Minutes before a meeting for a calendar reminder (0 = none)."""
    large_print: bool = False
    duplex: bool = False
    """The printer prints on both sides: each person's pages start on the front of a sheet."""
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    database_url: str = ""
    """A ``postgresql://`` URL: keep the data on a PostgreSQL server (a clinic's) instead of the
    SQLite file in the data folder; ``--database`` and ``$FACILITATOR_DATABASE_URL`` win over it.
    Never put a password in it: use ~/.pgpass, a client certificate or peer authentication."""

    def effective_paper(self) -> str:
        """The paper size to use when the user did not pass ``--paper``."""
        if self.paper:
            return self.paper
        region = self.effective_locale.rpartition("-")[2].upper()
        return "letter" if region in {"US", "CA", "MX", "PH"} else "a4"

    @property
    def effective_locale(self) -> str:
        """The locale in use ("international" when none is set or found)."""
        return self.locale or "international"

    def for_group(self, holidays: str, timezone: str) -> Settings:
        """These settings for one group: with no locale set, the one of the group's country
        (its holiday calendar "DE-BY", else its time zone "Europe/Berlin"), if known."""
        if self.locale:
            return self
        country = holidays.partition("-")[0].upper() or zone_country(timezone)
        found = next((k for k in DEFAULT_SUPPORT_LINES if k.endswith(f"-{country}")), "")
        return replace(self, locale=found) if country and found else self

    def effective_support_lines(self) -> tuple[SupportLine, ...]:
        """The lines to print: configured ones, else the locale's, then the international ones."""
        local = self.support_lines or DEFAULT_SUPPORT_LINES.get(self.effective_locale, ())
        extra = DEFAULT_SUPPORT_LINES["international"]
        return tuple(local) + tuple(line for line in extra if line not in local)


MAX_SETTINGS_BYTES = 1_000_000
"""A settings file is a few lines; anything larger is refused unread."""


EDITABLE = ("locale", "paper", "large_print", "duplex")
"""The settings the app edits; the rest (support lines, SMTP) stay as written in the file."""


def save_settings(data: Path, **changes: str | bool) -> Settings:
    """Change some of :data:`EDITABLE` in ``settings.toml``, keeping everything else in the
    file (comments, support lines, SMTP) as it was; an empty string removes a key (back to the
    default). The result is checked like any settings file before it replaces the old one."""
    import tomlkit

    from facilitator.files import write_private

    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise FacilitatorError(f"not a setting the app edits: {', '.join(unknown)}")
    path = locations.settings_file(data)
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = tomlkit.document()
    except (tomlkit.exceptions.ParseError, UnicodeDecodeError) as exc:
        raise FacilitatorError(f"{path}: not valid TOML: {exc}") from None
    for key, value in changes.items():
        if value == "":
            doc.pop(key, None)
        else:
            doc[key] = value
    text = tomlkit.dumps(doc)
    settings = _settings_from_dict(tomllib.loads(text), path)
    write_private(path, text.encode("utf-8"))
    return settings


def normalise_locale(text: str, *, custom_lines: bool = False) -> str:
    """A locale as the support lines know it: ``en-gb``, ``en_GB``, ``EN-GB`` and
    ``en_GB.UTF-8`` all mean ``en-GB``. One with no lines of its own is a one-line error naming
    the known ones, unless the settings give their own support lines: a typo can never silently
    leave only the international lines on a worksheet."""
    wanted = text.strip().partition(".")[0].replace("_", "-").casefold()
    for known in DEFAULT_SUPPORT_LINES:
        if known.casefold() == wanted:
            return known
    if custom_lines and wanted:
        language, _, region = wanted.partition("-")
        return f"{language}-{region.upper()}" if region else language
    names = ", ".join(sorted(DEFAULT_SUPPORT_LINES))
    raise FacilitatorError(
        f"no support lines are known for locale {text!r} (known: {names}); "
        "check the spelling, or add your own [[support_lines]]"
    )


def zone_country(timezone: str) -> str:
    """The ISO country code of an IANA time zone ("Europe/Berlin" -> "DE"), from the tz
    database's zone.tab; empty when unknown."""
    return _zone_countries().get(timezone, "")


@functools.cache
def _zone_countries() -> dict[str, str]:
    zones = {}
    for line in _zone_tab().splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            zones[fields[2]] = fields[0]
    return zones


def _zone_tab() -> str:
    from importlib import resources

    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    try:
        return Path("/usr/share/zoneinfo/zone.tab").read_text("utf-8")
    except OSError:
        return ""


def load_settings(data: Path) -> Settings:
    """Read ``settings.toml`` from the data folder; a missing file means defaults.

    Anything wrong with it is one line naming the file (and the key): not a regular file,
    unreadable, too big, not TOML, nested too deep, an unknown key or a value of the wrong type.
    """
    path = locations.settings_file(data)
    try:
        raw = tomllib.loads(read_bounded(path, MAX_SETTINGS_BYTES, what="settings files").decode())
    except FileNotFoundError:
        return Settings()
    except NotARegularFile as exc:
        raise FacilitatorError(str(exc)) from None
    except OSError as exc:
        raise FacilitatorError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FacilitatorError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise FacilitatorError(f"{path}: not valid TOML: nested too deeply") from None
    return _settings_from_dict(raw, path)


_KIND_WORDS = {str: "text in quotes", int: "a whole number", bool: "true or false"}
_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool}
"""Field annotations (strings under ``from __future__ import annotations``) -> types."""


def _typed(raw: Any, cls: type, path: Path, where: str) -> dict[str, Any]:
    """``raw`` (a TOML table) checked against the fields of the dataclass ``cls``: every key
    known, every value of its default's type. Returns it as keyword arguments for ``cls``."""
    if not isinstance(raw, dict):
        raise FacilitatorError(f"{path}: {where}: must be a table of keys")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in raw.items():
        spec = fields.get(key)
        name = f"{where}.{key}" if where else key
        if spec is None or not spec.init:
            raise FacilitatorError(f"{path}: {name}: unknown setting")
        kind = _TYPES.get(spec.type) if isinstance(spec.type, str) else spec.type
        if kind in _KIND_WORDS and type(value) is not kind:
            raise FacilitatorError(
                f"{path}: {name}: must be {_KIND_WORDS[kind]}, not {_shown(value)}"
            )
    missing = [
        f.name
        for f in fields.values()
        if f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and f.name not in raw
    ]
    if missing:
        raise FacilitatorError(f"{path}: {where}: needs {', '.join(missing)}")
    return dict(raw)


def _shown(value: Any) -> str:
    """A wrong value, briefly (a whole nested table would make a long line)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)[:60]


def _locale(value: str, own_lines: bool, path: Path) -> str:
    """:func:`normalise_locale`, its error naming the settings file and key."""
    try:
        return normalise_locale(value, custom_lines=own_lines)
    except FacilitatorError as exc:
        raise FacilitatorError(f"{path}: locale: {exc.message}") from None


def _settings_from_dict(raw: dict[str, Any], path: Path) -> Settings:
    options = _typed(raw, Settings, path, "")
    lines = options.pop("support_lines", [])
    if not isinstance(lines, list):
        raise FacilitatorError(f"{path}: support_lines: must be a list of tables")
    options["support_lines"] = tuple(
        SupportLine(**_typed(line, SupportLine, path, f"support_lines[{i}]"))
        for i, line in enumerate(lines)
    )
    smtp = SmtpSettings(**_typed(options.pop("smtp", {}), SmtpSettings, path, "smtp"))
    if options.get("locale"):  # "" means: from the group's country or time zone
        options["locale"] = _locale(options["locale"], bool(options["support_lines"]), path)
    settings = replace(Settings(), smtp=smtp, **options)
    for key, most in (("message_timeout", 3600), ("run_timeout", 86400)):
        value = getattr(settings.smtp, key)
        if type(value) not in (int, float) or not 0 < value <= most:
            raise FacilitatorError(
                f"{path}: smtp.{key}: must be a number of seconds above 0, at most {most}"
            )
    if settings.paper not in {"", "letter", "a4"}:
        raise FacilitatorError(f"{path}: paper: must be 'letter' or 'a4'")
    if not 0 <= settings.invite_alarm_minutes <= 10080:
        raise FacilitatorError(f"{path}: invite_alarm_minutes: must be 0 to 10080 (a week)")
    if not 1 <= smtp.port <= 65535:
        raise FacilitatorError(f"{path}: smtp.port: must be 1 to 65535")
    return settings
