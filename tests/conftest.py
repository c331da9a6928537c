"""Shared fixtures. MNIST comes from $MNIST_DATA_DIR (CI sets it to ../shared/mnist)."""
import os
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")   # tests never open windows

REPO = Path(__file__).resolve().parent.parent
collect_ignore_glob = ["right_answers/*", "wrong_answers/*"]   # learners' exercise files: test data, not tests


def find_mnist():
    """The folder the loader reads (MNIST_DATA_DIR, else the download cache the demo fills), or
    ../shared/mnist beside the repository; None if none holds the four files."""
    from MNIST import MNIST_FILES, default_data_dir, find_file
    for candidate in (default_data_dir(), REPO.parent / "shared" / "mnist"):
        if all(find_file(Path(candidate), name) is not None for name in MNIST_FILES):
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mnist_dir():
    """The folder with the real MNIST files. Missing data skips locally but fails under CI."""
    found = find_mnist()
    if found is not None:
        return found
    message = ("MNIST not found: run python MNIST.py once (it downloads MNIST into the cache), or set "
               "MNIST_DATA_DIR to a folder with the four IDX files")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """MNIST loaded once per session, read-only, so that no test (or bug) can change it for the next."""
    from MNIST import load_mnist
    data = load_mnist(mnist_dir, download=False)
    for split in data:
        for array in split:
            array.flags.writeable = False
    return data


@pytest.fixture
def demo(mnist, mnist_dir, monkeypatch):
    """MNIST.main with the session's MNIST instead of reading the files again: call demo([...options]).
    --data-dir is given, so a loader that did run would read the real files."""
    import MNIST
    monkeypatch.setattr(MNIST, "load_mnist", lambda data_dir=None, download=True: mnist)

    def run(options):
        return MNIST.main(["--data-dir", str(mnist_dir), *options])
    return run


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def notes_network(mnist):
    """The notes' network (784 -> 64 ReLU -> 10 Sigmoid, 10 epochs, seed 0) trained once per session
    on all of MNIST's training set, for the tests that need a trained network. Do not change it.
    network.training_warnings: the warnings its training gave (a test checks there are none)."""
    from Options import build_network
    (train_X, train_y), _ = mnist
    network = build_network([64], "ReLU", "Sigmoid", seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = network.train(train_X, train_y, 10, 32, 0.001, verbose=False)
    network.training_warnings = [str(w.message) for w in caught] + [str(w) for w in history["warnings"]]
    return network


@pytest.fixture(scope="session")
def small_network(mnist):
    """The notes' network trained for 2 epochs on MNIST's first 10000 training images (seed 0, well
    under a second): for the tests that need a network that reads digits, not the notes' accuracy."""
    from Options import build_network
    (train_X, train_y), _ = mnist
    network = build_network([64], "ReLU", "Sigmoid", seed=0)
    network.train(train_X[:10000], train_y[:10000], 2, 32, 0.001, verbose=False)
    return network


def pytest_collection_modifyitems(items):
    """Tests that use the notes' network train it on all of MNIST: they are marked `heavy`. The
    walkthrough's TrainingWarnings are its point: it shows each from history['warnings'], which the
    doctest checks, so they are not repeated in the run's summary."""
    for item in items:
        if "notes_network" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.heavy)
        if item.name == "walkthrough.md":
            item.add_marker(pytest.mark.filterwarnings("ignore::Diagnostics.TrainingWarning"))
