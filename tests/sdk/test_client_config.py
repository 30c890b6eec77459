"""Client construction: keys, environment, options and copies."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from claude_compliance import AsyncComplianceClient, ComplianceClient


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY",
        "ANTHROPIC_COMPLIANCE_API_KEY",
        "ANTHROPIC_COMPLIANCE_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("cls", [ComplianceClient, AsyncComplianceClient])
def test_missing_key_is_a_clear_error(cls: type) -> None:
    with pytest.raises(ValueError, match="ANTHROPIC_COMPLIANCE_ACCESS_KEY"):
        cls()


@pytest.mark.parametrize(
    "variable", ["ANTHROPIC_COMPLIANCE_ACCESS_KEY", "ANTHROPIC_COMPLIANCE_API_KEY"]
)
def test_key_from_either_variable(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "sk-ant-api01-from-env")
    with ComplianceClient() as client:
        assert client._options.api_key.reveal() == "sk-ant-api01-from-env"


def test_access_key_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_ACCESS_KEY", "sk-access")
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_API_KEY", "sk-api")
    with ComplianceClient() as client:
        assert client._options.api_key.reveal() == "sk-access"


def test_base_url_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with ComplianceClient(api_key="k") as client:
        assert client.base_url == "https://api.anthropic.com"
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_BASE_URL", "http://127.0.0.1:1234/")
    with ComplianceClient(api_key="k") as client:
        assert client.base_url == "http://127.0.0.1:1234"


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="base_url"):
        ComplianceClient(api_key="k", base_url="ftp://x")
    with pytest.raises(ValueError, match="max_retries"):
        ComplianceClient(api_key="k", max_retries=-1)
    with pytest.raises(ValueError, match="max_download_bytes"):
        ComplianceClient(api_key="k", max_download_bytes=0)
    with pytest.raises(TypeError):
        ComplianceClient(api_key=123)  # type: ignore[arg-type]


SECRET = "sk-ant-api01-do-not-show"


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"base_url": "ftp://x"}, ValueError, "base_url must be an http:// or https:// URL"),
        ({"base_url": "https://"}, ValueError, "with a host"),
        ({"max_download_bytes": -5}, ValueError, "max_download_bytes must be >= 1, got -5"),
        ({"max_download_bytes": 1.5}, TypeError, "max_download_bytes must be an int"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        # An empty key given to the constructor means "none given": it says where to set one.
        ({"api_key": ""}, ValueError, "api_key must be a non-empty string|No API key"),
        ({"api_key": "sk-x\ny"}, ValueError, "api_key holds a character an HTTP header"),
        ({"max_response_bytes": 0}, ValueError, "max_response_bytes must be >= 1"),
        ({"timeout": -2}, ValueError, "timeout must be >= 0"),
        ({"timeout": "60"}, TypeError, "timeout must be seconds"),
        ({"default_headers": {"x-n": 1}}, TypeError, "default_headers"),
    ],
)
def test_options_check_themselves_wherever_they_are_set(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with ComplianceClient(api_key=SECRET) as client:
        with pytest.raises(error, match=message) as refused:
            client.with_options(**changes)
        assert SECRET not in str(refused.value)
    with pytest.raises(error, match=message) as refused:
        AsyncComplianceClient(**{"api_key": SECRET, **changes})
    assert SECRET not in str(refused.value)


def test_with_options_accepts_good_values() -> None:
    with ComplianceClient(api_key=SECRET) as client:
        copy = client.with_options(base_url="http://127.0.0.1:9/", max_retries=0, timeout=3)
        assert copy.base_url == "http://127.0.0.1:9" and copy.max_retries == 0
        assert copy.timeout.read == 3 and copy.rate_limit is client.rate_limit


def test_timeouts() -> None:
    with ComplianceClient(api_key="k", timeout=30) as client:
        assert client.timeout.read == 30 and client.timeout.connect == 5
    with ComplianceClient(api_key="k", timeout=httpx2.Timeout(3.0)) as client:
        assert client.timeout.connect == 3.0
    with ComplianceClient(api_key="k", timeout=None) as client:
        assert client.timeout.read is None


def test_with_options_shares_pool_and_pacing() -> None:
    client = ComplianceClient(api_key="sk-one", max_retries=1)
    copy = client.with_options(max_retries=5, timeout=2.0, default_headers={"x-a": "1"})
    assert copy.max_retries == 5 and client.max_retries == 1
    assert copy.timeout.read == 2.0
    assert copy._http is client._http
    assert copy.rate_limit is client.rate_limit
    assert copy.projects is not client.projects
    other_key = copy.with_options(api_key="sk-two", base_url="http://127.0.0.1:1")
    assert other_key._options.api_key.reveal() == "sk-two"
    assert other_key.base_url == "http://127.0.0.1:1"
    assert other_key._options.default_headers == {"x-a": "1"}
    copy.close()  # a copy does not own the pool
    assert not client._http.is_closed
    client.close()
    assert client._http.is_closed
    with pytest.raises(ValueError):
        client.with_options(max_retries=-1)


async def test_async_with_options_and_close() -> None:
    client = AsyncComplianceClient(api_key="sk-one")
    copy = client.with_options(max_download_bytes=10)
    assert copy._options.max_download_bytes == 10
    assert copy._http is client._http
    await copy.aclose()
    assert not client._http.is_closed
    async with client:
        pass
    assert client._http.is_closed


def test_caller_supplied_http_client_stays_open() -> None:
    http = httpx2.Client()
    with ComplianceClient(api_key="k", http_client=http) as client:
        assert client._http is http
    assert not http.is_closed
    http.close()


def test_resources_are_cached_per_client() -> None:
    with ComplianceClient(api_key="k") as client:
        assert client.projects is client.projects
        assert repr(client.projects) == "<Projects>"
    assert isinstance(ComplianceClient.projects, object)
