"""Effective organization settings (spec section 4.6): every variant of the setting union."""

from __future__ import annotations

import random
from typing import Any

BOOLEAN_SETTINGS = """
ai_powered_artifacts_enabled api_workbench_feedback_collection_enabled artifact_connectors_enabled
ask_your_org_enabled chat_enabled claude_ai_chat_sharing_enabled
claude_ai_feedback_collection_enabled claude_ai_integration_sharing_enabled
claude_code_desktop_bypass_permissions_enabled claude_code_desktop_enabled
claude_code_fast_mode_enabled claude_code_metrics_logging_enabled
claude_code_remote_control_enabled claude_code_review_enabled claude_code_routines_enabled
claude_code_security_enabled claude_code_trusted_devices_required claude_code_web_enabled
claude_code_workflows_enabled claude_design_enabled claude_in_slack_enabled
code_execution_enabled code_execution_network_egress_enabled
connector_tools_default_always_allow content_redaction_enabled
cowork_trusted_devices_required desktop_extension_allowlist_enabled directory_sync_enabled
frontier_data_use_enabled hipaa_compliance_enabled inline_visualizations_enabled
ip_allowlist_enabled location_metadata_enabled member_usage_dashboard_visible memory_enabled
org_wide_skill_sharing_enabled public_projects_enabled skill_sharing_enabled skills_enabled
sso_claude_ai_enforced sso_console_enforced sso_enabled
third_party_interactive_content_enabled user_skill_creation_enabled web_search_enabled
work_across_apps_enabled
""".split()  # noqa: SIM905 - the spec's list, kept compact


def effective_settings(rng: random.Random) -> list[dict[str, Any]]:
    """One organization's settings, each name at most once, in a fixed relative order."""
    flags = {name: rng.random() < 0.6 for name in BOOLEAN_SETTINGS}
    settings: list[dict[str, Any]] = [
        {"type": "boolean", "name": name, "value": value} for name, value in flags.items()
    ]
    settings.append(
        {
            "type": "integer",
            "name": "account_session_duration_seconds",
            "value": rng.choice((None, 86_400, 604_800)),
        }
    )
    settings.append(
        {"type": "string", "name": "claude_code_default_worker_environment_id", "value": None}
    )
    settings.append(
        {
            "type": "string",
            "name": "claude_code_default_worker_pool_id",
            "value": f"pool_{rng.randrange(16**8):08x}",
        }
    )
    settings.append(
        {"type": "string_list", "name": "allowed_invite_domains", "value": ["acme.example"]}
    )
    settings.append({"type": "string_list", "name": "disabled_admin_request_types", "value": []})
    settings.append(
        {
            "type": "string_list",
            "name": "ip_allowlist_ip_ranges",
            "value": ["192.0.2.0/24", "2001:db8::/32"] if flags["ip_allowlist_enabled"] else [],
        }
    )
    # The provisioning mode depends on SSO and directory sync, as the spec describes.
    if flags["directory_sync_enabled"]:
        mode = rng.choice(("scim_advanced", "scim_permissive"))
    elif flags["sso_enabled"]:
        mode = rng.choice(("jit_advanced", "jit_permissive"))
    else:
        mode = "login_only"
    settings.append({"type": "provisioning_mode", "name": "sso_provisioning_mode", "value": mode})
    periods: dict[str, Any] = (
        {"all": {"type": "indefinite"}}
        if rng.random() < 0.3
        else {
            "conversations": {"type": "fixed", "duration": 365, "timescale": "day"},
            "projects": {"type": "fixed", "duration": 24, "timescale": "month"},
            "local_sessions": {"type": "indefinite"},
        }
    )
    settings.append({"type": "data_retention", "name": "data_retention_periods", "value": periods})
    return settings
