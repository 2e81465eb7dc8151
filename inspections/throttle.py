"""A per-address limiter for the public board, shared by every web worker through Redis."""

from __future__ import annotations

import logging
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/hour' → (10, 3600)."""
    count, _sep, period = rate.partition("/")
    return int(count), _UNITS[period]


def board_rate() -> tuple[int, int]:
    return parse_rate(
        settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("public_board", "10/hour")
    )


def client_address(request) -> str:
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT (core.middleware)."""
    from core.middleware import client_ip

    return client_ip(request) or "unknown"


def allow(scope: str, address: str) -> bool:
    """Count one attempt; False once the address used up its budget in the current window."""
    limit, period = board_rate()
    window = int(time.time()) // period
    key = f"fupin:throttle:{scope}:{settings.DATABASES['default']['NAME']}:{address}:{window}"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, period)
        count, _ok = pipe.execute()
    except redis.RedisError:
        logger.warning("throttle: Redis unavailable, refusing public submission from %s", address)
        return False
    return int(count) <= limit
