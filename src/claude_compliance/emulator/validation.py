"""Query-parameter parsing with the API's 400 messages (spec sections 3, 8.2 and 12)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.datastructures import QueryParams

from .errors import bad_request
from .timeutil import parse_rfc3339

TIMESTAMP_ERROR = (
    "The `{name}` parameter contains an invalid timestamp format. Timestamps must be provided "
    'in RFC 3339 format e.g., "2024-03-01T00:00:00Z". Got "{value}".'
)
LIMIT_ERROR = "The limit parameter must be between 1 and {maximum}, inclusive. Got {value}."
ARRAY_PARAMS = (
    "organization_ids",
    "user_ids",
    "actor_ids",
    "activity_types",
    "exclude_activity_types",
    "project_ids",
)
_OPERATORS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}


@dataclass
class TimeRange:
    """The ``<field>.gte/.gt/.lte/.lt`` bounds of one request, in microseconds."""

    field_name: str
    bounds: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.bounds)

    def contains(self, value: int | None) -> bool:
        """Whether ``value`` satisfies every bound (``None`` satisfies none)."""
        if value is None:
            return not self.bounds
        checks = {
            "gte": value >= self.bounds.get("gte", value),
            "gt": "gt" not in self.bounds or value > self.bounds["gt"],
            "lte": value <= self.bounds.get("lte", value),
            "lt": "lt" not in self.bounds or value < self.bounds["lt"],
        }
        return all(checks.values())


class QueryReader:
    """Reads and validates the query string of one request, raising 400 ``ApiError``s."""

    def __init__(self, params: QueryParams) -> None:
        self.params = params
        for name in ARRAY_PARAMS:
            # A filter sent without brackets would silently match everything; say so instead.
            if name in params:
                raise bad_request(
                    f"The `{name}` parameter must be sent as `{name}[]` (one pair per value)."
                )

    def string(self, name: str) -> str | None:
        """A single string parameter (empty counts as absent)."""
        value = self.params.get(name)
        return value if value else None

    def limit(self, default: int | None, maximum: int) -> int | None:
        """The ``limit`` parameter within 1..maximum; ``default`` when absent."""
        raw = self.params.get("limit")
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(LIMIT_ERROR.format(maximum=maximum, value=raw)) from None
        if not 1 <= value <= maximum:
            raise bad_request(LIMIT_ERROR.format(maximum=maximum, value=value))
        return value

    def array(self, name: str, max_items: int | None = None) -> list[str]:
        """The values of ``name[]`` in order, de-duplicated, at most ``max_items`` of them."""
        values = list(dict.fromkeys(v for v in self.params.getlist(f"{name}[]") if v))
        if max_items is not None and len(values) > max_items:
            raise bad_request(
                f"The `{name}[]` parameter accepts at most {max_items} values. Got {len(values)}."
            )
        return values

    def time_range(self, field_name: str, operators: Iterable[str] = _OPERATORS) -> TimeRange:
        """The ``<field_name>.<op>`` bounds, each an RFC 3339 timestamp with time and zone."""
        result = TimeRange(field_name)
        for op in operators:
            name = f"{field_name}.{op}"
            raw = self.params.get(name)
            if raw is None:
                continue
            value = parse_rfc3339(raw)
            if value is None:
                raise bad_request(TIMESTAMP_ERROR.format(name=name, value=raw))
            result.bounds[op] = value
        return result

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        """An enumerated parameter."""
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        if raw not in allowed:
            options = ", ".join(f'"{option}"' for option in allowed)
            raise bad_request(f'The `{name}` parameter must be one of {options}. Got "{raw}".')
        return raw

    def boolean(self, name: str, default: bool) -> bool:
        """A ``true``/``false`` parameter."""
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        lowered = raw.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise bad_request(f'The `{name}` parameter must be a boolean. Got "{raw}".')

    def exclusive(self, first: str, second: str) -> None:
        """400 when both parameters are present."""
        if self._present(first) and self._present(second):
            raise bad_request(f"`{first}` and `{second}` cannot be used together.")

    def _present(self, name: str) -> bool:
        if name.endswith("[]"):
            return any(self.params.getlist(name))
        return bool(self.params.get(name))

    def truncation(self, name: str, default: int, maximum: int) -> int:
        """A ``*_max_chars`` / ``*_max_bytes`` parameter: -1 = server maximum, 0 = 400."""
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value == 0 or value < -1 or value > 2_147_483_647:
            raise bad_request(
                f"The `{name}` parameter must be -1 or a positive integer. Got {raw}."
            )
        return maximum if value == -1 else min(value, maximum)
