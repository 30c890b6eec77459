"""The archive: an incremental, resumable copy of everything a key can read.

An archive folder holds ``archive.sqlite3`` (every record as served, plus queryable columns,
checkpoints and run bookkeeping) and ``blobs/`` (every piece of content, named by its SHA-256).
:func:`~claude_compliance.archive.sync.sync_archive` brings it up to date;
:func:`~claude_compliance.archive.verify.verify_archive` re-hashes its content;
:func:`~claude_compliance.archive.digest.archive_digest` fingerprints what it holds.
"""
