"""Shared helpers of the benchmark scripts."""

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import NamedTuple


def finance_user():
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = get_user_model().objects
    return users.filter(email="finance@demo.example").first() or users.filter(is_superuser=True).first()


def start_worker(env=None) -> subprocess.Popen:
    """A Celery worker (prefork, one child) in its own process group, on the configured broker; stop it with
    os.killpg(worker.pid, signal.SIGTERM)."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "empowerment",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "1",
        ],
        env=env,
        start_new_session=True,
    )


class Process(NamedTuple):
    parent: int
    group: int
    name: str
    cpu_seconds: float
    # What its children that have ended used (the kernel adds it to the parent that waits for them): a
    # database server's connections that closed, a web server's workers that were replaced.
    ended_children_seconds: float = 0.0
    # The same CPU split into the interpreter's or program's own (user) and the kernel's (system) time, each
    # with its ended children's.
    user_seconds: float = 0.0
    system_seconds: float = 0.0


def processes() -> dict[int, Process]:
    """Every process of this machine as /proc/<pid>/stat gives it (parent, process group, command name, CPU
    seconds used so far, and those of its children that ended); one that ends while it is read is left out."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                raw = fh.read()
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            # From field 3 of `man 5 proc`: [1] parent, [2] process group, [11] utime, [12] stime, [13]
            # cutime, [14] cstime (ticks).
            fields = raw[raw.rindex(")") + 2 :].split()
            utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
            found[int(entry)] = Process(
                int(fields[1]),
                int(fields[2]),
                name,
                (utime + stime) / tick,
                (cutime + cstime) / tick,
                (utime + cutime) / tick,
                (stime + cstime) / tick,
            )
        except (OSError, ValueError, IndexError):
            continue
    return found


def tree(table: dict[int, Process], roots) -> Iterator[Process]:
    """The processes of `table` (as `processes()` read it) that are `roots` or descend from them."""
    children: dict[int, list[int]] = {}
    for pid, process in table.items():
        children.setdefault(process.parent, []).append(pid)
    stack = list(roots)
    while stack:
        pid = stack.pop()
        if pid in table:
            yield table[pid]
        stack.extend(children.get(pid, []))
