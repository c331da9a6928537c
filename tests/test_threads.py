"""The library chooses NumPy's BLAS threads for its work and puts the caller's number back (Threads.py).

The number in force is read back inside the work itself (a layer's Forward, wrapped) through
threadpoolctl, the same mechanism that sets it. Where the choice depends on what other programs
are running, that count is replaced by a fixed one, except in the test that starts one itself.
"""
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import Threads
from Layer_dense import Layer_dense
from Network import NeuralNetwork

NATURAL = Threads._natural_threads
needs_two_threads = pytest.mark.skipif(not NATURAL or NATURAL < 2 or Threads._usable_cores() < 2,
                                       reason="the BLAS starts with one thread here: nothing to choose between")


@pytest.fixture(autouse=True)
def library_chooses(monkeypatch):
    """No thread variables, no fixed number, no remembered choices; the BLAS at its own number."""
    for variable in Threads.THREAD_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(Threads, "_fixed", None)
    if Threads.current_threads() is not None:
        Threads._set(NATURAL)
    yield
    assert Threads._active == []


def blas_threads_now():
    """What threadpoolctl reports for the BLAS (the same libraries Threads controls)."""
    return [library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"][0]


def network(hidden, output="Softmax", dtype=np.float32):
    net = NeuralNetwork(rng=0)
    net.add_layer(Layer_dense(784, hidden, "ReLU", rng=0, dtype=dtype))
    net.add_layer(Layer_dense(hidden, 10, output, rng=1, dtype=dtype))
    return net


def record_threads(net, monkeypatch):
    """A list that gets the BLAS's number of threads each time the network's first layer runs."""
    seen = []
    layer = net.layers[0]
    forward = layer.Forward

    def recording(*args, **kwargs):
        seen.append(blas_threads_now())
        return forward(*args, **kwargs)
    monkeypatch.setattr(layer, "Forward", recording)
    return seen


def others_running(monkeypatch, busy):
    """Make every look at the machine see `busy` threads of other programs (None: no /proc)."""
    looks = []

    def count():
        looks.append(busy)
        return busy
    monkeypatch.setattr(Threads, "_others_running", count)
    return looks


CORES = min(Threads._usable_cores(), NATURAL or 1)
DATA = np.random.default_rng(0).integers(0, 256, (600, 784)).astype(np.uint8)
LABELS = np.arange(600) % 10


pytestmark = pytest.mark.skipif(Threads.current_threads() is None, reason="NumPy's BLAS cannot be controlled here")


@needs_two_threads
def test_the_notes_network_trains_on_one_thread_and_the_number_is_put_back(monkeypatch):
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    looks = others_running(monkeypatch, 0)         # an idle machine: still one thread, without looking
    net.train(DATA, LABELS, 2, 32, 0.001, verbose=False)
    assert set(seen) == {1} and len(seen) > 2 * 600 // 32
    assert looks == []
    assert blas_threads_now() == NATURAL


@needs_two_threads
@pytest.mark.parametrize("busy, expected", [(0, CORES), (None, CORES), (1, CORES - 1), (CORES, 1), (40, 1), (-1, CORES)])
def test_a_wide_network_gets_the_cores_no_other_program_is_running_on(monkeypatch, busy, expected):
    net = network(800)
    seen = record_threads(net, monkeypatch)
    looks = others_running(monkeypatch, busy)
    net.train(DATA, LABELS, 3, 256, 0.001, verbose=False)
    assert set(seen) == {max(expected, 1)}
    assert len(looks) == 3 + 1                     # each epoch looks again (once more on entering)
    assert blas_threads_now() == NATURAL


@needs_two_threads
def test_training_follows_a_program_that_starts_between_epochs(monkeypatch):
    net = network(800)
    seen = record_threads(net, monkeypatch)
    busy = iter([0, 0, CORES, CORES])               # entering, epoch 1, epoch 2, epoch 3
    monkeypatch.setattr(Threads, "_others_running", lambda: next(busy))
    history = net.train(DATA[:256], LABELS[:256], 3, 256, 0.001, verbose=False)
    assert seen[0] == CORES and seen[-1] == 1
    assert history["threads"] == [CORES, 1, 1]     # what each epoch ran on, for a learner to see


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="no /proc here: the library does not look")
def test_another_program_running_is_seen():
    assert Threads._own_runnable() >= 1            # this thread, reading
    burner = subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + 30\nwhile time.time() < end: pass"])
    try:
        time.sleep(0.3)
        assert Threads._others_running() >= 1
    finally:
        burner.kill()
        burner.wait()


def test_without_proc_there_is_no_count(monkeypatch):
    def missing():
        raise OSError("no /proc/stat")
    monkeypatch.setattr(Threads, "_runnable", missing)
    assert Threads._others_running() is None


@needs_two_threads
def test_the_number_is_put_back_when_training_raises(monkeypatch):
    net = network(64, "Sigmoid")
    seen = []

    def broken(batch_x, rng):
        seen.append(blas_threads_now())
        raise RuntimeError("a broken transform")
    with pytest.raises(RuntimeError, match="a broken transform"):
        net.train(DATA, LABELS, 1, 32, 0.001, verbose=False, transform=broken)
    assert seen == [1]
    assert blas_threads_now() == NATURAL


@needs_two_threads
def test_predict_and_evaluate_choose_for_their_own_products(monkeypatch):
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    looks = others_running(monkeypatch, 0)
    net.predict(DATA[:100])                        # 100 x 784 x 64: small, one thread
    assert seen == [1] and looks == []
    big = np.repeat(DATA, 20, axis=0)              # 12,000 rows: in chunks of 8192, a large product
    net.evaluate(big, np.tile(LABELS, 20))
    assert seen[1:] == [CORES, CORES] and looks == [0]
    assert blas_threads_now() == NATURAL


@needs_two_threads
def test_find_learning_rate_chooses_too(monkeypatch):
    net = network(64, "Sigmoid")
    seen = []
    real_forward = NeuralNetwork.forward

    def forward(self, inputs, training=False):
        seen.append(blas_threads_now())
        return real_forward(self, inputs, training)
    monkeypatch.setattr(NeuralNetwork, "forward", forward)    # the range test runs on a copy of net
    net.find_learning_rate(DATA, LABELS, steps=5)
    assert set(seen) == {1}
    assert blas_threads_now() == NATURAL


@needs_two_threads
def test_the_users_own_threadpool_limits_is_obeyed_inside_and_after(monkeypatch):
    net = network(800)
    seen = record_threads(net, monkeypatch)
    looks = others_running(monkeypatch, 0)        # the library would choose all cores
    with threadpool_limits(limits=1, user_api="blas"):
        net.train(DATA, LABELS, 1, 256, 0.001, verbose=False, validation_data=(DATA[:50], LABELS[:50]))
        assert blas_threads_now() == 1
    assert set(seen) == {1} and looks == []        # validation's forward passes too
    assert blas_threads_now() == NATURAL


@needs_two_threads
@pytest.mark.parametrize("variable", Threads.THREAD_VARIABLES)
def test_a_thread_variable_leaves_the_number_alone(monkeypatch, variable):
    monkeypatch.setenv(variable, str(NATURAL))
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert set(seen) == {NATURAL}


@needs_two_threads
def test_set_threads_fixes_the_number_until_it_is_set_back_to_none(monkeypatch):
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    Threads.set_threads(2)
    net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert set(seen) == {2}
    assert blas_threads_now() == NATURAL
    Threads.set_threads(None)
    seen.clear()
    net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert set(seen) == {1}


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_set_threads_refuses_what_is_not_a_number_of_threads(bad):
    with pytest.raises(ValueError, match=rf"threads must be a whole number of at least 1, or None for the "
                                         rf"library's choice, got {bad!r}"):
        Threads.set_threads(bad)
    assert Threads._fixed is None


def test_set_threads_takes_numpy_integers(monkeypatch):
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 8)
    Threads.set_threads(np.int64(3))
    assert Threads._fixed == 3 and type(Threads._fixed) is int


def test_products_just_below_and_at_the_threshold(monkeypatch):
    looks = others_running(monkeypatch, 0)
    rows = Threads.SMALL_PRODUCT // (784 * 10)
    assert rows * 784 * 10 < Threads.SMALL_PRODUCT <= (rows + 1) * 784 * 10
    assert Threads._choice(rows, 784, 10) == 1 and looks == []
    assert Threads._choice(rows + 1, 784, 10) == CORES


def test_one_usable_core_means_one_thread_without_looking(monkeypatch):
    looks = others_running(monkeypatch, 0)
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 1)
    assert Threads._choice(256, 784, 800) == 1 and looks == []


def test_never_more_threads_than_the_blas_started_with(monkeypatch):
    others_running(monkeypatch, 0)
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 64)
    assert Threads._choice(256, 784, 800) == (NATURAL or 1)


def test_the_count_is_the_median_of_several_looks(monkeypatch):
    counts = iter([3, 9, 3, 4, 2])
    monkeypatch.setattr(Threads, "_runnable", lambda: next(counts))
    monkeypatch.setattr(Threads, "_own_runnable", lambda: 1)
    assert Threads._others_running() == 2          # median of 2, 8, 2, 3, 1


def test_without_a_controllable_blas_the_library_trains_as_before(monkeypatch):
    monkeypatch.setattr(Threads, "_blas", [])
    assert Threads.current_threads() is None
    net = network(64, "Sigmoid")
    with Threads.blas_threads_for(net.layers, 32) as threads:
        assert threads.threads is None
    history = net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert len(history["loss"]) == 1 and history["threads"] == [None]


def test_the_widest_layer_decides():
    net = NeuralNetwork()
    net.add_layer(Layer_dense(784, 8, "ReLU", rng=0, dtype=np.float64))       # 6,272 weights
    net.add_layer(Layer_dense(8, 1000, "ReLU", rng=0, dtype=np.float64))      # 8,000
    net.add_layer(Layer_dense(1000, 2, "Softmax", rng=0, dtype=np.float64))   # 2,000
    assert Threads.blas_threads_for(net.layers, 64).shape == (64, 8, 1000)


@needs_two_threads
@pytest.mark.parametrize("options, expected", [(["--threads", "2"], 2), ([], 1)])
def test_the_command_lines_threads_reach_training_and_are_given_back(demo, monkeypatch, options, expected):
    from Network import NeuralNetwork as Network
    seen = []
    real_forward = Network.forward

    def forward(self, inputs, training=False):
        if training:                               # (evaluating 10,000 test images is a large product)
            seen.append(blas_threads_now())
        return real_forward(self, inputs, training)
    monkeypatch.setattr(Network, "forward", forward)
    others_running(monkeypatch, 0)
    demo(["--train-size", "640", "--epochs", "1", "--no-plot", "--quiet", *options])
    assert set(seen) == {expected}
    assert Threads._fixed is None                  # for that run only


def test_fixed_threads_restores_the_setting_before_it_even_after_an_error(monkeypatch):
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 8)
    Threads.set_threads(3)
    with pytest.raises(KeyError):
        with Threads.fixed_threads(2):
            assert Threads._fixed == 2
            raise KeyError("stop")
    assert Threads._fixed == 3
    with Threads.fixed_threads(None):
        assert Threads._fixed == 3
    assert Threads._fixed == 3


def test_without_threadpoolctl_the_library_says_so_once_and_trains(monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)      # import threadpoolctl now fails
    monkeypatch.setattr(Threads, "_blas", None)
    with pytest.warns(UserWarning, match=r"^threadpoolctl is not installed, so the library cannot choose NumPy's "
                                         r"threads: .* Install it: pip install threadpoolctl \(or pip install "
                                         r"-r requirements.txt\)\.$"):
        assert Threads.current_threads() is None
    with warnings.catch_warnings(record=True) as later:
        warnings.simplefilter("always")
        assert Threads._libraries() == []
        history = network(64, "Sigmoid").train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert history["threads"] == [None]
    assert not any("threadpoolctl" in str(warning.message) for warning in later)     # said once


def test_the_library_controls_numpys_own_blas():
    libraries = Threads._libraries()
    Threads._blas = None                               # made again, as on first use
    try:
        again = Threads._libraries()
        assert [library.internal_api for library in again] == [library.internal_api for library in libraries]
        assert [library.filepath for library in again] == [info["filepath"] for info in threadpool_info()
                                                           if info["user_api"] == "blas"]
    finally:
        Threads._blas = libraries
    assert Threads.current_threads() == blas_threads_now() == NATURAL
    Threads._set(1)
    assert Threads.current_threads() == blas_threads_now() == 1
    Threads._set(NATURAL)


def test_set_threads_takes_one_thread():
    Threads.set_threads(1)
    assert Threads._fixed == 1


@needs_two_threads
def test_what_the_users_number_is_is_what_history_reports(monkeypatch):
    with threadpool_limits(limits=1, user_api="blas"):
        history = network(64, "Sigmoid").train(DATA, LABELS, 2, 32, 0.001, verbose=False)
    assert history["threads"] == [1, 1]


def test_a_product_of_exactly_the_threshold_is_large(monkeypatch):
    others_running(monkeypatch, 0)
    assert 1000 * 1000 * 10 == Threads.SMALL_PRODUCT
    assert Threads._choice(1000, 1000, 10) == CORES
    assert Threads._choice(999, 1000, 10) == 1


def test_the_runnable_count_is_read_from_procs_running(tmp_path):
    stat = tmp_path / "stat"
    stat.write_bytes(b"cpu  1 2 3\nprocs_running_total 9\nprocs_running 3\nprocs_blocked 0\n")
    assert Threads._runnable(str(stat)) == 3
    stat.write_bytes(b"cpu  1 2 3\nprocs_blocked 0\n")
    with pytest.raises(OSError, match=f"^{stat} has no procs_running line$"):
        Threads._runnable(str(stat))


def test_own_threads_count_those_in_state_r_even_with_a_parenthesis_in_their_name(tmp_path):
    tasks = {"101": b"101 (python) R 1 101", "102": b"102 (a (b) c) R 1 101", "103": b"103 (x) S 1 101",
             "104": None, "105": b"105 (R) S 1 101", "106": b"106 (y) R 1 101"}
    for task, stat in tasks.items():             # 104 has ended: its folder has no stat any more
        (tmp_path / task).mkdir()
        if stat is not None:
            (tmp_path / task / "stat").write_bytes(stat)
    assert Threads._own_runnable(str(tmp_path)) == 3


def test_without_sched_getaffinity_the_cpu_count_is_used(monkeypatch):
    monkeypatch.delattr(Threads.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(Threads.os, "cpu_count", lambda: 6)
    assert Threads._usable_cores() == 6
    monkeypatch.setattr(Threads.os, "cpu_count", lambda: None)    # unknown: one
    assert Threads._usable_cores() == 1


@needs_two_threads
@pytest.mark.parametrize("value, expected", [("1", 1), (" 2 ", 2), ("64", "cores"), ("abc", "chosen"), ("0", "chosen"),
                                             ("", "chosen")])
def test_a_thread_variable_set_after_numpy_started_counts_too(monkeypatch, value, expected):
    """os.environ['OPENBLAS_NUM_THREADS'] = '1' in a notebook, after NumPy is imported."""
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", value)
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    history = net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    expected = {"cores": CORES, "chosen": 1}.get(expected, expected)     # chosen: the notes' size, one
    assert set(seen) == {expected} and history["threads"] == [expected]
    assert blas_threads_now() == NATURAL


def test_the_first_thread_variable_set_wins(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("MKL_NUM_THREADS", "2")
    assert Threads._variable_threads() == min(2, Threads._usable_cores())
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    assert Threads._variable_threads() == 1
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "0")          # not a number of threads: the next one counts
    assert Threads._variable_threads() == min(2, Threads._usable_cores())


def test_set_threads_wins_over_a_variable(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    Threads.set_threads(CORES)
    with Threads.blas_threads(256, 784, 800) as threads:
        assert threads.threads == blas_threads_now() == CORES


def test_more_threads_than_cores_are_capped_with_a_warning(monkeypatch):
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 2)
    with pytest.warns(UserWarning, match=r"^threads=3, but this machine lets the program use 2 cores: using 2\. "
                                         r"More threads than cores only wait for each other"):
        Threads.set_threads(3)
    assert Threads._fixed == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Threads.set_threads(2)                     # as many as there are: no warning
    assert Threads._fixed == 2


@needs_two_threads
def test_the_command_lines_threads_beyond_the_cores_are_capped(demo, monkeypatch, recwarn):
    demo(["--train-size", "320", "--epochs", "1", "--no-plot", "--quiet", "--threads", "999"])
    assert any("threads=999" in str(warning.message) for warning in recwarn)
