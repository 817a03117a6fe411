"""Per-person tokens for the links sent to participants: HMAC-SHA256 with the program's secret."""
from __future__ import annotations

import base64
import hashlib
import hmac

#: The secret lives in the environment only; it is never written to any output.
SECRET_ENV = "CRP_FORM_SECRET"


def sign(secret: str, program: str, email: str) -> str:
    """A token that proves a link was made for this person in this program (128 bits, URL-safe)."""
    digest = hmac.new(secret.encode(), f"{program}\n{email.strip().lower()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def verify(secret: str, program: str, email: str, token: str) -> bool:
    """True if the token was made for this person; any other text (non-ASCII included) is False."""
    # compare_digest refuses str with non-ASCII characters: compare bytes, which it always takes.
    return hmac.compare_digest(sign(secret, program, email).encode(), token.strip().encode("utf-8"))
