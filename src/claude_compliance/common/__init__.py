"""Helpers shared by more than one part (SDK downloads, archive, tail, export, CLI).

:mod:`~claude_compliance.common.timestamps` reads, compares and shifts RFC 3339 timestamps;
:mod:`~claude_compliance.common.files` names and writes files safely.
"""
