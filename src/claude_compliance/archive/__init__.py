"""The archive: an incremental, resumable copy of everything a key can read.

An archive folder holds::

    archive.sqlite3        every record as served, plus queryable columns and bookkeeping
    blobs/sha256/ab/ab…    every piece of content, named by the SHA-256 of its bytes
    blobs/tmp/             downloads in progress (removed at the next start if a run died)
    .lock                  held by the running sync

Tables of ``archive.sqlite3``:

* ``records`` — one row per record, keyed by ``(kind, key)``: the wire JSON (``data``), the
  columns worth querying (``id``, ``parent_key``, ``position``, ``type``, ``organization``,
  ``user_id``, ``created_at``, ``updated_at``, ``name``), the content it points at
  (``blob_sha256``), and ``archived_at`` / ``changed_at`` / ``gone_at``. Views ``chats``,
  ``chat_messages``, ``projects``, ``files``, ``users`` and ``activities`` select one kind.
* ``history`` — every earlier version of a record that changed, with the time it was replaced.
* ``blobs`` — size and MD5 of every stored blob.
* ``checkpoints`` — saved positions (the feed's high-water mark, the chat and project walks).
* ``dirty`` — objects the Activity Feed said changed, waiting to be fetched again.
* ``runs`` — one row per sync with its status and summary.

:func:`~claude_compliance.archive.sync.sync_archive` brings an archive up to date;
:func:`~claude_compliance.archive.verify.verify_archive` re-hashes its content;
:func:`~claude_compliance.archive.digest.archive_digest` fingerprints what it holds.
The other two jobs live beside it: :mod:`claude_compliance.tail` (Activity Feed for SIEMs,
straight from the API) and :mod:`claude_compliance.export` (eDiscovery bundle, from the API or
from an archive); the archive depends on neither.
"""
