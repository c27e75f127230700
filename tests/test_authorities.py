"""Supervisory authorities: every one named, with its source, and Clause 13(a) resolved from plain facts."""

from __future__ import annotations

from datetime import date

import pytest

from dpakit.authorities import authorities, authority_for, clause13, load_authorities, regions_of
from dpakit.errors import ContentError
from dpakit.jurisdictions import countries, is_eea
from dpakit.requirements import load_catalogue

GERMAN_LAENDER = {
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
}  # fmt: skip


def test_every_german_land_has_its_authority_and_each_entry_its_source_date_and_status():
    assert {a.code for a in regions_of("DE")} == GERMAN_LAENDER
    for authority in authorities().values():
        assert authority.source.startswith("https://") and authority.checked <= date.today()
        assert authority.status in {"V", "S", "U"}


def test_every_requirement_an_authority_serves_is_in_the_catalogue():
    catalogue = load_catalogue()
    for authority in authorities().values():
        assert set(authority.requirements) <= set(catalogue.requirements), authority.code


def test_every_eea_state_the_uk_and_south_africa_have_a_named_authority_germany_only_by_land():
    for code in countries():
        if is_eea(code) and code != "DE":
            assert authority_for(code), code
    assert "Information Commissioner" in authority_for("GB")
    assert "Information Regulator" in authority_for("ZA")
    assert authority_for("DE") is None  # never "the authority of the Land"
    assert authority_for("DE", "DE-BY").startswith("Bayerisches Landesamt für Datenschutzaufsicht")
    assert authority_for("US", "US-CA") == "California Privacy Protection Agency (CPPA)"


def test_an_eu_exporter_gets_the_authority_of_its_establishment():
    result = clause13("FR")
    assert result.authority == countries()["FR"].supervisory_authority and result.missing is None
    assert "establishment in France" in result.reason


def test_a_german_exporter_gets_its_land_authority_and_without_the_land_a_stated_gap():
    assert clause13("DE", "DE-NW").authority.startswith("Landesbeauftragte für Datenschutz und Informationsfreiheit")
    gap = clause13("DE")
    assert gap.authority is None and gap.missing == "the Land where the exporter is established"


def test_a_non_eu_exporter_with_a_representative_gets_the_representatives_authority():
    result = clause13("US", has_eu_representative=True, representative_country="IE")
    assert result.authority == countries()["IE"].supervisory_authority
    assert "GDPR-27-1" in result.requirement_ids and "representative" in result.reason
    assert (
        clause13("US", has_eu_representative=True).missing
        == "the EU/EEA country where the representative is established"
    )


def test_a_non_eu_exporter_without_a_representative_gets_a_member_state_where_the_people_are():
    # legal-acceptance case of issue 10: a non-EU exporter targeting Dutch and German consumers
    result = clause13("US", has_eu_representative=False, people_countries=["NL", "DE"])
    assert result.authority == countries()["NL"].supervisory_authority
    assert "Germany" in result.reason
    only_german = clause13("US", has_eu_representative=False, people_countries=["DE"])
    assert only_german.authority is None and "Land" in only_german.missing
    assert clause13("US", has_eu_representative=False, people_countries=["US"]).missing.startswith(
        "the EU/EEA countries"
    )


def test_not_knowing_whether_there_is_a_representative_is_a_gap_never_a_guess():
    result = clause13("US", people_countries=["NL"])
    assert result.authority is None and "EU representative" in result.missing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[region.XX-AB]\nname = "X authority"\nseat = "Ysby"\nsupervises = "all"\nsource = "https://x"\n'
            'checked = 2026-01-01\nstatus = "U"\nrequirements = ["SCC914-C13"]\n',
            "XX is not a country code",
        ),
        (
            '[region.DE-BY]\nname = "X authority"\nseat = "Ysby"\nsupervises = "all"\nsource = "http://x"\n'
            'checked = 2026-01-01\nstatus = "U"\nrequirements = ["SCC914-C13"]\n',
            "source",
        ),
        (
            '[region.DE-BY]\nname = "X authority"\nseat = "Ysby"\nsupervises = "all"\nsource = "https://x"\n'
            'checked = 2026-01-01\nstatus = "U"\nrequirements = ["SCC914-C13"]\nwebsite = "https://x"\n',
            "website",
        ),
        ('[authority.DE-BY]\nname = "X"\n', r"only \[region\.XX-YY\]"),
    ],
    ids=["unknown-country", "no-https-source", "unknown-key", "wrong-table"],
)
def test_a_bad_authorities_file_is_refused_naming_the_problem(tmp_path, text, message):
    path = tmp_path / "authorities.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_authorities(path)


def test_without_a_representative_the_first_nameable_member_state_of_the_people_is_named():
    # Germany has one authority per Land, which where the people are does not settle: the Dutch one is named
    found = clause13("AU", has_eu_representative=False, people_countries=["DE", "NL"])
    assert "Autoriteit Persoonsgegevens" in (found.authority or "") and "Germany" in found.reason
    only_germany = clause13("AU", has_eu_representative=False, people_countries=["DE"])
    assert only_germany.authority is None and "German Land" in (only_germany.missing or "")


def test_without_an_eu_representative_the_people_s_authority_is_only_proposed():
    from dpakit.authorities import NO_REPRESENTATIVE, clause13

    resolved = clause13("AU", has_eu_representative=False, people_countries=("DE", "NL"))
    assert resolved.authority is not None and "Autoriteit Persoonsgegevens" in resolved.authority
    assert resolved.unconfirmed == NO_REPRESENTATIVE and "Art 27(2)" in resolved.unconfirmed
    assert clause13("DE", "DE-BY").unconfirmed is None
    assert clause13("AU", has_eu_representative=True, representative_country="IE").unconfirmed is None
