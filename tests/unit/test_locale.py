"""The locale: written any usual way, an unknown one named with the known ones, and by default
the group's own country (from its holidays or time zone) so a Berlin group prints German lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.config import Settings, load_settings, normalise_locale, zone_country
from facilitator.errors import FacilitatorError


@pytest.mark.parametrize("text", ["en-GB", "en-gb", "en_GB", "EN_gb", " en-GB "])
def test_spellings_of_a_locale(text: str) -> None:
    assert normalise_locale(text) == "en-GB"


def test_unknown_locale_names_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('locale = "xx-YY"\n', encoding="utf-8")
    with pytest.raises(FacilitatorError) as info:
        load_settings(tmp_path)
    message = info.value.message
    assert (
        "\n" not in message
        and "settings.toml: locale: no support lines are known for locale 'xx-YY'" in message
    )
    assert "de-DE" in message and "en-GB" in message and "international" in message


def test_a_settings_file_locale_is_normalised(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('locale = "en_gb"\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.locale == "en-GB"
    assert settings.effective_support_lines()[0].name == "Samaritans"


def test_an_own_locale_with_its_own_lines_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        'locale = "fr_FR"\n[[support_lines]]\nname = "SOS Amitié"\ncontact = "09 72 39 40 50"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.locale == "fr-FR" and settings.effective_support_lines()[0].name == "SOS Amitié"


def test_the_groups_country_sets_the_default_locale() -> None:
    assert zone_country("Europe/Berlin") == "DE" and zone_country("Mars/Base") == ""
    by_zone = Settings().for_group("", "Europe/Berlin")
    assert by_zone.effective_locale == "de-DE"
    assert by_zone.effective_support_lines()[0].name == "TelefonSeelsorge"
    assert Settings().for_group("GB-ENG", "UTC").effective_locale == "en-GB"  # holidays first
    assert Settings().for_group("", "Asia/Tokyo").effective_locale == "international"
    chosen = Settings(locale="en-IE").for_group("", "Europe/Berlin")
    assert chosen.effective_locale == "en-IE"  # a locale set in settings always wins
