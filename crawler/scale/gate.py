"""Requests held back until others are done, across workers: gdsite's catalogue first.

``gdsite`` walks a site's gkmlpt catalogue before fetching documents that only its columns list,
so a document both list is fetched once, as the catalogue's request with its fields (文号,
索引号 …). One process keeps that order in memory; workers sharing a queue keep it in Redis:

* a request whose ``meta["zwgk_gate"]`` is ``"opens"`` (a catalogue list page) counts on the
  site's gate from the moment it is queued until a worker is done with it;
* a request marked ``"after"`` (a column's document) is held in the site's ``held`` hash while
  the gate counts anything, and released into the queue — through the dupefilter, so the
  catalogue's request for the same document wins — by whoever finishes the last counted request.

Queueing, finishing and releasing are each one Lua script: a worker killed at any point leaves the
count and the held requests right (a counted request in flight goes back to the queue still
counted). Should the count ever stay up with nothing left to do, the scheduler releases the held
requests anyway (as gdsite's own idle handler does).
"""

from __future__ import annotations

GATE = "zwgk_gate"
OPENS, AFTER = "opens", "after"

# Every held request into the queue, unless the dupefilter has it (locals H, D, Q: the held
# hash, the dupefilter, the queue).
_RELEASE = """
local held = redis.call('HGETALL', H)
for i = 1, #held, 2 do
  local fp, score = string.match(held[i + 1], '(%S+) (%S+)')
  if redis.call('SADD', D, fp) == 1 then redis.call('ZADD', Q, score, held[i]) end
end
redis.call('DEL', H)
return #held / 2
"""
#: Queue (or hold) one request. KEYS: dupefilter, requests, gate, held; ARGV: fingerprint,
#: score, data, filter ('1': check the dupefilter), mode (opens, after or ''). 0: a duplicate.
ENQUEUE = """
if ARGV[5] == 'after' and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[1] .. ' ' .. ARGV[2])
  return 2
end
if ARGV[4] == '1' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[5] == 'opens' then redis.call('INCR', KEYS[3]) end
return 1
"""
#: A counted request is done. KEYS: inflight, gate, held, dupefilter, requests; ARGV: data.
#: Counted off only if it was still in this worker's flight: sent again after a failed round
#: trip, or after the worker was taken for dead and its requests requeued (still counted: the
#: copy counts off when done), it must not count off twice.
DONE = (
    """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('DECR', KEYS[2]) > 0 then return 0 end
local H, D, Q = KEYS[3], KEYS[4], KEYS[5]
"""
    + _RELEASE
)
#: Release whatever is held, the count notwithstanding. KEYS: gate, held, dupefilter, requests.
FORCE = "redis.call('DEL', KEYS[1])\nlocal H, D, Q = KEYS[2], KEYS[3], KEYS[4]\n" + _RELEASE
