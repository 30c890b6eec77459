"""Records every compliance request as a ``compliance_api_accessed`` activity (spec 4.1, 7.3).

The activity becomes visible after ``ingestion_delay_s``, mimicking the feed's asynchronous
ingestion; ``access_activities=False`` turns recording off so reading never changes the world.
"""

from __future__ import annotations

import json
import time

from .actors import activity_record, api_actor
from .config import EmulatorConfig
from .generation import api_key_id_for
from .ids import random_suffix
from .store import Store
from .timeutil import now_us


def runtime_activity_id() -> str:
    """A fresh activity id for something that happens while the server runs."""
    return "activity_01" + random_suffix(22)


class AccessRecorder:
    """Writes access activities into the store."""

    def __init__(self, store: Store, config: EmulatorConfig) -> None:
        self.store = store
        self.config = config

    def record(
        self,
        *,
        api_key: str,
        request_id: str,
        method: str,
        url: str,
        status: int,
        ip_address: str,
        user_agent: str,
    ) -> None:
        """Store one access activity (no-op when recording is off)."""
        if not self.config.access_activities:
            return
        activity_id = runtime_activity_id()
        ts = now_us()
        actor = api_actor(api_key_id_for(self.config.seed, api_key), ip_address, user_agent)
        fields = {
            "request_id": request_id,
            "url": url,
            "request_method": method,
            "status_code": status,
            "request_body": None,
        }
        record = activity_record(activity_id, ts, None, actor, "compliance_api_accessed", fields)
        visible_at = time.time() + self.config.ingestion_delay_s
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        self.store.add_activity(
            activity_id, ts, "compliance_api_accessed", None, None, visible_at, data
        )
