"""Content endpoints: one declaration per downloadable thing, three methods from it.

Files, generated files, artifact versions and code artifact versions each have a ``GET`` that
answers with bytes. Each is declared once as a `Content`: its path template (whose slots are the
methods' ID parameters), what the bytes are, and when it answers 404. From it come the requests
of the three methods every such endpoint has, and their docstrings:

```python
_CONTENT = Content("/apps/chats/files/{claude_file_id}/content", "a file's content", ...)

@_CONTENT.describes("download")
def _download(claude_file_id: str, *, max_bytes: int | None = None, **options) -> Download:
    return _CONTENT.download(max_bytes, claude_file_id=claude_file_id)
```

The three signatures stay written out in each resource module: they are what type checkers and
IDEs show, and Python's typing cannot add the ID parameters' names to a shared signature.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Literal, TypeVar

from ._request import ByteStream, Download, Request, SaveToFile, path

__all__ = ["Content"]

F = TypeVar("F", bound=Callable[..., object])

_DOWNLOAD = """Download {what} into memory.

The bytes are checked against ``Content-Length`` and, when the server sends it,
``Content-MD5``; a stream cut short by the server is detected and retried.

Parameters:
{ids}
    max_bytes: Refuse more than this many bytes (default: the client's
        ``max_download_bytes``, 100 MiB). Use ``{save}`` for large content.

Returns:
    The content.

Raises:
    DownloadTooLargeError: When the content exceeds the cap.
    ContentIntegrityError: When the bytes do not match ``Content-MD5`` after retries.
    NotFoundError: When {missing}.{raises}
"""

_STREAM = """Stream {what} chunk by chunk, without holding it in memory.

The ``Content-MD5`` is verified when the last chunk has been read; a mismatch raises
[`ContentIntegrityError`][claude_compliance.ContentIntegrityError] then.

Parameters:
{ids}

Returns:
    An iterator over chunks of the content.

Raises:
    NotFoundError: When {missing}.{raises}
"""

_SAVE = """Download {what} to disk, atomically and verified.

The bytes stream into a temporary file in the target folder, are verified against
``Content-MD5`` when the server sends it, and the file is then renamed into place. A failed
or truncated download leaves no partial file.

Parameters:
{ids}
    destination: A file path, or a folder — an existing one, or a path ending in a
        separator, created if missing. The server's filename (or, without one, the last ID)
        is then used, reduced to a plain name so it can never land outside that folder.
    overwrite: ``True`` replaces an existing file at the final path, ``False``
        refuses any, ``None`` (default) replaces only a file with the same content.

Returns:
    The path of the written file.

Raises:
    FileExistsError: When a file is in the way and ``overwrite`` does not allow replacing it.
    ContentIntegrityError: When the bytes do not match ``Content-MD5`` after retries.
    NotFoundError: When {missing}.{raises}
"""

_TEMPLATES = {"download": _DOWNLOAD, "stream": _STREAM, "save": _SAVE}


@dataclasses.dataclass(frozen=True)
class Content:
    """One content endpoint: a ``GET`` of ``template`` that answers with bytes.

    Attributes:
        template: The path under ``/v1/compliance``; its ``{slots}`` are the ID parameters.
        what: What the bytes are, as the docstrings say it (``"a file's content"``).
        ids: One line of documentation per ID parameter, in order (``"name: The …"``).
        missing: When the endpoint answers 404 (``"the file does not exist"``).
        raises: Further ``Raises:`` lines this endpoint documents.
        save_method: The name of the method that saves to a file, which large content should use.
    """

    template: str
    what: str
    ids: tuple[str, ...]
    missing: str
    raises: tuple[str, ...] = ()
    save_method: str = "download_to_file"

    def request(self, **ids: str) -> Request:
        """The GET of the content the ``ids`` name (checked and encoded into the path)."""
        url, subject = path(self.template, **ids)
        return Request("GET", url, resource_id=subject)

    def download(self, max_bytes: int | None, /, **ids: str) -> Download:
        """The content read whole into memory, at most ``max_bytes`` of it."""
        return Download(self.request(**ids), max_bytes)

    def stream(self, /, **ids: str) -> ByteStream:
        """The content handed over chunk by chunk."""
        return ByteStream(self.request(**ids))

    def save(
        self, destination: str | os.PathLike[str], overwrite: bool | None, /, **ids: str
    ) -> SaveToFile:
        """The content written atomically to ``destination``."""
        return SaveToFile.to(self.request(**ids), destination, overwrite)

    def describes(self, method: Literal["download", "stream", "save"]) -> Callable[[F], F]:
        """Give a declaration the docstring of its kind of content method, for this content."""
        doc = _TEMPLATES[method].format(
            what=self.what,
            ids="\n".join(f"    {line}" for line in self.ids),
            save=self.save_method,
            missing=self.missing,
            raises="".join(f"\n    {line}" for line in self.raises),
        )

        def document(declaration: F) -> F:
            declaration.__doc__ = doc
            return declaration

        return document
