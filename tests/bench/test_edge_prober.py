"""How the scale profile's prober reads a deny from either kind of sidecar."""

import ssl

from bench.scale_profile import _refused_by_authz


def test_the_built_in_proxys_refused_handshake_reads_as_a_deny():
    refused = ssl.SSLError(1, "[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate (_ssl.c:2580)")
    assert _refused_by_authz(refused)


def test_other_tls_failures_are_not_a_deny():
    assert not _refused_by_authz(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"))
    assert not _refused_by_authz(ssl.SSLError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"))
