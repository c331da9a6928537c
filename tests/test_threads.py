"""The library chooses NumPy's BLAS threads for its work and puts the caller's number back (Threads.py).

The number in force is read back inside the work itself (a layer's Forward, wrapped) through
threadpoolctl, the same mechanism that sets it. Timings never decide a test: where the choice
depends on timing a product, the timing is replaced by a fixed answer.
"""
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
    monkeypatch.setattr(Threads, "_choices", {})
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


def timed_as(monkeypatch, one, many):
    """Make every timed product take `one` seconds on one thread and `many` on all of them."""
    calls = []

    def product_time(A, B, threads, give_up_above=np.inf):
        calls.append((A.shape, B.shape, threads))
        return one if threads == 1 else many
    monkeypatch.setattr(Threads, "_product_time", product_time)
    return calls


DATA = np.random.default_rng(0).integers(0, 256, (600, 784)).astype(np.uint8)
LABELS = np.arange(600) % 10


pytestmark = pytest.mark.skipif(Threads.current_threads() is None, reason="NumPy's BLAS cannot be controlled here")


@needs_two_threads
def test_the_notes_network_trains_on_one_thread_and_the_number_is_put_back(monkeypatch):
    net = network(64, "Sigmoid")
    seen = record_threads(net, monkeypatch)
    calls = timed_as(monkeypatch, 1.0, 0.1)        # even if all cores were faster: a small product is not timed
    net.train(DATA, LABELS, 2, 32, 0.001, verbose=False)
    assert set(seen) == {1} and len(seen) > 2 * 600 // 32
    assert calls == []
    assert blas_threads_now() == NATURAL


@needs_two_threads
@pytest.mark.parametrize("one, many, expected", [(1.0, 0.5, "all"), (1.0, 0.85, 1), (1.0, 2.0, 1)])
def test_a_wide_network_gets_all_cores_only_if_they_are_clearly_faster(monkeypatch, one, many, expected):
    net = network(800)
    seen = record_threads(net, monkeypatch)
    calls = timed_as(monkeypatch, one, many)
    net.train(DATA, LABELS, 1, 256, 0.001, verbose=False)
    cores = min(Threads._usable_cores(), NATURAL)
    assert set(seen) == {cores if expected == "all" else expected}
    # The product timed is the widest layer's, at the batch's size, in the network's dtype.
    assert calls[0][:2] == ((256, 784), (784, 800)) and {c[2] for c in calls} == {1, cores}
    assert blas_threads_now() == NATURAL


@needs_two_threads
def test_a_real_timing_chooses_one_of_the_two_and_that_is_what_runs(monkeypatch):
    net = network(800)
    seen = record_threads(net, monkeypatch)
    with Threads.blas_threads_for(net.layers, 256) as threads:
        inside = blas_threads_now()
    assert threads.threads in (1, min(Threads._usable_cores(), NATURAL)) and inside == threads.threads
    net.train(DATA, LABELS, 1, 256, 0.001, verbose=False)
    assert len(set(seen)) == 1 and seen[0] in (1, min(Threads._usable_cores(), NATURAL))


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
    calls = timed_as(monkeypatch, 1.0, 0.1)
    net.predict(DATA[:100])                        # 100 x 784 x 64: small, one thread, not timed
    assert seen == [1] and calls == []
    big = np.repeat(DATA, 20, axis=0)              # 12,000 rows: in chunks of 8192, a large product
    net.evaluate(big, np.tile(LABELS, 20))
    cores = min(Threads._usable_cores(), NATURAL)
    assert seen[1:] == [cores, cores]
    assert calls[0][:2] == ((Threads.PROBE_ROWS, 784), (784, 64))     # the probe is capped in rows
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
    calls = timed_as(monkeypatch, 1.0, 0.1)       # the library would choose all cores
    with threadpool_limits(limits=1, user_api="blas"):
        net.train(DATA, LABELS, 1, 256, 0.001, verbose=False, validation_data=(DATA[:50], LABELS[:50]))
        assert blas_threads_now() == 1
    assert set(seen) == {1} and calls == []        # validation's forward passes too
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


def test_set_threads_takes_numpy_integers():
    Threads.set_threads(np.int64(3))
    assert Threads._fixed == 3 and type(Threads._fixed) is int


@needs_two_threads
def test_a_choice_is_reused_for_a_second_then_timed_again(monkeypatch):
    calls = timed_as(monkeypatch, 1.0, 0.1)
    clock = [100.0]
    monkeypatch.setattr(Threads.time, "monotonic", lambda: clock[0])
    shape = (256, 784, 800)
    assert Threads._choice(shape, np.dtype(np.float32)) == 2
    clock[0] += 0.9 * Threads.RECHECK_SECONDS
    assert Threads._choice(shape, np.dtype(np.float32)) == 2
    assert len(calls) == 2                         # one thread and all: timed once
    clock[0] += 0.2 * Threads.RECHECK_SECONDS
    timed_as(monkeypatch, 1.0, 2.0)                # another program started meanwhile
    assert Threads._choice(shape, np.dtype(np.float32)) == 1
    assert Threads._choice(shape, np.dtype(np.float64)) == 1      # each dtype has its own choice


def test_products_just_below_and_at_the_threshold(monkeypatch):
    calls = timed_as(monkeypatch, 1.0, 0.1)
    rows = Threads.SMALL_PRODUCT // (784 * 10)
    assert rows * 784 * 10 < Threads.SMALL_PRODUCT <= (rows + 1) * 784 * 10
    assert Threads._choice((rows, 784, 10), np.dtype(np.float32)) == 1 and calls == []
    expected = 1 if min(Threads._usable_cores(), NATURAL) == 1 else 2
    assert Threads._choice((rows + 1, 784, 10), np.dtype(np.float32)) == expected


def test_one_usable_core_means_one_thread_without_timing(monkeypatch):
    calls = timed_as(monkeypatch, 1.0, 0.1)
    monkeypatch.setattr(Threads, "_usable_cores", lambda: 1)
    assert Threads._choice((256, 784, 800), np.dtype(np.float32)) == 1 and calls == []


def test_a_product_time_is_a_median_or_gives_up_at_once():
    A, B = np.full((64, 64), 0.5), np.full((64, 64), 0.5)
    seconds = Threads._product_time(A, B, 1)
    assert 0 < seconds < 1
    assert Threads._product_time(A, B, 1, give_up_above=0.0) == np.inf
    assert blas_threads_now() == 1
    Threads._set(NATURAL)


def test_without_a_controllable_blas_the_library_trains_as_before(monkeypatch):
    monkeypatch.setattr(Threads, "_blas", [])
    assert Threads.current_threads() is None
    net = network(64, "Sigmoid")
    with Threads.blas_threads_for(net.layers, 32) as threads:
        assert threads.threads is None
    history = net.train(DATA, LABELS, 1, 32, 0.001, verbose=False)
    assert len(history["loss"]) == 1


def test_the_widest_layer_decides():
    net = NeuralNetwork()
    net.add_layer(Layer_dense(784, 8, "ReLU", rng=0, dtype=np.float64))       # 6,272 weights
    net.add_layer(Layer_dense(8, 1000, "ReLU", rng=0, dtype=np.float64))      # 8,000
    net.add_layer(Layer_dense(1000, 2, "Softmax", rng=0, dtype=np.float64))   # 2,000
    chosen = Threads.blas_threads_for(net.layers, 64)
    assert chosen.shape == (64, 8, 1000) and chosen.dtype == np.float64
