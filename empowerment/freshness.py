"""Freshness of cached figures and pages, without upward imports: the app that changes something calls
`touch(topic)` after commit; the app that caches something derived from it puts `version(topic)` in its
cache keys (or stores the versions beside it), so the next read computes it again.

Topics: "money" (the ledger as a whole), "fund:<id>" (one fund's ledger), "spending" (postings to
expense accounts), "projects" (project statuses and
approved progress updates), "trainings" (certificates), "figures" (the transparency figures' own hook),
"dashboard" (the stored programme dashboard), and "pages" (any other change to the rows of the apps that
publish; see empowerment.pagecache). Touching one topic touches no other: each page says which topics it
shows.

Money is posted many times a second on a giving day, so its topics are published at most once every
MONEY_PUBLISH_SECONDS (`touch_coalesced`): the first change after a quiet second is published at once, the
ones that follow within the second are gathered and published together by the first reader after it (a
reader sees the gathered topics' flag in the same round trip as the versions it reads). Nothing is lost:
a gathered topic stays pending until a reader or a later change publishes it.

When the cache is down `version` answers 0 and `touch` does nothing: nothing is cached then anyway.

DURABLE topics also have a version in the database (models.TopicVersion), set anew by `touch` before the
cache's: a copy kept in the database (a project page's drawn parts, transparency.projectparts) is stamped
with it and stays current after the cache is emptied, until what it shows changes.
"""

import functools
import logging
import secrets
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

_PREFIX = "freshness:"
# Set while gathered topics wait to be published; read by readers together with the versions.
PENDING_FLAG = f"{_PREFIX}pending"
_PENDING_SET = f"{_PREFIX}pending-topics"
_GATE = f"{_PREFIX}publish-gate"

# Whole public pages whose view declares nothing depend on this topic and on every figures' topic.
PAGES = "pages"
MONEY = "money"
# What was spent (postings to expense accounts): moved with the money, only by the postings that spend.
SPENDING = "spending"
# Topics with a version in the database as well (see the module's docstring): content, never money.
DURABLE = frozenset({PAGES, "projects"})


# How many versions this process has moved since it started: a copy kept in the process's own memory
# (empowerment.pagecache's) notes it before its versions are read and is not used once it moved, so that the
# process that made a change never serves what the change made stale (other processes notice it through the
# cache's versions).
_changes = 0


def local_changes() -> int:
    """How many times this process has moved a topic's version since it started."""
    return _changes


def _changed() -> None:
    global _changes  # noqa: PLW0603 - a counter of this process, only ever increased
    _changes += 1


def key(topic: str) -> str:
    """The cache key holding a topic's version (for reading it together with other keys)."""
    return f"{_PREFIX}{topic}"


def fund_topic(fund_id) -> str:
    """The topic of one fund's money (its ledger lines: donations, allocations, spending)."""
    return f"fund:{int(fund_id)}"


def is_money(topic: str) -> bool:
    return topic in (MONEY, SPENDING) or topic.startswith("fund:")


def first_version() -> int:
    """A topic's first version is random, so that after the cache is emptied the versions do not count
    up through values already stamped on stored figures (which would pass them off as current)."""
    return secrets.randbelow(2**48) + 1


def version(topic: str) -> int:
    """The current version of a topic."""
    return current([topic])[topic]


def current(topics: Iterable[str], *, read=None) -> dict[str, int]:
    """The current versions of several topics in one cache round trip (gathered money topics that are
    due are published first; a topic never seen gets its first version). `read(names)`, if given, reads
    the cache keys in place of cache.get_many (to make that read part of another round trip)."""
    topics = list(dict.fromkeys(topics))
    found = (read or cache.get_many)([key(t) for t in topics] + [PENDING_FLAG])
    if found.get(PENDING_FLAG) is not None and publish_due():
        found = cache.get_many([key(t) for t in topics])
    unseen = [key(t) for t in topics if found.get(key(t)) is None]
    if unseen:
        found.update(_first_versions(unseen))
    return {topic: int(found[key(topic)]) for topic in topics}


def _first_versions(names: list[str]) -> dict[str, int]:
    """Give keys never seen (or emptied) their first versions and read what they hold now, another
    writer's first version if it was quicker: one round trip on Redis (after the cache was emptied a page
    meets every topic it shows at once), two calls a key on other caches."""
    add_get_many = getattr(cache, "add_get_many", None)
    if add_get_many is not None:
        return add_get_many({name: first_version() for name in names}, None)
    out = {}
    for name in names:
        cache.add(name, first_version(), None)
        out[name] = cache.get(name, 0)
    return out


def versions(*topics: str, read=None) -> str:
    """The versions of several topics as one string for a cache key, e.g. "money2-projects1" (`read`: as
    for `current`)."""
    return "-".join(f"{topic}{value}" for topic, value in current(topics, read=read).items())


def touch(topic: str) -> int:
    """Bump a topic's version (call it in transaction.on_commit). Returns the new version."""
    if topic in DURABLE:
        _touch_durable(topic)
    name = key(topic)
    cache.add(name, first_version(), None)
    try:
        value = int(cache.incr(name))
    except ValueError:  # evicted between add and incr, or the cache is down
        value = first_version()
        cache.set(name, value, None)
    _changed()  # after the version moved: a copy confirmed before it is then known to be stale
    return value


def _touch_durable(topic: str) -> None:
    """A new database version for a DURABLE topic (one statement, whoever writes first; before the cache's
    version moves, so a page rendered after that reads it)."""
    from .models import TopicVersion  # noqa: PLC0415

    try:
        TopicVersion.objects.bulk_create(
            [TopicVersion(topic=topic, version=first_version())],
            update_conflicts=True,
            unique_fields=["topic"],
            update_fields=["version"],
        )
    except DatabaseError:
        # The database is unreachable after the change committed: the copies stamped with the old version
        # are drawn again at their next change. The cache's version still moves.
        logger.warning("the database version of %s was not moved", topic, exc_info=True)


def durable_versions(topics: Iterable[str]) -> dict[str, int]:
    """The database versions of DURABLE topics (0 for one never touched)."""
    from .models import TopicVersion  # noqa: PLC0415

    topics = sorted(set(topics))
    assert DURABLE.issuperset(topics), topics
    found = dict(TopicVersion.objects.filter(topic__in=topics).values_list("topic", "version"))
    return {t: found.get(t, 0) for t in topics}


def touch_on_commit(topics: Iterable[str], *, using: str = DEFAULT_DB_ALIAS, coalesced: bool = False) -> None:
    """Touch the topics once the current transaction commits (at once outside one). Plain topics are
    touched once per transaction however many rows change; `coalesced` ones go through `touch_coalesced`,
    which gathers them anyway (one call per posting)."""
    topics = tuple(dict.fromkeys(topics))
    if coalesced:
        transaction.on_commit(functools.partial(touch_coalesced, topics), using=using)
        return
    queued = set()
    for _sids, func, _robust in connections[using].run_on_commit:
        if isinstance(func, functools.partial) and func.func is touch_all:
            queued.update(func.args[0])
    new = tuple(t for t in topics if t not in queued)
    if new:
        transaction.on_commit(functools.partial(touch_all, new), using=using)


def touch_all(topics: Iterable[str]) -> None:
    """Touch the topics, the money's first: a reader that sees a fund's new version then also sees the
    money's (empowerment.pagecache relies on it)."""
    topics = set(topics)
    if any(t.startswith("fund:") for t in topics):
        topics.add(MONEY)  # a fund's money is the programme's too
    for topic in sorted(topics, key=lambda t: (t != MONEY, t)):
        touch(topic)


def money_changed(fund_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS, spending: bool = False) -> None:
    """The money of these funds, and so of the programme, changed in the current transaction (`spending`:
    an expense account's too): their topics are published after commit, at most once a
    MONEY_PUBLISH_SECONDS."""
    topics = [
        MONEY,
        *([SPENDING] if spending else []),
        *(fund_topic(f) for f in sorted({int(f) for f in fund_ids})),
    ]
    touch_on_commit(topics, using=using, coalesced=True)


# Coalesced publication ----------------------------------------------------------------------------------


def publish_seconds() -> float:
    return float(getattr(settings, "MONEY_PUBLISH_SECONDS", 1.0))


def touch_coalesced(topics: Iterable[str]) -> None:
    """Bump the topics now if nothing was published in the last MONEY_PUBLISH_SECONDS, else gather them
    for the first reader (or change) after that (call it in transaction.on_commit)."""
    topics = set(topics)
    if not topics:
        return
    if publish_seconds() <= 0:
        touch_all(topics)
        return
    _pending().add(topics)
    publish_due()


def publish_due() -> bool:
    """Publish the gathered topics if the last publication is at least MONEY_PUBLISH_SECONDS old (one
    process wins the gate; the others leave it to that one). True when this call published."""
    pending = _pending()
    if not pending.gate(publish_seconds()):
        return False
    touch_all(pending.pop())
    return True


class _LocalPending:
    """Gathered topics of a per-process cache (local memory): a set under a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.topics: set[str] = set()

    def add(self, topics: set[str]) -> None:
        with self.lock:
            self.topics |= topics
        cache.set(PENDING_FLAG, 1, None)

    def gate(self, seconds: float) -> bool:
        return cache.add(_GATE, 1, seconds)

    def pop(self) -> set[str]:
        with self.lock:
            cache.delete(PENDING_FLAG)  # before reading: a topic added from now on sets it again
            topics, self.topics = self.topics, set()
        return topics


class _RedisPending:
    """Gathered topics in Redis, shared by every web process and worker: a set, its flag and the gate,
    each changed atomically (MULTI)."""

    def __init__(self, client):
        self.client = client
        self.flag, self.members, self.gate_key = (
            cache.make_key(k) for k in (PENDING_FLAG, _PENDING_SET, _GATE)
        )

    def add(self, topics: set[str]) -> None:
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.sadd(self.members, *sorted(topics))
                pipe.set(self.flag, 1)
                pipe.execute()
        except _redis_errors():
            touch_all(topics)  # the cache is down: nothing to gather for, nothing cached either

    def gate(self, seconds: float) -> bool:
        try:
            return bool(self.client.set(self.gate_key, 1, nx=True, px=max(1, int(seconds * 1000))))
        except _redis_errors():
            return False

    def pop(self) -> set[str]:
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.delete(self.flag)  # before reading: a topic added from now on sets it again
                pipe.smembers(self.members)
                pipe.delete(self.members)
                _flag, members, _deleted = pipe.execute()
        except _redis_errors():
            return set()
        return {m.decode() if isinstance(m, bytes) else m for m in members}


def _redis_errors():
    from redis.exceptions import ConnectionError as RedisConnectionError  # noqa: PLC0415
    from redis.exceptions import TimeoutError as RedisTimeoutError  # noqa: PLC0415

    return (RedisConnectionError, RedisTimeoutError)


_pendings: dict[str, object] = {}
_pendings_lock = threading.Lock()


def _pending():
    """The gathered topics' store of the default cache: Redis itself (shared by every process), or this
    process for a local-memory cache."""
    config = settings.CACHES["default"]
    name = f"{config['BACKEND']}|{config.get('LOCATION', '')}"
    found = _pendings.get(name)
    if found is None:
        with _pendings_lock:
            found = _pendings.get(name)
            if found is None:
                backend = cache._connections[cache._alias]
                redis = getattr(backend, "_cache", None)
                client = redis.get_client(None, write=True) if hasattr(redis, "get_client") else None
                found = _RedisPending(client) if client is not None else _LocalPending()
                _pendings[name] = found
    return found
