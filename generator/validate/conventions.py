"""How a spreadsheet writes dates and numbers, from its locale (Sheets metadata, or program.yml).

A Google Sheet formats every value for its locale: an en_GB sheet writes 21/10/2021, a
de_DE sheet writes 3,5. Reading those with US rules turns the 5th of October into May,
so the validator asks the sheet's conventions instead of guessing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

#: Locales that write a short date month first (Google Sheets' en_US family).
_MONTH_FIRST = {"en_US", "en_PH", "es_US", "en_AS", "en_GU", "en_MP", "en_PR", "en_UM", "en_VI", "fil_PH"}
#: Languages whose sheets write a decimal comma (3,5), with the countries that do not.
_DECIMAL_COMMA = {"de", "fr", "es", "it", "pt", "nl", "da", "fi", "nb", "no", "sv", "pl", "cs", "sk", "ru", "uk",
                  "tr", "id", "vi", "ro", "hu", "el", "bg", "hr", "sl", "lt", "lv", "et", "ca", "sr", "is"}
_DECIMAL_POINT_IN = {"es_MX", "es_US", "de_CH", "it_CH", "fr_CH"}
LOCALE_PATTERN = r"^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$"


@dataclass(frozen=True)
class Conventions:
    locale: str
    dates: Literal["MDY", "DMY"]  # how a slashed date with the year last is ordered
    decimal: Literal[".", ","]

    @property
    def date_hint(self) -> str:
        short = "MM/DD/YYYY" if self.dates == "MDY" else "DD/MM/YYYY"
        return f"use YYYY-MM-DD or {short}"


def conventions(locale: str | None) -> Conventions:
    """The conventions of a locale such as 'en_US', 'en_GB' or 'de_DE' (default: en_US)."""
    name = (locale or "en_US").replace("-", "_")
    if not re.match(LOCALE_PATTERN, name):
        name = "en_US"
    language = name.split("_")[0]
    dates: Literal["MDY", "DMY"] = "MDY" if name in _MONTH_FIRST or name == "en" else "DMY"
    comma = language in _DECIMAL_COMMA and name not in _DECIMAL_POINT_IN
    return Conventions(name, dates, "," if comma else ".")


US = conventions("en_US")
