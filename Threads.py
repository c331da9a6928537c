"""How many threads NumPy's matrix products (its BLAS) use while the library trains or predicts.

NumPy hands every matrix product to a BLAS library (OpenBLAS in NumPy's wheels), which by default
starts one thread per core. That pays for large products, but it costs dearly for small ones and
on a busy machine: between products the threads wait for each other, and when another program
holds a core, every product waits for the thread that is not running. The notes' network
(batch 32 x 784 x 64) trains 5x slower on two threads than on one beside another job, and 1.5x
slower idle (benchmarks/threads_under_load.py).

So train, predict, evaluate and find_learning_rate run inside blas_threads(...), which chooses for
the work at hand and puts the caller's setting back afterwards, whether NumPy was imported before
or not (it changes the loaded BLAS at run time through threadpoolctl):
  - a product of fewer than SMALL_PRODUCT multiply-adds gets one thread;
  - a larger one gets all the usable cores if they compute a product of that size clearly faster
    than one thread (in under FASTER of its time), timed there and then: a few products, a few
    milliseconds. Training times it again each epoch: another program may have started or stopped.
Your own choice always wins: set OPENBLAS_NUM_THREADS (or MKL_NUM_THREADS, OMP_NUM_THREADS) before
starting Python, call set_threads(n), or run the work inside threadpoolctl's threadpool_limits(n).
"""
import os
import statistics
import time

import numpy as np

SMALL_PRODUCT = 8_000_000           # multiply-adds below which one thread is always chosen
PROBE_ROWS = 1024                   # a probe's product has at most this many rows
PROBE_REPEATS = 3                   # products timed per thread count; their median decides
FASTER = 0.8                        # all cores must take under 0.8x one thread's time: a clear gain
RECHECK_SECONDS = 1.0               # a choice younger than this is reused rather than timed again
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")

_fixed = None                       # set_threads(n): the user's own number, or None
_active = []                        # the blas_threads contexts now open, innermost last
_choices = {}                       # (rows, inner, columns, dtype): (threads, time chosen)
_blas = None                        # threadpoolctl's handle on the loaded BLAS, made on first use


def set_threads(threads):
    """Use this many BLAS threads in train, predict and the rest (None: let the library choose).

    The setting holds for the whole program. It does not change NumPy outside the library.
    """
    global _fixed
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, (int, np.integer))
                                or threads < 1):
        raise ValueError(f"threads must be a whole number of at least 1, or None for the library's choice, "
                         f"got {threads!r}")
    _fixed = None if threads is None else int(threads)


def current_threads():
    """The number of threads the loaded BLAS uses now (None if NumPy's BLAS cannot be controlled)."""
    libraries = _libraries()
    return libraries[0].num_threads if libraries else None


class blas_threads:
    """with blas_threads(rows, n_in, n_out): ... runs the work with the number of BLAS threads that
    suits products of (rows, n_in) by (n_in, n_out) matrices, then restores the number before it.

    choose() decides again (training calls it at the start of every epoch); threads is the number
    in force. Nothing is changed when the user chose the number (see the module docstring).
    """

    def __init__(self, rows, n_in, n_out, dtype=np.float32):
        self.shape = (int(rows), int(n_in), int(n_out))
        self.dtype = np.dtype(dtype)
        self.threads = None

    def __enter__(self):
        libraries = _libraries()
        self._original = [library.num_threads for library in libraries]
        if _active:                             # inside another blas_threads: do as it did
            self._obey = _active[-1]._obey
        else:                                   # the user's number: their variables, or not the BLAS's own
            self._obey = _fixed is None and (_user_variables() or self._original[:1] != [_natural_threads])
        _active.append(self)
        self.choose()
        return self

    def choose(self):
        """Set the number of threads for this work: the user's, or the library's choice."""
        if not _libraries() or self._obey:
            self.threads = current_threads()
        else:
            self.threads = _fixed if _fixed is not None else _choice(self.shape, self.dtype)
            _set(self.threads)
        return self.threads

    def __exit__(self, *exception):
        _active.remove(self)
        for library, threads in zip(_libraries(), self._original):
            library.set_num_threads(threads)


def blas_threads_for(layers, rows):
    """blas_threads for a batch of rows through these layers: the widest layer's product decides."""
    widest = max(layers, key=lambda layer: layer.n_in * layer.n_out)
    return blas_threads(rows, widest.n_in, widest.n_out, widest.W.dtype)


def _choice(shape, dtype):
    """One thread for a small product; else the faster of one and all usable cores, timed now."""
    rows, inner, columns = shape
    cores = min(_usable_cores(), _natural_threads or 1)
    if cores == 1 or rows * inner * columns < SMALL_PRODUCT:
        return 1
    key = (min(rows, PROBE_ROWS), inner, columns, dtype.str)
    threads, when = _choices.get(key, (None, -np.inf))
    if time.monotonic() - when < RECHECK_SECONDS:
        return threads
    A = np.full(key[:2], 0.5, dtype)
    B = np.full(key[1:3], 0.5, dtype)
    one = _product_time(A, B, 1)
    many = _product_time(A, B, cores, give_up_above=3 * one)
    threads = cores if many < FASTER * one else 1
    _choices[key] = (threads, time.monotonic())
    return threads


def _product_time(A, B, threads, give_up_above=np.inf):
    """The median time of PROBE_REPEATS products A @ B with this many threads (after one that wakes
    them up), or infinity as soon as one takes longer than give_up_above: a thread that another
    program keeps waiting has already lost the race, and waiting for more of them costs time."""
    _set(threads)
    times = []
    for _ in range(1 + PROBE_REPEATS):
        start = time.perf_counter()
        A @ B
        times.append(time.perf_counter() - start)
        if times[-1] > give_up_above:
            return np.inf
    return statistics.median(times[1:])


def _set(threads):
    for library in _libraries():
        library.set_num_threads(threads)


def _libraries():
    """threadpoolctl's controllers of the BLAS libraries NumPy has loaded (often one: OpenBLAS)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController
        _blas = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas


def _user_variables():
    return any(os.environ.get(variable) for variable in THREAD_VARIABLES)


def _usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                      # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


_natural_threads = current_threads()       # what the BLAS started with: a different number is the user's
