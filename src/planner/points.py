"""The uniform points behind every Monte Carlo draw: scrambled Sobol' points, in replicates.

Every random quantity of a draw (a parameter's triangular value, a project's completion and
slippage, which draws share one shock) is a function of one coordinate of a point in the unit
cube. Scrambled Sobol' points fill that cube far more evenly than independent random numbers,
so a goal probability reaches the accuracy of 10,000 random draws with a fraction of the
points (`bench/run.py` measures how many on this model).

The points come as `REPLICATES` independent scrambles. Each scramble is an unbiased estimate
on its own, so the spread of their estimates gives a standard error that is honest for
quasi-random points too, where the binomial formula for independent draws does not hold.
A seed fixes every scramble, so a link reproduces its numbers exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from cachetools import LRUCache, cached
from scipy.stats import qmc

Method = Literal["sobol", "random"]
REPLICATES = 16
# scipy's Sobol' engine reaches 21,201 coordinates; a draw of the largest zone file allowed
# (500 projects in each of a handful of zones) needs a few thousand.
MAX_DIMENSIONS = 21_201
# Point sets up to this many coordinates (64 MB) are kept for reuse, 256 MB of them at most,
# the least recently used leaving first. A zone file of 500 projects on the projects' basis
# reads 1,009 coordinates a draw: its 8,000 points are 8 M coordinates, whose sixteen
# scrambles take 0.4 s to set up, and which a slider move then reads again for nothing.
KEPT_COORDINATES = 1 << 23
_KEPT: LRUCache[tuple[int, int, int, str], np.ndarray] = LRUCache(maxsize=256 << 20, getsizeof=lambda a: a.nbytes)
_KEPT_LOCK = threading.Lock()
_BLOCK = 1 << 13  # points generated a call when a whole set is made at once (a power of two)


class Cursor:
    """Hands out one chunk's uniforms row by row, in the fixed order the model reads them.

    The order is the contract: the same scenario reads the same coordinates for the same
    quantities, so a seed gives the same draws whatever the chunking.
    """

    def __init__(self, uniforms: np.ndarray) -> None:
        self._uniforms = uniforms  # (dimensions, n)
        self._next = 0

    @property
    def size(self) -> int:
        return int(self._uniforms.shape[1])

    def take(self, rows: int) -> np.ndarray:
        """The next `rows` coordinates of every point, (rows, n)."""
        if self._next + rows > self._uniforms.shape[0]:
            raise ValueError(f"the draws read {self._next + rows} coordinates of {self._uniforms.shape[0]}")
        block = self._uniforms[self._next : self._next + rows]
        self._next += rows
        return block

    def one(self) -> np.ndarray:
        """The next coordinate of every point, (n,)."""
        return self.take(1)[0]

    def exponential(self, rows: int) -> np.ndarray:
        """Standard exponential values (mean 1) by the inverse distribution function, (rows, n)."""
        return -np.log1p(-self.take(rows))

    def finish(self) -> None:
        """Check that every coordinate was read: a coordinate left over would mean the
        dimension count and the model disagree, and the points would lose their evenness."""
        if self._next != self._uniforms.shape[0]:
            raise ValueError(f"the draws read {self._next} coordinates of {self._uniforms.shape[0]}")


@dataclass(frozen=True)
class Replicate:
    """One scramble: its index and how many points it contributes."""

    index: int
    size: int


def replicates(n: int, count: int = REPLICATES) -> tuple[Replicate, ...]:
    """`n` points split as evenly as possible over `count` scrambles (fewer when n is small)."""
    count = max(1, min(count, n))
    base, extra = divmod(n, count)
    return tuple(Replicate(i, base + (1 if i < extra else 0)) for i in range(count))


def _blocks(dimensions: int, replicate: Replicate, seed: int, chunk: int, method: Method) -> Iterator[np.ndarray]:
    """One replicate's points, (size, dimensions), in blocks of at most `chunk` points.

    `chunk` is a power of two: scipy checks the points' balance on the first call only, and
    a first call of a power of two keeps every later call's points balanced as well.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replicate.index,)))
    engine = qmc.Sobol(d=max(dimensions, 1), scramble=True, seed=rng) if method == "sobol" else None
    done = 0
    while done < replicate.size:
        size = min(chunk, replicate.size - done)
        if engine is None:
            yield rng.random((size, dimensions))
        elif done == 0:  # a power of two, then cut
            yield engine.random(1 << max(size - 1, 0).bit_length())[:size, :dimensions]
        else:
            yield engine.random(size)[:, :dimensions]
        done += size


def stream(dimensions: int, n: int, seed: int, chunk: int, method: Method = "sobol") -> Iterator[Cursor]:
    """`n` points of `dimensions` coordinates, replicate after replicate (as `replicates`
    splits them), in chunks of at most `chunk` points, each as a `Cursor`.

    The points depend on nothing but these four numbers, so a slider move that keeps them
    reads the same points again from a small cache instead of scrambling anew (sixteen
    scrambles cost about 15 ms at this model's 7 coordinates, more than the model at a
    few thousand points, and 0.4 s at a thousand). Runs too big to keep are generated
    block by block, with small replicates sharing a chunk, so memory stays bounded.
    """
    if dimensions > MAX_DIMENSIONS:
        raise ValueError(f"a draw needs {dimensions} random coordinates; at most {MAX_DIMENSIONS} are possible")
    if n * dimensions <= KEPT_COORDINATES:
        kept = _kept(dimensions, n, seed, method)
        for start in range(0, n, chunk):
            yield Cursor(kept[:, start : start + chunk])
        return
    waiting: list[np.ndarray] = []
    held = 0
    for block in _all_blocks(dimensions, n, seed, chunk, method):
        if held + len(block) > chunk:
            yield Cursor(np.concatenate(waiting).T.copy())
            waiting, held = [], 0
        waiting.append(block)
        held += len(block)
    if waiting:
        yield Cursor(np.concatenate(waiting).T.copy())


def _all_blocks(dimensions: int, n: int, seed: int, chunk: int, method: Method) -> Iterator[np.ndarray]:
    for replicate in replicates(n):
        yield from _blocks(dimensions, replicate, seed, chunk, method)


def _whole(dimensions: int, n: int, seed: int, method: Method) -> np.ndarray:
    """Every point at once, (dimensions, n). The blocks' size changes no point."""
    return np.concatenate(list(_all_blocks(dimensions, n, seed, _BLOCK, method))).T.copy()


@cached(_KEPT, lock=_KEPT_LOCK)
def _kept(dimensions: int, n: int, seed: int, method: Method) -> np.ndarray:
    """`_whole`, read-only: shared by every caller that asks."""
    points = _whole(dimensions, n, seed, method)
    points.flags.writeable = False
    return points


def cursor(dimensions: int, n: int, seed: int, method: Method = "sobol") -> Cursor:
    """All `n` points in one `Cursor`: the points `stream` gives, in one piece."""
    return Cursor(_whole(dimensions, n, seed, method))


def starts(n: int) -> np.ndarray:
    """Where each replicate's points begin among the `n` points `stream` gives."""
    return np.cumsum([0] + [r.size for r in replicates(n)[:-1]])


def standard_error(estimates: np.ndarray, sizes: np.ndarray) -> float:
    """The standard error of the pooled estimate from the replicates' own estimates.

    The replicates are independent and unbiased; their sizes differ by at most one point, so
    the pooled mean is their mean to within 1/n and the spread of the mean is theirs ÷ √R.
    """
    if len(estimates) < 2:
        return float("nan")
    weights = sizes / sizes.sum()
    pooled = float(np.dot(weights, estimates))
    variance = float(np.sum((estimates - pooled) ** 2)) / (len(estimates) - 1)
    return float(np.sqrt(variance / len(estimates)))
