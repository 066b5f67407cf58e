"""The load benchmark's bookkeeping (tests/bench_hub.py is a script; its figures depend on this).

The efficiency compares the class with one learner alone doing the same work.  A learner's kernel
keeps rendering chart views after its last cell, so both sides are counted until that background
work is over (:func:`bench_hub.wait_quiet`); these tests drive it with a fake process table.
"""
from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("bench_hub", Path(__file__).with_name("bench_hub.py"))
bench_hub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_hub)


class FakeSampler:
    """CPU seconds per (user, pid, role) that grow like a kernel working until ``busy_until``."""

    def __init__(self, users, busy_until: float, rate: float = 0.9, idle_rate: float = 0.001):
        self.lock = threading.Lock()
        self.cpu = {}
        self.users, self.busy_until, self.rate, self.idle_rate = users, busy_until, rate, idle_rate
        self.t0 = time.monotonic()

    def sample(self, memory=False, full=False):
        now = time.monotonic()
        busy = min(now, self.busy_until) - self.t0
        idle = now - self.t0
        with self.lock:
            for i, user in enumerate(self.users):
                self.cpu[(user, 100 + i, "kernel")] = self.rate * max(busy, 0) + self.idle_rate * idle


def test_wait_quiet_returns_when_the_background_work_ended():
    start = time.monotonic()
    sampler = FakeSampler(["a", "b"], busy_until=start + 1.0)
    ended = bench_hub.wait_quiet(sampler, {"a", "b"}, since=start, quiet_s=0.8, timeout=30, poll_s=0.2)
    assert start + 0.7 <= ended <= start + 1.6, ended - start       # the last busy sample, not the call's end
    assert time.monotonic() - start < 6


def test_wait_quiet_judges_busy_per_second_whatever_the_sampling_interval():
    """A tenth of a core of background work is busy (over 3.5 % of a core) whether sampled every second
    or every 0.2 s: the growth between samples is compared with the share for that interval."""
    start = time.monotonic()
    sampler = FakeSampler(["a"], busy_until=start + 1.0, rate=0.1)
    ended = bench_hub.wait_quiet(sampler, {"a"}, since=start, quiet_s=0.8, timeout=30, poll_s=0.2)
    assert start + 0.7 <= ended <= start + 1.6, ended - start


def test_wait_quiet_ignores_idle_servers_and_other_users():
    start = time.monotonic()
    # 30 idle learners (heartbeats) and one busy user that is not theirs
    sampler = FakeSampler([f"l{i}" for i in range(30)], busy_until=start, idle_rate=0.002)
    other = FakeSampler(["teacher"], busy_until=start + 60)
    merged = type("Merged", (), {})()
    merged.lock = threading.Lock()
    merged.cpu = {}

    def sample(memory=False, full=False):
        sampler.sample(), other.sample()
        merged.cpu = {**sampler.cpu, **other.cpu}
    merged.sample = sample
    ended = bench_hub.wait_quiet(merged, {f"l{i}" for i in range(30)}, since=start, quiet_s=0.8, timeout=30,
                                 poll_s=0.2)
    assert ended == start           # nothing of theirs was busy after ``since``
    assert time.monotonic() - start < 5


def test_wait_quiet_gives_up_with_a_clear_error():
    start = time.monotonic()
    sampler = FakeSampler(["a"], busy_until=start + 3600)
    with pytest.raises(TimeoutError, match="did not go quiet"):
        bench_hub.wait_quiet(sampler, {"a"}, since=start, quiet_s=0.8, timeout=1.5, poll_s=0.2)


@pytest.mark.slow
def test_the_machines_sharing_floor_runs_the_lesson_in_plain_processes(tmp_path):
    """share_floor: chapter 1's cells in plain Python processes (no hub, no Jupyter), alone and two at
    once; each copy's CPU comes from wait4 and includes its imports (a lesson's cells take seconds)."""
    import sys

    root = Path(__file__).resolve().parents[1]
    floor = bench_hub.share_floor(root, 2, solo_runs=1, python=Path(sys.executable))
    assert floor["share_n"] == 2
    assert floor["share_alone_cpu_s"] > 1.0 and floor["share_together_cpu_s"] > 1.0
    assert floor["share_inflation"] == pytest.approx(floor["share_together_cpu_s"] / floor["share_alone_cpu_s"])
    # a failing copy is reported, not averaged in
    broken = tmp_path / "course"
    (broken / "notebooks").mkdir(parents=True)
    (broken / bench_hub.NOTEBOOK).write_text("not a notebook")
    with pytest.raises(RuntimeError, match="plain-process work failed"):
        bench_hub.share_floor(broken, 1, solo_runs=1, python=Path(sys.executable))


def test_the_sharing_bound_counts_the_hub_and_proxy():
    """share_bound: with no hub CPU it is 1 ÷ inflation; the hub and proxy's CPU lowers it."""
    res = {"learners": 30, "solo_cpu_s": 10.0, "share_inflation": 1.25, "hub_proxy_cpu_s": 0.0}
    assert bench_hub.share_bound(res) == pytest.approx(0.8)
    assert bench_hub.share_bound({**res, "hub_proxy_cpu_s": 30.0}) == pytest.approx(300 / (375 + 30))


def test_the_solo_reference_is_the_median_of_its_runs():
    """Three new learners one after another: the reference is the run whose CPU is the median."""
    runs = [{"solo_cpu_s": 8.3, "solo_server_cpu_s": 2.6}, {"solo_cpu_s": 7.5, "solo_server_cpu_s": 2.5},
            {"solo_cpu_s": 9.9, "solo_server_cpu_s": 3.9}]
    chosen = bench_hub.median_solo(runs)
    assert chosen["solo_cpu_s"] == 8.3 and chosen["solo_server_cpu_s"] == 2.6
    assert chosen["solo_runs_cpu_s"] == [8.3, 7.5, 9.9]
    assert len(set(bench_hub.SOLOS)) == 3
