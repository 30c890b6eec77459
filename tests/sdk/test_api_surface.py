"""The public surface other parts (CLI, archive) build on: names, signatures, sync/async parity,
and the documentation the API reference is generated from."""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest

import claude_compliance as cc
from claude_compliance import AsyncComplianceClient, ComplianceClient, models, resources
from claude_compliance._request import OPTION_PARAMETERS

KW = inspect.Parameter.KEYWORD_ONLY


def times(field: str, *ops: str) -> list[str]:
    return [f"{field}_at_{op}" for op in ops or ("gte", "gt", "lte", "lt")]


ACTIVITY_FILTERS = [
    "activity_types",
    "exclude_activity_types",
    "actor_ids",
    "user_ids",
    "organization_ids",
    *times("created"),
    "order",
    "after_id",
    "before_id",
    "limit",
]
CHAT_FILTERS = [
    "user_ids",
    "organization_ids",
    "project_ids",
    *times("created"),
    *times("updated"),
    "order_by",
    "after_id",
    "before_id",
    "limit",
]
MESSAGE_OPTIONS = [
    "order",
    "limit",
    *times("created"),
    *times("updated"),
    "tool_use_input_max_chars",
    "tool_result_max_chars",
]
SESSION_MESSAGE_OPTIONS = ["order", "limit", "tool_use_input_max_bytes", "tool_result_max_bytes"]
LOCAL_FILTERS = ["created_at_gte", "created_at_lt", "updated_at_gte", "limit"]
REMOTE_FILTERS = ["organization_ids", "user_ids", *times("created"), "limit"]
CODE_FILTERS = ["organization_ids", "user_ids", *times("updated"), "limit"]

# client attribute -> (sync class, async class, {method: (positional, keyword-only)})
SURFACE: dict[str, tuple[str, str, dict[str, tuple[list[str], list[str]]]]] = {
    "activities": (
        "Activities",
        "AsyncActivities",
        {"list": ([], ACTIVITY_FILTERS), "iter": ([], ACTIVITY_FILTERS)},
    ),
    "organizations": (
        "Organizations",
        "AsyncOrganizations",
        {
            "list": ([], ["limit", "page"]),
            "iter": ([], ["limit"]),
            "list_users": (["org_uuid"], ["limit", "page"]),
            "iter_users": (["org_uuid"], ["limit"]),
            "list_user_preferences": (["org_uuid"], ["include_unset", "limit", "page"]),
            "iter_user_preferences": (["org_uuid"], ["include_unset", "limit"]),
            "get_settings": (["organization_id"], []),
        },
    ),
    "roles": (
        "Roles",
        "AsyncRoles",
        {
            "list": (["org_uuid"], ["limit", "page"]),
            "iter": (["org_uuid"], ["limit"]),
            "get": (["org_uuid", "role_id"], []),
            "list_permissions": (["org_uuid", "role_id"], ["limit", "page"]),
            "iter_permissions": (["org_uuid", "role_id"], ["limit"]),
        },
    ),
    "groups": (
        "Groups",
        "AsyncGroups",
        {
            "list": ([], ["name_prefix", "limit", "page"]),
            "iter": ([], ["name_prefix", "limit"]),
            "get": (["group_id"], []),
            "list_members": (["group_id"], ["limit", "page"]),
            "iter_members": (["group_id"], ["limit"]),
        },
    ),
    "chats": (
        "Chats",
        "AsyncChats",
        {
            "list": ([], CHAT_FILTERS),
            "iter": ([], CHAT_FILTERS),
            "get": (["claude_chat_id"], [*MESSAGE_OPTIONS, "after_id", "before_id"]),
            "iter_messages": (["claude_chat_id"], MESSAGE_OPTIONS),
            "delete": (["claude_chat_id"], []),
        },
    ),
    "generated_files": (
        "GeneratedFiles",
        "AsyncGeneratedFiles",
        {
            "get": (["claude_gen_file_id"], []),
            "download": (["claude_gen_file_id"], []),
            "download_stream": (["claude_gen_file_id"], []),
            "download_to_file": (["claude_gen_file_id", "destination"], ["overwrite"]),
        },
    ),
    "artifacts": (
        "Artifacts",
        "AsyncArtifacts",
        {
            "get": (["artifact_version_id"], []),
            "download": (["artifact_version_id"], []),
            "download_stream": (["artifact_version_id"], []),
            "download_to_file": (["artifact_version_id", "destination"], ["overwrite"]),
        },
    ),
    "projects": (
        "Projects",
        "AsyncProjects",
        {
            "list_collaborators": (["project_id"], ["limit", "page"]),
            "iter_collaborators": (["project_id"], ["limit"]),
        },
    ),
    "local_sessions": (
        "LocalSessions",
        "AsyncLocalSessions",
        {
            "list": ([], [*LOCAL_FILTERS, "page"]),
            "iter": ([], LOCAL_FILTERS),
            "get": (["local_session_id"], []),
            "list_messages": (["local_session_id"], [*SESSION_MESSAGE_OPTIONS, "page"]),
            "iter_messages": (["local_session_id"], SESSION_MESSAGE_OPTIONS),
        },
    ),
    "remote_sessions": (
        "RemoteSessions",
        "AsyncRemoteSessions",
        {
            "list": ([], [*REMOTE_FILTERS, "page"]),
            "iter": ([], REMOTE_FILTERS),
            "list_messages": (["claude_remote_session_id"], [*SESSION_MESSAGE_OPTIONS, "page"]),
            "iter_messages": (["claude_remote_session_id"], SESSION_MESSAGE_OPTIONS),
        },
    ),
    "code_artifacts": (
        "CodeArtifacts",
        "AsyncCodeArtifacts",
        {
            "list": ([], [*CODE_FILTERS, "page"]),
            "iter": ([], CODE_FILTERS),
            "download_version": (["artifact_id", "version_id"], []),
            "download_version_stream": (["artifact_id", "version_id"], []),
            "download_version_to_file": (
                ["artifact_id", "version_id", "destination"],
                ["overwrite"],
            ),
            "delete": (["artifact_id"], []),
        },
    ),
}

CASES = [
    (group, method, spec)
    for group, (_, _, methods) in SURFACE.items()
    for method, spec in methods.items()
]


@pytest.mark.parametrize(("group", "method", "spec"), CASES, ids=[f"{g}.{m}" for g, m, _ in CASES])
def test_signatures(group: str, method: str, spec: tuple[list[str], list[str]]) -> None:
    sync_name, async_name, _ = SURFACE[group]
    positional, keyword = spec
    for cls in (getattr(cc, sync_name), getattr(cc, async_name)):
        parameters = inspect.signature(getattr(cls, method)).parameters
        names = [n for n in parameters if n != "self"]
        assert names[: len(positional)] == positional, (cls.__name__, method)
        for name in positional:
            assert parameters[name].default is inspect.Parameter.empty
        for name in keyword:
            assert name in parameters, (cls.__name__, method, name)
            assert parameters[name].kind is KW
        if "overwrite" in parameters:
            assert parameters["overwrite"].default is None
        extra = [n for n in names if n not in positional and n not in keyword]
        assert all(parameters[n].kind is KW for n in extra), (cls.__name__, method, extra)


@pytest.mark.parametrize("group", list(SURFACE))
def test_clients_expose_every_group(group: str) -> None:
    sync_name, async_name, _ = SURFACE[group]
    with ComplianceClient(api_key="sk-ant-api01-x", base_url="http://127.0.0.1:9") as sync:
        assert type(getattr(sync, group)).__name__ == sync_name
        assert getattr(sync, group) is getattr(sync, group)  # built once
    assert AsyncComplianceClient.__dict__[group].cls.__name__ == async_name


def test_sync_and_async_groups_match() -> None:
    for name in resources.__all__:
        if name.startswith("Async"):
            continue
        sync_cls, async_cls = getattr(cc, name), getattr(cc, "Async" + name)
        sync_methods = {m for m in vars(sync_cls) if not m.startswith("_")}
        assert sync_methods == {m for m in vars(async_cls) if not m.startswith("_")}, name
        for method in sync_methods:
            sync_sig = inspect.signature(getattr(sync_cls, method))
            async_sig = inspect.signature(getattr(async_cls, method))
            assert sync_sig.parameters == async_sig.parameters, (name, method)
            is_walk = method.startswith("iter") or method.endswith("_stream")
            assert inspect.iscoroutinefunction(getattr(async_cls, method)) == (not is_walk)


def test_every_public_name_is_exported() -> None:
    for name in [*models.__all__, *resources.__all__]:
        assert name in cc.__all__ and getattr(cc, name) is not None


def _docs(cls: type) -> str:
    return "\n".join(inspect.getdoc(c) or "" for c in cls.__mro__ if c is not object)


@pytest.mark.parametrize("name", models.__all__)
def test_models_document_every_field(name: str) -> None:
    cls = getattr(cc, name)
    assert inspect.getdoc(cls)
    if not dataclasses.is_dataclass(cls):
        return
    for field in dataclasses.fields(cls):
        if field.name != "extra":
            assert re.search(rf"^\s*{field.name}:", _docs(cls), re.M), f"{name}.{field.name}"


@pytest.mark.parametrize("name", [n for n in resources.__all__ if not n.startswith("Async")])
def test_methods_document_their_parameters(name: str) -> None:
    cls = getattr(cc, name)
    assert inspect.getdoc(cls)
    for method in vars(cls):
        if method.startswith("_"):
            continue
        function = getattr(cls, method)
        doc = inspect.getdoc(function) or ""
        assert doc, f"{name}.{method}"
        if name in ("Files", "ProjectDocuments", "Projects") and not method.endswith(
            "collaborators"
        ):
            continue  # the seed's own wording
        for parameter in inspect.signature(function).parameters:
            if parameter != "self" and parameter not in OPTION_PARAMETERS:  # documented once
                assert re.search(rf"^\s*{parameter}:", doc, re.M), f"{name}.{method}({parameter})"
        assert "Returns:" in doc, f"{name}.{method}"
