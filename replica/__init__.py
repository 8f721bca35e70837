"""Deterministic replica sites on 127.0.0.1 with their ground truth (demo, tests, benchmarks).

Imports nothing from the crawler, pipeline or publishing code: pages and truth are both written
from the replica's own data.
"""

from replica.server import ReplicaServer, build_truth

__all__ = ["ReplicaServer", "build_truth"]
