"""Helpers shared by more than one part (SDK downloads, archive, tail, export, CLI, emulator).

:mod:`~claude_compliance.common.timestamps` reads, compares and shifts RFC 3339 timestamps;
:mod:`~claude_compliance.common.files` names and writes files safely;
:mod:`~claude_compliance.common.locks` keeps a job to one process per folder;
:mod:`~claude_compliance.common.served` keeps records exactly as served;
:mod:`~claude_compliance.common.origin` names the API origin a base URL points at;
:mod:`~claude_compliance.common.closing` gives ``with`` to objects that are closed when done;
:mod:`~claude_compliance.common.rows` reads database rows into dataclasses;
:mod:`~claude_compliance.common.pages` renders HTML pages from Jinja2 templates;
:mod:`~claude_compliance.common.serving` serves a local web app (emulator, workspace) with
uvicorn.
"""
