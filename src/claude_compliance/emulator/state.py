"""What the running app shares between its request pipeline and its control API."""

from __future__ import annotations

from dataclasses import dataclass

from .access_log import AccessRecorder
from .config import EmulatorConfig
from .faults import FaultInjector
from .ratelimit import RateLimiter
from .store import Store

__all__ = ["EmulatorState"]


@dataclass
class EmulatorState:
    """Everything the running app shares: config, world, limiter, faults, access log."""

    config: EmulatorConfig
    store: Store
    limiter: RateLimiter
    faults: FaultInjector
    recorder: AccessRecorder
