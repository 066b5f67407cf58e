"""Per-learner variants (as STACK and Numbas do): one exercise, a pool of parameter sets, a seed per learner.

A lesson declares :class:`Varied` for an exercise: ``make(**params) -> Problem`` builds the problem of one
parameter set — its prompt, answer, mistakes and hints all derived from the parameters — and the pool
is either a list of parameter sets (which figure, which year: the report's own numbers) or drawn, once
and for everyone, from stated ranges (generated drill numbers, which ``make`` labels 练习用的数).

The learner's seed picks one variant of the pool: :func:`index` hashes (seed, chapter, exercise), so
the same seed always gives the same variant.  The seed is the hub name (``JUPYTERHUB_USER``) on a hub,
otherwise a random seed stored once beside the attempt log (:func:`learner_seed`).  Every attempt of a
variant stores its seed (``Record.seed``); ``grade`` rebuilds the variant from that seed and judges it.

Practice keeps the report's own figures (the chapter's problems as declared); the exam edition and
``Exercises.with_variants()`` use the variants.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import random
import re
import secrets
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

SEED_FILE = ".course-seed"
MAX_SEED = 100
_SEED = re.compile(r"[\w.@+-]{1,%d}" % MAX_SEED)
_process_seed: list[str] = []


def valid_seed(seed: Any) -> bool:
    return isinstance(seed, str) and bool(_SEED.fullmatch(seed))


def seed_path() -> Path:
    """Where the self-study seed is kept: beside the attempt log."""
    from .attempts import log_path

    return log_path().with_name(SEED_FILE)


def learner_seed() -> str:
    """The seed that picks this learner's variants: the hub name, else the stored random seed
    (created on first use; if it cannot be stored, one seed for this kernel)."""
    name = os.environ.get("JUPYTERHUB_USER", "").strip()
    if valid_seed(name):
        return name
    path = seed_path()
    from .attempts import open_regular

    def stored() -> str | None:
        try:
            data, _ = open_regular(path, limit=200)
        except OSError:
            return None
        text = data.decode("ascii", "replace").strip()
        return text if valid_seed(text) else None

    if (text := stored()) is not None:
        return text
    fresh = "s" + secrets.token_hex(8)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, (fresh + "\n").encode("ascii"))
        finally:
            os.close(fd)
        return fresh
    except FileExistsError:  # another kernel wrote it meanwhile (or it is not a regular file)
        if (text := stored()) is not None:
            return text
    except OSError:
        pass
    if not _process_seed:
        _process_seed.append(fresh)
    return _process_seed[0]


def index(seed: str, chapter: int | None, exercise: str, n: int) -> int:
    """Which of ``n`` variants ``seed`` picks for (chapter, exercise): stable across runs and machines."""
    if n <= 0:
        raise ValueError("no variants")
    digest = hashlib.sha256(f"{seed}|{chapter}|{exercise}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n


def _values(spec) -> list:
    if isinstance(spec, range):
        return list(spec)
    if isinstance(spec, tuple) and len(spec) == 3 and all(isinstance(v, (int, float)) for v in spec):
        low, high, step = spec
        count = int(round((high - low) / step)) + 1
        return [round(low + i * step, 10) for i in range(count)]
    return list(spec)


class Varied:
    """The variants of one exercise.

    ``Varied(make, pool=[{...}, {...}])``: the parameter sets, listed (e.g. real figures of the report).
    ``Varied(make, size=8, a=(20, 90, 5), n=range(2, 6), check=lambda a, n: …)``: ``size`` parameter sets
    drawn from the stated ranges (``(low, high, step)``, a ``range`` or a list), distinct, the same for
    everybody (the draw is seeded by the exercise, not the learner); ``check`` rejects unfit sets.
    """

    def __init__(self, make: Callable[..., Any], *, pool: Iterable[Mapping] | None = None, size: int = 8,
                 check: Callable[..., bool] | None = None, **ranges: Any):
        self.make = make
        self._pool = [dict(p) for p in pool] if pool is not None else None
        self.size = size
        self.check = check
        self.ranges = ranges
        if self._pool is None and not ranges:
            raise ValueError("Varied needs a pool or ranges")
        self._drawn: dict = {}
        #: numbers a drawn parameter must not come near (e.g. the chapter's answers: an exam prompt
        #: must not show another exercise's answer by chance); set before the pool is first drawn
        self.avoid: tuple[float, ...] = ()
        #: the declared problem's track (基础/拓展), stamped by ``Exercises.vary``: a variant is the same
        #: exercise for another learner, so it keeps the track the lesson declared (None: the maker's own)
        self.track: str | None = None

    def _clear_of(self, params: dict) -> bool:
        for x in params.values():
            if isinstance(x, (int, float)) and not isinstance(x, bool) and x:
                for a in self.avoid:
                    if a and any(abs(x * s - a) <= 0.06 * abs(a) for s in (1, 1e4, 1e8, 1e-4)):
                        return False
        return True

    def pool(self, chapter: int | None = None, exercise: str = "") -> list[dict]:
        if self._pool is not None:
            return self._pool
        key = (chapter, exercise)
        if key not in self._drawn:
            rng = random.Random(f"pool|{chapter}|{exercise}")
            names = sorted(self.ranges)
            space = [_values(self.ranges[n]) for n in names]
            combos = [dict(zip(names, c)) for c in itertools.product(*space)]
            if self.check is not None:
                combos = [c for c in combos if self.check(**c)]
            combos = [c for c in combos if self._clear_of(c)]
            rng.shuffle(combos)
            self._drawn[key] = combos[: self.size]
        return self._drawn[key]

    def params_for(self, seed: str, chapter: int | None, exercise: str) -> dict:
        pool = self.pool(chapter, exercise)
        return pool[index(seed, chapter, exercise, len(pool))]

    def build(self, seed: str, chapter: int | None, exercise: str):
        """The problem of ``seed``'s variant, named and stamped with the seed."""
        problem = self._declared(self.make(**self.params_for(seed, chapter, exercise)))
        problem.name = exercise
        problem.chapter = chapter
        problem.seed = seed
        return problem

    def _declared(self, problem):
        if self.track is not None:
            problem.track = self.track
        return problem

    def all(self, chapter: int | None, exercise: str) -> list:
        """Every variant of the pool, in pool order (for tests and the exam edition's public forms)."""
        out = []
        for params in self.pool(chapter, exercise):
            p = self._declared(self.make(**params))
            p.name, p.chapter = exercise, chapter
            out.append(p)
        return out


def pick_public(forms: Sequence[dict], chapter: int | None, exercise: str, seed: str | None = None):
    """The exam edition's choice: the public form of this learner's variant, rebuilt keyless."""
    from .core import Problem

    seed = seed or learner_seed()
    problem = Problem.from_public(forms[index(seed, chapter, exercise, len(forms))])
    problem.name, problem.chapter, problem.seed = exercise, chapter, seed
    return problem


__all__ = ["SEED_FILE", "Varied", "index", "learner_seed", "pick_public", "seed_path", "valid_seed"]
