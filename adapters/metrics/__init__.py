"""The ``Metrics`` port implemented with prometheus-client, and ``/metrics``."""

from adapters.metrics.bearer import BearerToken, metrics_token
from adapters.metrics.listener import MetricsListener
from adapters.metrics.prometheus import PrometheusMetrics
from adapters.metrics.route import MetricsComponent

__all__ = [
    "BearerToken",
    "MetricsComponent",
    "MetricsListener",
    "PrometheusMetrics",
    "metrics_token",
]
