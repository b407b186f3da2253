"""API tokens: what a user is given once (`kc_…`) and what is stored (its SHA-256 digest and first characters).

The API's authentication (api/auth.py) looks a token up by its digest; accounts' services issue and revoke them.
"""

import hashlib
import secrets

TOKEN_PREFIX_LEN = 8


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return "kc_" + secrets.token_urlsafe(32)
