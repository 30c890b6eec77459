"""claude-compliance: Python SDK for Anthropic's Compliance API.

Start with [`ComplianceClient`][claude_compliance.ComplianceClient] (or
[`AsyncComplianceClient`][claude_compliance.AsyncComplianceClient]):

```python
from claude_compliance import ComplianceClient

with ComplianceClient() as client:  # key from ANTHROPIC_COMPLIANCE_ACCESS_KEY
    for project in client.projects.iter():
        print(project.id, project.name)
```
"""

from ._budget import RateBudget
from ._client import AsyncComplianceClient, ComplianceClient
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContentIntegrityError,
    DownloadTooLargeError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    UnrecognizedServerError,
)
from ._models import Model, ModelValidationError, UnionModel
from ._pacing import RateLimitPacer, RateLimitWaits
from ._pagination import CursorPage, OffsetPage, TokenPage, unreadable_records
from ._raw import RawResponse
from ._request import NOT_GIVEN, CallOptions, NotGiven, StrList
from ._resource import AsyncMethod, SyncMethod
from ._version import __version__
from .models import *  # noqa: F403 - the models package defines the public model names
from .models import __all__ as _model_names
from .resources import *  # noqa: F403 - the resources package defines the public group names
from .resources import __all__ as _resource_names

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "NOT_GIVEN",
    "AsyncComplianceClient",
    "AsyncMethod",
    "CallOptions",
    "AuthenticationError",
    "BadRequestError",
    "ComplianceClient",
    "ConflictError",
    "ContentIntegrityError",
    "CursorPage",
    "DownloadTooLargeError",
    "InternalServerError",
    "Model",
    "ModelValidationError",
    "NotFoundError",
    "NotGiven",
    "OffsetPage",
    "PaginationError",
    "PermissionDeniedError",
    "RateBudget",
    "RateLimitError",
    "RateLimitPacer",
    "RateLimitWaits",
    "ResponseTooLargeError",
    "RawResponse",
    "StrList",
    "SyncMethod",
    "TokenPage",
    "UnionModel",
    "UnrecognizedServerError",
    "__version__",
    "unreadable_records",
    *_model_names,
    *_resource_names,
]
