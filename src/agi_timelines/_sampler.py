"""Seeded draws of a PyMC model's random variables, one seed block at a time, thread-safe.

A forecast's parameters are the random variables of the scenario's ``pm.Model`` (see
:meth:`agi_timelines.model.Graph.random_variables`).  Each random *stream* -- one
parameter, or a copula group's jointly drawn normals -- is seeded per seed block ``j``
from ``(seed, j, crc32(key))`` exactly as :func:`pymc.pytensorf.reseed_rngs` seeds it, so
a draw depends only on the seed, its index and the parameter's name.

Drawing goes straight to the variable's own ``RandomVariable.rng_fn`` -- the numpy
``Generator`` call the compiled graph would make, with the same arguments -- so there is
no function-call machinery per block and blocks draw in parallel threads (numpy's
generators release the GIL).  Only what comes after a draw (a copula's quantile
transform) or a random variable that is not one numpy call (a mixture) goes through a
compiled PyTensor function, under a lock.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from typing import Any

import numpy as np
import pytensor
from pymc.pytensorf import compile as compile_pymc
from pymc.pytensorf import find_rng_nodes, reseed_rngs
from pytensor.compile.mode import Mode, get_mode
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.replace import graph_replace
from pytensor.graph.traversal import ancestors, graph_inputs, io_toposort
from pytensor.tensor.random.op import RandomVariable
from pytensor.tensor.random.type import RandomGeneratorType

__all__ = ["CACHE_BYTES", "SAMPLER_MODE", "BlockSampler"]

SAMPLER_MODE = Mode(linker="py", optimizer=get_mode("FAST_COMPILE").provided_optimizer)
"""PyTensor mode of the compiled pieces: ``FAST_COMPILE``'s rewrites on the plain Python
linker (each op's ``perform``, numpy calls, no JIT).  ``FAST_COMPILE`` itself runs the same
``perform`` calls through the VM linker, which first builds PyTensor's C lazy-linker module
with the C++ compiler: ~2 s on an empty compile directory, for nothing used here."""


def stream_generator(seed: int, block: int, key: int) -> np.random.Generator:
    """Return the generator of a one-rng stream seeded ``[seed, block, key]``.

    The same generator :func:`pymc.pytensorf.reseed_rngs` gives: its one child,
    ``SeedSequence([seed, block, key]).spawn(1)[0]``, built directly (half the hashing; this runs,
    holding the GIL, per stream and block).
    """
    child = np.random.SeedSequence([seed, block, key], spawn_key=(0,))
    return np.random.Generator(np.random.PCG64(child))


class _Stream:
    """The variables of one seed key and how to draw them."""

    def __init__(self, key: str, paths: list[str], outs: list[Any]) -> None:
        self.key = zlib.crc32(key.encode())
        self.paths = paths
        self.lock = threading.Lock()
        self.source: Any = None  # the one RandomVariable node, when the stream has one
        self.transform: Any = None  # compiled outs(source draw), when outs are not the draw
        self.fallback: Any = None  # compiled sampler of the whole stream
        rngs = find_rng_nodes(outs)
        node = _single_source(outs, rngs)
        if node is None:
            self.rngs = rngs
            self.fallback = compile_pymc([], outs, random_seed=0, mode=SAMPLER_MODE)
            return
        self.source = node
        draw = node.outputs[1]
        if any(o is not draw for o in outs):
            z = draw.type()
            replaced = graph_replace(outs, {draw: z}, strict=False)
            self.transform = pytensor.function([z], replaced, mode=SAMPLER_MODE)

    def arguments(self) -> list[Any]:
        """Symbolic ``size`` and distribution parameters of the source node."""
        return [] if self.source is None else list(self.source.inputs[1:])

    def draw(self, seed: int, block: int, args: list[Any], n: int) -> list[np.ndarray]:
        """Return the stream's variables for one seed block (``args``: evaluated :meth:`arguments`).

        At least the first ``n`` draws.

        A plain random variable draws only ``n``: numpy's generators fill arrays in order,
        so they are the first ``n`` of a whole block's draws.  The rest draw whole blocks.
        """
        if self.fallback is not None:
            with self.lock:
                reseed_rngs(self.rngs, [seed, block, self.key])
                return [np.array(v) for v in self.fallback()]
        op = self.source.op
        size, *params = args
        rng = stream_generator(seed, block, self.key)
        size = None if size is None else tuple(int(s) for s in np.atleast_1d(size))
        if size is not None and self.transform is None:
            size = (min(n, size[0]), *size[1:])
        value = np.asarray(op.rng_fn(rng, *params, size), dtype=op.dtype)
        if self.transform is None:
            return [value]
        with self.lock:
            return [np.array(v) for v in self.transform(value)]


def _single_source(outs: list[Any], rngs: list[Any]) -> Any:
    """Return the one plain ``RandomVariable`` node all of ``outs`` derive from, or ``None``."""
    if len(rngs) != 1:
        return None
    nodes = [n for n in io_toposort([], outs) if rngs[0] in n.inputs]
    if len(nodes) != 1 or type(nodes[0].op).perform is not RandomVariable.perform:
        return None
    node = nodes[0]
    if not isinstance(node.op, RandomVariable) or node.op.inplace:
        return None
    # its parameters must not depend on another random draw
    params = node.inputs[1:]
    if any(
        a.owner is not None and isinstance(a.owner.op, RandomVariable) for a in ancestors(params)
    ):
        return None
    return node


class BlockSampler:
    """Draws of a model's random variables per seed block, from any thread.

    Parameters
    ----------
    paths : list of str
        Parameter paths, in output order.
    variables : list of pytensor variables
        The model's variable of each path (built with ``size = block``).
    seed_key : callable
        ``seed_key(path)``: the name whose CRC-32 seeds the path's stream.
    block : int
        Draws per seed block (the variables' leading dimension).
    """

    def __init__(self, paths: list[str], variables: list[Any], seed_key: Any, block: int) -> None:
        self.block = block
        self._variables = variables
        self._shared = [
            v
            for v in graph_inputs(variables)
            if isinstance(v, SharedVariable) and not isinstance(v.type, RandomGeneratorType)
        ]
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(paths):
            groups.setdefault(seed_key(p), []).append(i)
        self.streams = [
            _Stream(k, [paths[i] for i in idx], [variables[i] for i in idx])
            for k, idx in groups.items()
        ]
        args = [a for s in self.streams for a in s.arguments()]
        self._nargs = [len(s.arguments()) for s in self.streams]
        self._args = pytensor.function([], args, mode=SAMPLER_MODE) if args else None
        self._values: list[list[Any]] = []
        self._keys: list[bytes] = []
        self._cache: OrderedDict[tuple[Any, ...], list[np.ndarray]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cached_bytes = 0

    def load(self) -> None:
        """Evaluate the distribution parameters from the current shared numbers."""
        # 0-d parameters become Python floats: numpy's generators release the GIL for
        # scalar parameters, not on the broadcasting path of arrays (same numbers)
        flat = [
            a.item() if isinstance(a, np.ndarray) and a.ndim == 0 and a.dtype.kind == "f" else a
            for a in (self._args() if self._args is not None else [])
        ]
        self._values, self._keys = [], []
        for n in self._nargs:
            self._values.append(flat[:n])
            self._keys.append(b"".join(np.asarray(a, dtype=float).tobytes() for a in flat[:n]))
            flat = flat[n:]
        # the fallback and transform pieces read shared numbers: key on all of them
        self._numbers = b"".join(
            np.asarray(v.get_value(), dtype=float).tobytes() for v in self._shared
        )

    def draw(self, seed: int, block: int, n: int, cache: bool = False) -> dict[str, np.ndarray]:
        """Return the first ``n`` (or more) draws of every variable in seed block ``block``.

        ``{path: array}`` (read-only).

        ``cache=True`` keeps the block's draws (up to :data:`CACHE_BYTES` in all, oldest
        dropped first) for the next forecast with the same seed and numbers: the variants
        of a sweep share every draw but the swept fields' (common random numbers).
        """
        out: dict[str, np.ndarray] = {}
        for stream, args, key in zip(self.streams, self._values, self._keys, strict=True):
            if stream.source is None or stream.transform is not None:
                key += self._numbers
            ckey = (stream.key, seed, block, n, key)
            with self._cache_lock:
                hit = self._cache.get(ckey)
            if hit is None:
                hit = stream.draw(seed, block, args, n)
                if cache:
                    self._remember(ckey, hit)
            out.update(zip(stream.paths, hit, strict=True))
        return out

    def _remember(self, key: tuple[Any, ...], values: list[np.ndarray]) -> None:
        for v in values:
            v.flags.writeable = False
        with self._cache_lock:
            if key in self._cache:
                return
            self._cache[key] = values
            self._cached_bytes += sum(v.nbytes for v in values)
            while self._cached_bytes > CACHE_BYTES and self._cache:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= sum(v.nbytes for v in old)

    def block_bytes(self) -> int:
        """Bytes of one seed block's draws of every variable."""
        shapes = [[self.block if d is None else d for d in v.type.shape] for v in self._variables]
        return sum(8 * int(np.prod(shape)) for shape in shapes)


CACHE_BYTES = 48 * 2**20
"""Most bytes of draws :meth:`BlockSampler.draw` keeps for reuse."""
