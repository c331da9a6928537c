"""How many threads NumPy's matrix products (its BLAS) use while the library trains or predicts.

NumPy hands every matrix product to a BLAS library (OpenBLAS in NumPy's wheels), which by default
starts one thread per core. That pays for large products, but it costs dearly for small ones and
on a busy machine: between products the threads wait for each other, and when another program
holds a core, every product waits for the thread that is not running. The notes' network
(batch 32 x 784 x 64) trained 3 to 56 times slower on two threads than on one beside another job
(it depends on the moment), and 1.5x slower idle (benchmarks/threads_under_load.py).

So train, predict, evaluate and find_learning_rate run inside blas_threads(...), which chooses for
the work at hand and puts the caller's setting back afterwards, whether NumPy was imported before
or not (it changes the loaded BLAS at run time through threadpoolctl):
  - a product of fewer than SMALL_PRODUCT multiply-adds gets one thread (measured here: below it
    one thread is as fast or faster even on an idle machine);
  - a larger one gets the usable cores that no other program is running on at that moment
    (Linux counts the runnable threads in /proc/stat; ours are left out), at least one. Training
    looks again every epoch: another program may have started or stopped. Where there is no
    /proc (macOS, Windows) a large product gets every usable core, as the BLAS would by itself.
Your own choice always wins: call set_threads(n); run the work inside threadpoolctl's
threadpool_limits(n) (for n other than the number the BLAS started with, which is all the library
can tell from its own); or set OPENBLAS_NUM_THREADS (or MKL_NUM_THREADS, OMP_NUM_THREADS), before
Python starts or in os.environ later. None of them gets more threads than there are usable cores.
"""
import contextlib
import os
import statistics
import warnings

import numpy as np

SMALL_PRODUCT = 10_000_000          # multiply-adds below which one thread is always chosen
SAMPLES = 5                         # looks at the runnable threads; their median counts
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
MISSING = ("threadpoolctl is not installed, so the library cannot choose NumPy's threads: training runs on "
           "every core, which for small networks and on a busy machine is several times slower. "
           "Install it: pip install threadpoolctl (or pip install -r requirements.txt).")

_fixed = None                       # set_threads(n): the user's own number, or None
_active = []                        # the blas_threads contexts now open, innermost last
_blas = None                        # threadpoolctl's handle on the loaded BLAS, made on first use


def set_threads(threads):
    """Use this many BLAS threads in train, predict and the rest (None: let the library choose).

    The setting holds for the whole program. It does not change NumPy outside the library. More
    threads than usable cores would only wait for each other: the number is capped, with a warning.
    """
    global _fixed
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, (int, np.integer))
                                or threads < 1):
        raise ValueError(f"threads must be a whole number of at least 1, or None for the library's choice, "
                         f"got {threads!r}")
    if threads is not None and threads > _usable_cores():
        warnings.warn(f"threads={threads}, but this machine lets the program use {_usable_cores()} cores: using "
                      f"{_usable_cores()}. More threads than cores only wait for each other (an epoch of the "
                      f"notes' network took 50 s on 3 threads on 2 cores, against 0.4 s on 2).")
        threads = _usable_cores()
    _fixed = None if threads is None else int(threads)


@contextlib.contextmanager
def fixed_threads(threads):
    """with fixed_threads(n): set_threads(n) inside, the setting before it afterwards (n None: unchanged)."""
    previous = _fixed
    if threads is not None:
        set_threads(threads)
    try:
        yield
    finally:
        set_threads(previous)


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

    def __init__(self, rows, n_in, n_out):
        self.shape = (int(rows), int(n_in), int(n_out))

    def __enter__(self):
        self._original = [library.num_threads for library in _libraries()]
        if _active:                             # inside another blas_threads: do as it did
            self._obey = _active[-1]._obey
        else:                                   # the user's threadpool_limits: not the BLAS's own number
            self._obey = _fixed is None and current_threads() != _natural_threads
        _active.append(self)
        self.choose()
        return self

    def choose(self):
        """Set the number of threads for this work: the user's (set_threads, their threadpool_limits,
        a thread variable, in that order), or the library's choice."""
        if not _libraries() or self._obey:
            self.threads = current_threads()
        else:
            self.threads = _fixed or _variable_threads() or _choice(*self.shape)
            _set(self.threads)
        return self.threads

    def __exit__(self, *exception):
        _active.remove(self)
        for library, threads in zip(_libraries(), self._original):
            library.set_num_threads(threads)


def blas_threads_for(layers, rows):
    """blas_threads for a batch of rows through these layers: the widest layer's product decides."""
    widest = max(layers, key=lambda layer: layer.n_in * layer.n_out)
    return blas_threads(rows, widest.n_in, widest.n_out)


def _choice(rows, inner, columns):
    """One thread for a small product; else the usable cores no other program is running on."""
    cores = min(_usable_cores(), _natural_threads)   # (only called where NumPy's BLAS is controlled)
    if cores == 1 or rows * inner * columns < SMALL_PRODUCT:
        return 1
    busy = _others_running()
    return cores if busy is None else max(1, min(cores, cores - busy))


def _others_running():
    """How many threads of other programs are running or ready to run now (the median of SAMPLES
    looks at Linux's /proc, about 40 microseconds each), or None where there is no /proc."""
    try:
        return int(statistics.median(_runnable() - _own_runnable() for _ in range(SAMPLES)))
    except OSError:
        return None


def _runnable(stat="/proc/stat"):
    """The number of runnable threads on the machine: the procs_running line of /proc/stat."""
    with open(stat, "rb") as f:
        for line in f:
            if line.startswith(b"procs_running "):
                return int(line.split()[1])
    raise OSError(f"{stat} has no procs_running line")


def _own_runnable(tasks="/proc/self/task"):
    """The number of this process's threads that are running now (state R in /proc/self/task)."""
    count = 0
    for task in sorted(os.listdir(tasks)):
        try:
            with open(os.path.join(tasks, task, "stat"), "rb") as f:
                stat = f.read()
        except OSError:                          # the thread ended meanwhile
            continue
        count += stat[stat.rindex(b")") + 2:stat.rindex(b")") + 3] == b"R"   # the state follows the name
    return count


def _set(threads):
    for library in _libraries():
        library.set_num_threads(threads)


def _libraries():
    """threadpoolctl's controllers of the BLAS libraries NumPy has loaded (often one: OpenBLAS)."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            warnings.warn(MISSING)
            _blas = []
        else:
            _blas = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas


def _variable_threads():
    """The number in the first of THREAD_VARIABLES that is set to a positive whole number, at most
    the usable cores (as OpenBLAS reads it at start), or None. Set after NumPy started, it still counts."""
    for variable in THREAD_VARIABLES:
        value = os.environ.get(variable, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), _usable_cores())
    return None


def _usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                      # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


_natural_threads = current_threads()       # what the BLAS started with: a different number is the user's
