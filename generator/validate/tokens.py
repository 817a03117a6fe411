"""Per-person tokens for the links sent to participants: HMAC-SHA256 with the program's secret."""
from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Iterable
from urllib.parse import quote_plus

from generator.config.forms import Form

#: The secret lives in the environment only; it is never written to any output.
SECRET_ENV = "CRP_FORM_SECRET"


def sign(secret: str, program: str, email: str, signer: str = "participant") -> str:
    """A token that proves a link was made for this person in this program (128 bits, URL-safe).

    `signer` says who the link is for: a supervisor's link about a participant carries a
    different token from the participant's own, so neither can stand in for the other.
    """
    subject = email.strip().lower() if signer == "participant" else f"{signer}\n{email.strip().lower()}"
    digest = hmac.new(secret.encode(), f"{program}\n{subject}".encode(), hashlib.sha256).digest()
    return b64url(digest[:16])


def b64url(data: bytes) -> str:
    """URL-safe base64 without padding: what links carry."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def form_link(form: Form, program: str, email: str, secret: str | None, quarter: str = "") -> str:
    """The form's page (relative to the site root) with the person filled in and, for a signed
    form with a secret, the token made for whoever the form's links are for; `quarter` preselects
    the check-in's quarter (the person may change it: it is not signed)."""
    # What urlencode({"email": ..., "token": ...}) writes, at half its cost (three links a person,
    # 60,000 at 20,000 people); a token is URL-safe base64, which needs no quoting.
    query = "email=" + quote_plus(email, safe="")
    if form.signed and secret:
        query += "&token=" + sign(secret, program, email, form.signed_by)
    if quarter:
        query += "&quarter=" + quote_plus(quarter, safe="")
    return f"{form.page}?{query}"


def verify(secret: str, program: str, email: str, token: str, signer: str = "participant") -> bool:
    """True if the token was made for this person; any other text (non-ASCII included) is False."""
    # compare_digest refuses str with non-ASCII characters: compare bytes, which it always takes.
    return hmac.compare_digest(sign(secret, program, email, signer).encode(), token.strip().encode("utf-8"))


#: Personal pages may have their own secret; without it they use the form secret.
PAGE_SECRET_ENV = "CRP_PAGE_SECRET"
#: Every page's key derives from the secret and every sealed page is public: a short secret can be
#: found by trying candidates against any one page, offline, and then opens them all.
MIN_SECRET = 32
NEW_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


def weak_secrets(env: dict[str, str] | Any) -> list[str]:
    """What is wrong with the secrets set in the environment (never their values)."""
    return [f"{name} is too short to keep personal pages and survey links private: use at least {MIN_SECRET} random "
            f"characters, such as the output of {NEW_SECRET} (a new secret changes every link: send them again)"
            for name in (SECRET_ENV, PAGE_SECRET_ENV) if env.get(name) and len(env[name].strip()) < MIN_SECRET]


def page_secret(env: dict[str, str] | Any, demo_secret: str | None, from_folder: bool,
                emails: Iterable[str] = ()) -> tuple[str | None, str]:
    """The secret personal pages are keyed from, and what staff should know about it.

    A program's demo secret (the bundled examples') is public, so pages keyed from it are not
    private: it is used only for example data, read from a workbook folder with every address at
    an example domain. A coordinator who copies an example and puts the program's own answers in
    its folder gets no pages until a real secret is set, rather than pages anyone can open."""
    secret = env.get(PAGE_SECRET_ENV) or env.get(SECRET_ENV)
    if secret:
        return secret, ""
    real = sorted({e.rpartition("@")[2].lower() for e in emails if not example_address(e)})
    if demo_secret and from_folder and not real:
        return demo_secret, ("Personal pages use the example's DEMO secret from program.yml: anyone can open them. "
                             f"A real program sets {PAGE_SECRET_ENV} or {SECRET_ENV} instead.")
    if demo_secret:
        why = (f"these answers have real addresses (at {', '.join(real[:3])}{', ...' if len(real) > 3 else ''})"
               if from_folder else "it is for the bundled examples, not data from a spreadsheet")
        return None, (f"No personal pages are built: the demo secret in program.yml is public, and {why}; set "
                      f"{PAGE_SECRET_ENV} or {SECRET_ENV}.")
    return None, f"No personal pages are built: set {PAGE_SECRET_ENV} or {SECRET_ENV} to give each participant one."


#: The top-level domains RFC 6761 keeps from real use (.example, .test, .invalid, .localhost).
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})


def example_address(email: str) -> bool:
    """An address no one can have: its domain has the label "example" (example.com, .net and .org
    are reserved by RFC 2606, and "example" at every level of ICANN's domains; the demo data uses
    ufhealth.example.edu) or a top-level domain reserved by RFC 6761."""
    labels = email.rpartition("@")[2].strip().lower().rstrip(".").split(".")
    return "example" in labels or labels[-1] in _RESERVED_TLDS


def derive(secret: str, purpose: str, program: str, email: str, size: int) -> bytes:
    """A per-person value for one purpose (a page's address, its key), from the program's secret."""
    message = f"{purpose}\n{program}\n{email.strip().lower()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:size]
