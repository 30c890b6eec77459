"""The workspace's door: an access token on every request, and headers that keep data inert.

The archive holds a company's most sensitive conversations, and a web server on a laptop is
reachable by every page the laptop's browser opens. So:

- the server prints a URL carrying a random token (as Jupyter does); the first request with it
  sets an HttpOnly, SameSite=Strict cookie (named after the port, so two workspaces never
  overwrite each other's) and redirects to the same URL without the token, so it does not stay
  in the address bar or history; every request without the token or the cookie gets 403;
- only GET and HEAD exist (405 otherwise): nothing can be changed through the workspace;
- every response forbids scripts, plugins, frames and every other origin (Content-Security-
  Policy), sniffing (nosniff), referrers and caching.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SECURITY_HEADERS", "TOKEN_PARAMETER", "TokenGate", "new_token"]

TOKEN_PARAMETER = "token"
READ_METHODS = ("GET", "HEAD")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}


def new_token() -> str:
    """A fresh access token (192 random bits)."""
    return secrets.token_urlsafe(24)


def cookie_name(port: int | None) -> str:
    return f"claude_compliance_workspace_{port or 0}"


class TokenGate:
    """ASGI middleware: the token check, the method check and the security headers."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    def _matches(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(
            candidate.encode(), self.token.encode()
        )

    def _decide(self, request: Request) -> Response | None:
        given = request.query_params.get(TOKEN_PARAMETER)
        cookie = cookie_name(request.url.port)
        if self._matches(given):
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != TOKEN_PARAMETER]
            target = URL(path=request.url.path, query=urlencode(rest))
            redirect = RedirectResponse(str(target), status_code=303)
            redirect.set_cookie(cookie, self.token, httponly=True, samesite="strict", path="/")
            return redirect
        if not self._matches(request.cookies.get(cookie)):
            return PlainTextResponse(
                "403 Forbidden: open the URL that `claude-compliance archive serve` printed "
                "(it carries the access token).",
                status_code=403,
            )
        if request.method not in READ_METHODS:
            return PlainTextResponse(
                "405 Method Not Allowed: the workspace is read-only.",
                status_code=405,
                headers={"allow": ", ".join(READ_METHODS)},
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {bytes(k).decode().lower() for k, _ in headers}
                # A response may tighten a header (downloads get a sandboxing policy); none
                # goes without.
                headers += [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k not in present
                ]
                message = {**message, "headers": headers}
            await send(message)

        early = self._decide(Request(scope))
        if early is not None:
            await early(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
