"""Who may call `POST /invoke`: only the Worker, which holds the bridge secret. Each request is
signed over its raw body (`x-stepflare-signature: v1=<hex HMAC-SHA256(K, body)>`, where
K = HMAC-SHA256(secret, "stepflare.invoke.v1")), and the invocation token it carries must be one
the secret issued, unexpired, for this very invocation, step and trace, and unused: a replayed
request is refused. See PROTOCOL.md."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Dict, Optional, Tuple

SIGNATURE_HEADER = "x-stepflare-signature"
INVOKE_LABEL = b"stepflare.invoke.v1"
TOKEN_LABEL = "stepflare.token.v1."
MIN_SECRET_LENGTH = 16
SECRET_ENV = "STEPFLARE_PYTHON_SECRET"

# (HTTP status, code, message)
Refusal = Tuple[int, str, str]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_invoke(secret: str, body: bytes) -> str:
    """What the Worker sends (token.ts `signInvoke`); here for tests and tools."""
    key = hmac.new(secret.encode("utf-8"), INVOKE_LABEL, hashlib.sha256).digest()
    return "v1=" + hmac.new(key, body, hashlib.sha256).hexdigest()


class SecretMissingError(Exception):
    pass


class InvokeAuth:
    def __init__(self, secret: Optional[str]) -> None:
        if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
            raise SecretMissingError(
                f"the runner needs {SECRET_ENV} in its environment (at least {MIN_SECRET_LENGTH} characters): "
                "it accepts only invocations signed with it. `stepflare dev` and the container set it."
            )
        self._secret = secret.encode("utf-8")
        self._key = hmac.new(self._secret, INVOKE_LABEL, hashlib.sha256).digest()
        self._seen: Dict[str, float] = {}  # invocationId -> token expiry (ms)
        self._last_sweep = 0.0

    def check_signature(self, headers: Dict[str, str], body: bytes) -> Optional[Refusal]:
        given = headers.get(SIGNATURE_HEADER, "")
        if not given:
            return 401, "UNAUTHENTICATED", f"missing {SIGNATURE_HEADER}: the runner accepts only invocations signed by its Worker"
        expected = "v1=" + hmac.new(self._key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode()):
            return 401, "BAD_SIGNATURE", "the signature does not match the body under this runner's secret"
        return None

    def check_token(self, req: dict, now_ms: Optional[float] = None) -> Optional[Refusal]:
        now_ms = time.time() * 1000 if now_ms is None else now_ms
        claims_part, _, mac = str(req.get("token", "")).partition(".")
        expected = _b64url(hmac.new(self._secret, (TOKEN_LABEL + claims_part).encode("utf-8"), hashlib.sha256).digest())
        if not mac or not hmac.compare_digest(mac.encode("latin-1", "replace"), expected.encode()):
            return 401, "BAD_TOKEN", "the invocation token was not issued with this runner's secret"
        try:
            claims = json.loads(_from_b64url(claims_part))
        except ValueError:
            return 401, "BAD_TOKEN", "the invocation token's claims are unreadable"
        if not isinstance(claims, dict) or not isinstance(claims.get("exp"), (int, float)):
            return 401, "BAD_TOKEN", "the invocation token's claims are unreadable"
        if claims["exp"] < now_ms:
            return 401, "TOKEN_EXPIRED", "the invocation token has expired"
        if (claims.get("inv"), claims.get("step"), claims.get("trace")) != (req["invocationId"], req["step"], req["traceId"]):
            return 403, "TOKEN_MISMATCH", "the invocation token was issued for another invocation, step or trace"
        if now_ms - self._last_sweep > 10_000:
            self._last_sweep = now_ms
            self._seen = {k: v for k, v in self._seen.items() if v >= now_ms}
        if req["invocationId"] in self._seen:
            return 409, "REPLAYED", f"invocation {req['invocationId']} was already received"
        self._seen[req["invocationId"]] = claims["exp"]
        return None
