"""A first tour of the SDK: projects, attachments, a document and a file.

Run it against the real API with ``ANTHROPIC_COMPLIANCE_ACCESS_KEY`` set, or against a local
emulator (``python -m claude_compliance.emulator`` in another shell)::

    ANTHROPIC_COMPLIANCE_BASE_URL=http://127.0.0.1:8000 \
    ANTHROPIC_COMPLIANCE_ACCESS_KEY=sk-ant-api01-emulator-full \
    python examples/quickstart.py
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter

from claude_compliance import (
    APIError,
    ComplianceClient,
    ProjectDocAttachment,
    ProjectFileAttachment,
)


def main() -> int:
    with ComplianceClient() as client:
        projects = list(client.projects.iter())
        print(f"{len(projects)} projects")
        for project in projects[:5]:
            owner = project.user["email_address"] if project.user else "(deleted user)"
            visibility = "private" if project.is_private else "shared"
            print(f"  {project.id}  {project.name!r:40}  {visibility:8} {owner}")

        # The richest project, with everything attached to it.
        details = [client.projects.get(p.id) for p in projects[:10]]
        chosen = max(details, key=lambda d: d.attachments_count)
        print(
            f"\n{chosen.name}: {chosen.chats_count} chats, {chosen.attachments_count} attachments"
        )
        attachments = list(client.projects.iter_attachments(chosen.id))
        for attachment in attachments:
            # Filenames come from users: repr() shows control characters instead of obeying them.
            print(f"  [{attachment.type}] {attachment.filename!r} ({attachment.mime_type})")

        document = next((a for a in attachments if isinstance(a, ProjectDocAttachment)), None)
        if document is not None:
            text = client.project_documents.get(document.id).content
            print(f"\nDocument {document.filename!r}, first line: {text.splitlines()[0][:70]!r}")

        upload = next((a for a in attachments if isinstance(a, ProjectFileAttachment)), None)
        if upload is not None:
            with tempfile.TemporaryDirectory() as folder:
                path = client.files.download_to_file(upload.id, folder)
                print(f"Downloaded {path.name} ({path.stat().st_size} bytes, MD5 verified)")

        kinds = Counter(a.type for p in projects for a in client.projects.iter_attachments(p.id))
        print(
            f"\nSummary: {len(projects)} projects, "
            + ", ".join(f"{n} {kind}s" for kind, n in sorted(kinds.items()))
        )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except APIError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
