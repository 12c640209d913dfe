"""Validation of what people type (Qt-free). Each check raises :class:`ValidationError` naming
the field, with a message in the reader's language; nothing has been written when it does."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.domain.types import LanguagePreference
from desktop.errors import ValidationError
from desktop.i18n import N_

NHS_NUMBER = re.compile(r"^\d{10}$")
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)
SCW_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,19}$", re.IGNORECASE)


def parse_date(value: Any, field: str) -> date | None:
    """An ISO date (``YYYY-MM-DD``) or ``None`` for empty; raises for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(N_("Enter the date as day, month and year."), field=field) from exc


def nhs_number_ok(number: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    digits = number.replace(" ", "")
    if not NHS_NUMBER.match(digits):
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def validate_person(values: dict[str, Any], today: date) -> dict[str, Any]:
    """Check a whole person (after merging changes); returns the values with dates normalised."""
    out = dict(values)
    if not str(values.get("family_name") or "").strip():
        raise ValidationError(N_("Enter a family name."), field="family_name")
    out["family_name"] = str(values["family_name"]).strip()
    dob = parse_date(values.get("date_of_birth"), "date_of_birth")
    expected = parse_date(values.get("expected_date"), "expected_date")
    death = parse_date(values.get("date_of_death"), "date_of_death")
    if values.get("unborn"):
        if dob is not None:
            raise ValidationError(
                N_("An unborn child has an expected date, not a date of birth."), field="date_of_birth"
            )
        if expected is None:
            raise ValidationError(N_("Enter the expected date of birth of the unborn child."), field="expected_date")
    if dob is not None:
        if dob > today:
            raise ValidationError(N_("The date of birth cannot be in the future."), field="date_of_birth")
        if dob.year < 1900:
            raise ValidationError(N_("Check the year of birth."), field="date_of_birth")
    if death is not None:
        if death > today:
            raise ValidationError(N_("The date of death cannot be in the future."), field="date_of_death")
        if dob is not None and death < dob:
            raise ValidationError(N_("The date of death is before the date of birth."), field="date_of_death")
    nhs = str(values.get("nhs_number") or "").replace(" ", "")
    if nhs and not nhs_number_ok(nhs):
        raise ValidationError(N_("The NHS number should be 10 digits with a valid check digit."), field="nhs_number")
    language = values.get("correspondence_language") or LanguagePreference.UNKNOWN
    if language not in set(LanguagePreference):
        raise ValidationError(N_("Choose a correspondence language."), field="correspondence_language")
    asked_on = parse_date(values.get("language_asked_on"), "language_asked_on")
    if asked_on is not None and asked_on > today:
        raise ValidationError(
            N_("The date the language preference was asked cannot be in the future."), field="language_asked_on"
        )
    email = str(values.get("email") or "").strip()
    if email and ("@" not in email or " " in email):
        raise ValidationError(N_("Enter an email address like name@example.org."), field="email")
    for name, parsed in (("date_of_birth", dob), ("expected_date", expected), ("date_of_death", death)):
        if name in out:
            out[name] = parsed.isoformat() if parsed else None
    if "nhs_number" in out:
        out["nhs_number"] = nhs or None
    return out


def validate_address(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if not str(values.get("line1") or "").strip():
        raise ValidationError(N_("Enter the first line of the address."), field="line1")
    country = (values.get("country") or "GB").upper()
    postcode = str(values.get("postcode") or "").strip().upper()
    # Placements can be anywhere; only UK postcodes have a shape we can check.
    if country == "GB" and postcode and not UK_POSTCODE.match(postcode):
        raise ValidationError(N_("Enter a UK postcode like SA1 1AA."), field="postcode")
    frm = parse_date(values.get("from_date"), "from_date")
    to = parse_date(values.get("to_date"), "to_date")
    if frm and to and to < frm:
        raise ValidationError(N_("The end date is before the start date."), field="to_date")
    out.update(country=country, postcode=postcode or None)
    out["from_date"] = frm.isoformat() if frm else None
    out["to_date"] = to.isoformat() if to else None
    return out


def validate_scw_number(number: str | None) -> str:
    """A Social Care Wales registration number is required of a co-ordinator."""
    value = (number or "").strip()
    if not value:
        raise ValidationError(
            N_("Record the Social Care Wales registration number."), field="scw_number"
        )
    if not SCW_NUMBER.match(value):
        raise ValidationError(N_("Check the Social Care Wales registration number."), field="scw_number")
    return value.upper()
