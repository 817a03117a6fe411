"""The links in people's pages and messages: what they carry and that their tokens check out."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.validate.tokens import form_link, sign, verify

# What people type as an address, and what a hand-edited sheet holds: spaces, plus signs,
# ampersands, equals signs, percent signs, accents and emoji.
typed = st.text(st.sampled_from(list("ab.-_@+&=%# /?ñé😀\t")), min_size=1, max_size=40)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=typed, secret=st.sampled_from([None, "", "s3cret"]))
def test_a_form_link_is_what_urlencode_writes_and_reads_back(circles, email, secret):
    for form in circles.forms.values():
        link = form_link(form, "circles", email, secret)
        query = {"email": email}
        if form.signed and secret:
            query["token"] = sign(secret, "circles", email, form.signed_by)
        assert link == f"{form.page}?{urlencode(query)}"
        carried = parse_qs(urlsplit(link).query)
        assert carried["email"] == [email]
        if form.signed and secret:
            assert verify(secret, "circles", email, carried["token"][0], form.signed_by)
        else:
            assert "token" not in carried
