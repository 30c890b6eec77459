"""Fabricated but plausible content: people, chat text, filenames and file bytes.

Everything takes a ``random.Random`` so the caller decides determinism. Filenames deliberately
include awkward and hostile ones (spaces, unicode, path traversal, control characters) because
the tools downstream must survive them.
"""

from __future__ import annotations

import json
import random
import struct
import zlib

FIRST_NAMES = (
    "Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "José", "Zoë", "Łukasz", "Søren",
    "Ngozi", "Priya", "Hiroshi", "Fatima", "Olivia", "Mateo", "Anaïs", "Björn", "Chloé", "Dmitri",
    "Émile", "Ines", "Jun", "Kwame", "Lena", "Mei", "Noah", "Oğuz", "Rosa", "Wei",
)  # fmt: skip
LAST_NAMES = (
    "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "García", "Müller",
    "Nowak", "Kierkegaard", "Okafor", "Patel", "Tanaka", "Haddad", "O'Brien", "Nguyễn", "Dubois",
    "Lindqvist", "Moreau", "Ivanov", "Zola", "Rossi", "Kim", "Mensah", "Fischer", "Chen",
    "Walker", "Yılmaz", "Silva", "Li",  # noqa: RUF001 - real names are not ASCII
)  # fmt: skip
ORG_NAMES = (
    "Acme Holdings", "Acme Research", "Acme Legal", "Acme Engineering", "Acme Support",
    "Acme Finance", "Acme Marketing", "Acme EMEA", "Acme APAC", "Acme Labs",
)  # fmt: skip
CHAT_TOPICS = (
    "Draft the Q3 board memo", "Debug the flaky CI job", "Summarise the vendor contract",
    "Plan the offsite agenda", "Refactor the billing module", "Customer escalation reply",
    "Translate the release notes", "Incident 4821 postmortem", "SQL for churn cohort",
    "Review the privacy policy", "Onboarding checklist", "Compare cloud pricing",
    "Kubernetes upgrade plan", "Rewrite the job posting", "Analyse survey results",
    "Résumé feedback", "Prepare 面试 questions", "Budget variance 🚀 analysis",
)  # fmt: skip
PROJECT_NAMES = (
    "Contract Review", "Engineering Handbook", "Sales Playbook", "Security Questionnaires",
    "Research Notes", "Support Macros", "Board Materials", "Data Platform", "Hiring",
    "Marketing Copy", "Legal Holds", "Product Specs",
)  # fmt: skip
SENTENCES = (
    "Can you help me with this?",
    "Here is a first draft based on what you shared.",
    "The main risk is the termination clause in section 7.",
    "Let me walk through the steps one at a time.",
    "I ran the query and the numbers look off by a factor of ten.",
    "Please keep the tone formal and under 200 words.",
    "The stack trace points at a race in the connection pool.",
    "Summary: revenue grew 12% quarter over quarter.",
    "Ich brauche eine kurze Zusammenfassung auf Deutsch.",
    "これは日本語のテキストです。",
    "Voici la version révisée du paragraphe.",
    "Remember to redact customer names before sharing.",
    "Use the attached spreadsheet as the source of truth.",
    'Quotes "like these" and back\\slashes must survive round trips.',
    "An emoji or two 🎉 never hurt anyone.",
)
MODELS = ("claude-opus-4-7", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1")
IP_ADDRESSES = ("192.0.2.34", "198.51.100.7", "203.0.113.250", "2001:db8::1", "192.0.2.201")
USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Claude/1.0.1234 (Darwin; arm64)",
    "claude-cli/2.0.14 (external, cli)",
    "python-httpx/0.27.0",
)

AWKWARD_FILENAMES = (
    "Q3 report (final) v2.pdf",
    "résumé – José Müller.txt",  # noqa: RUF001 - an en dash, on purpose
    "数据 分析 2025.csv",
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    'my "quoted" file.txt',
    "line\nbreak.txt",
    "invoice\u202efdp.exe",
    "emoji 🚀 launch plan.md",
    "..",
    "CON.txt",
)
"""Filenames that every small world contains at least once (hostile ones included)."""

PLAIN_FILENAMES = (
    "meeting-notes.txt", "architecture.png", "budget.csv", "contract.pdf", "roadmap.md",
    "screenshot 2025-03-04 at 10.15.32.png", "data_export.json", "requirements.txt",
    "slide-deck.pdf", "error.log",
)  # fmt: skip

MIME_BY_EXTENSION = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".png": "image/png",
    ".json": "application/json",
    ".log": "text/plain",
    ".exe": "application/octet-stream",
}


def person(rng: random.Random) -> tuple[str, str]:
    """A (first, last) name pair."""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, for email local parts."""
    folded = text.lower().translate(str.maketrans("éëïçüöøłğıąćęńóśźżễ", "eeicuoolgiacenoszze"))
    return "".join(ch for ch in folded if "a" <= ch <= "z") or "user"


def paragraph(rng: random.Random, sentences: int) -> str:
    """A few sentences of chat-like text."""
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def mime_for(filename: str) -> str:
    """The upload MIME type implied by a filename's extension."""
    dot = filename.rfind(".")
    return MIME_BY_EXTENSION.get(filename[dot:].lower() if dot >= 0 else "", "text/plain")


def _png(rng: random.Random, payload_size: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", rng.randbytes(payload_size))
        + chunk(b"IEND", b"")
    )


def file_bytes(rng: random.Random, filename: str, size: int) -> bytes:
    """Bytes that look like the named file type, roughly ``size`` bytes long."""
    mime = mime_for(filename)
    if mime == "image/png":
        return _png(rng, max(16, size - 57))
    if mime == "application/pdf":
        body = paragraph(rng, max(1, size // 60)).encode()
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"\n%%EOF\n"
    if mime == "application/octet-stream":
        return b"MZ" + rng.randbytes(max(0, size - 2))
    if mime == "application/json":
        rows = [{"row": i, "value": rng.randint(0, 10_000)} for i in range(max(1, size // 28))]
        return json.dumps(rows).encode()
    if mime == "text/csv":
        lines = ["id,name,amount"] + [
            f"{i},{rng.choice(LAST_NAMES)},{rng.randint(1, 9999)}" for i in range(size // 16)
        ]
        return ("\n".join(lines) + "\n").encode()
    return (paragraph(rng, max(1, size // 45)) + "\n").encode()


def long_tool_input(rng: random.Random, chars: int) -> str:
    """A JSON-encoded tool input of about ``chars`` characters (for truncation tests)."""
    return json.dumps({"query": paragraph(rng, 2), "document": "x" * chars})


def artifact_text(rng: random.Random, artifact_type: str, title: str, version: int) -> str:
    """The full text of one chat artifact version."""
    if artifact_type == "application/vnd.ant.code":
        return f"# {title} (v{version})\ndef main() -> None:\n    print({rng.randint(0, 99)!r})\n"
    if artifact_type == "text/html":
        return f"<!doctype html><title>{title}</title><p>Version {version}</p>\n"
    if artifact_type == "image/svg+xml":
        return f'<svg xmlns="http://www.w3.org/2000/svg"><text>{title} {version}</text></svg>\n'
    return f"# {title}\n\nRevision {version}.\n\n{paragraph(rng, 3)}\n"
