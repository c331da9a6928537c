"""MNIST.py: load the handwritten digits, then train and test the notes' network on them.

    python MNIST.py            # the notes' example: 784 -> 64 ReLU -> 10 Sigmoid, 10 epochs
    python MNIST.py --help     # the options beyond the notes (recipes, your own digits, pictures)

First the notes' demo, as the notes show it: their hyperparameters and demo(). Given options,
the script hands over to Options.py. Below them the loader: load_mnist() reads the four IDX files
from a directory you name (or $MNIST_DATA_DIR), or downloads them once into a cache, checking
their SHA-256. Importing this module runs nothing.
"""
import gzip
import hashlib
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

import Plots
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Utils import evaluation_summary, stop_on_ctrl_c, training_summary

# Hyperparameters, as the notes list them
input_size = 784        # flattened 28x28 images
hidden_size = 64
output_size = 10        # digits 0-9
epochs = 10
batch_size = 32
learning_rate = 0.001
seed = 0                # the initial weights and the order of the batches (not in the notes)


def demo(data_dir=None):
    """Load MNIST, build and train the notes' network, print its test accuracy, draw the 5x5 grid.
    Returns the test accuracy (%)."""
    (train_X, train_y), (test_X, test_y) = load_for_the_demo(data_dir)

    # Neural network creation and training (rng=rng: the same seed gives the same network)
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(rng=rng)
    network.add_layer(Layer_dense(input_size, hidden_size, 'ReLU', rng=rng))
    network.add_layer(Layer_dense(hidden_size, output_size, 'Sigmoid', rng=rng))
    print("Network:", network)
    start = time.perf_counter()
    with stop_on_ctrl_c() as stop:        # prints "Training (Ctrl-C stops it ...)"
        history = network.train(train_X, train_y, epochs, batch_size, learning_rate, stop=stop)
    print(training_summary(history, len(train_X), time.perf_counter() - start))

    # Evaluation: the test accuracy, per digit too, and 25 test digits with the network's answers
    test_accuracy, per_digit = network.evaluate(test_X, test_y, per_class=True)
    print(evaluation_summary(test_accuracy, per_digit, len(test_X)))
    grid = Plots.plot_predictions(test_X[:25], test_y[:25], network.predict(test_X[:25]))
    saved = Plots.show_or_save({"predictions": grid}, report=False)   # a window, or a file if there is no display
    for path in saved.values():
        print(f"Saved the 5x5 grid of test digits to {path.resolve()}")
    return test_accuracy


def load_for_the_demo(data_dir=None, download=True):
    """load_mnist(data_dir, download), saying how long it took; if it fails, the script ends with its message."""
    start = time.perf_counter()
    try:
        (train_X, train_y), (test_X, test_y) = load_mnist(data_dir, download=download)
    except MNISTError as error:
        sys.exit(f"error: {error}")
    print(f"Loaded MNIST: {len(train_X)} training and {len(test_X)} test images "
          f"({time.perf_counter() - start:.2f} s)")
    return (train_X, train_y), (test_X, test_y)


def main(argv=None):
    """python MNIST.py [options]: the notes' demo without options; with options (argv, default
    sys.argv[1:]), Options.main carries them out. Returns the test accuracy (%)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        return demo()
    import Options
    return Options.main(argv, load_for_the_demo)


# ---- The loader: MNIST's four IDX files, read from a folder or downloaded once ------------------

# name: (magic number, shape, SHA-256 of the uncompressed file)
MNIST_FILES = {
    "train-images-idx3-ubyte": (2051, (60000, 28, 28), "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels-idx1-ubyte": (2049, (60000,), "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images-idx3-ubyte": (2051, (10000, 28, 28), "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels-idx1-ubyte": (2049, (10000,), "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)


class MNISTError(RuntimeError):
    """MNIST could not be found, downloaded or read."""


def default_data_dir():
    """$MNIST_DATA_DIR if set, else the per-user cache ($XDG_CACHE_HOME or ~/.cache)/nn-from-scratch/mnist."""
    if os.environ.get("MNIST_DATA_DIR"):
        return Path(os.environ["MNIST_DATA_DIR"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "nn-from-scratch" / "mnist"


def parse_idx(raw, name, magic, shape):
    """The uint8 array stored in the IDX bytes raw, after checking its header against magic and shape."""
    ndim = len(shape)
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise MNISTError(f"{name}: only {len(raw)} bytes, too short for an IDX header; the file is truncated or not MNIST")
    found_magic = int.from_bytes(raw[:4], "big")
    if found_magic != magic:
        raise MNISTError(f"{name}: magic number {found_magic}, expected {magic}; this is not the right IDX file")
    dims = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    if dims != shape:
        raise MNISTError(f"{name}: header says shape {dims}, expected {shape}")
    expected = header_size + int(np.prod(shape))
    if len(raw) != expected:
        raise MNISTError(f"{name}: {len(raw)} bytes, expected {expected}; the file is truncated or corrupt")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def read_idx_file(path, magic, shape):
    """Read one IDX file, gzip-compressed or not, into a uint8 array of the given shape."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
        if raw[:2] == b"\x1f\x8b":                     # gzip's magic bytes
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise MNISTError(f"{path}: cannot read it ({error}); the file is truncated or corrupt") from error
    return parse_idx(raw, str(path), magic, shape)


def find_file(directory, name):
    """The path of name or name.gz in directory, or None."""
    for candidate in (Path(directory) / (name + ".gz"), Path(directory) / name):
        if candidate.is_file():
            return candidate
    return None


def download_file(name, directory, mirrors=MIRRORS, timeout=30, progress=True):
    """Download name.gz into directory from the first mirror that serves it with the right SHA-256.

    The file is written to a temporary file and renamed into place only once it is complete and
    verified, so a failed or interrupted download leaves nothing behind. Returns its path.
    """
    expected_sha = MNIST_FILES[name][2]
    target = Path(directory) / (name + ".gz")
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name + ".gz"
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=name, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as tmp, urllib.request.urlopen(url, timeout=timeout) as response:
                size = int(response.headers.get("Content-Length") or 0) or None
                received = 0
                with tqdm(total=size, unit="B", unit_scale=True, desc=name, disable=not progress, leave=False) as bar:
                    while chunk := response.read(1 << 16):
                        tmp.write(chunk)
                        received += len(chunk)
                        bar.update(len(chunk))
                if size is not None and received != size:
                    raise MNISTError(f"the connection closed after {received} of {size} bytes")
            with open(tmp_name, "rb") as f:
                digest = hashlib.sha256(gzip.decompress(f.read())).hexdigest()
            if digest != expected_sha:
                raise MNISTError(f"SHA-256 {digest} does not match {expected_sha}")
            os.replace(tmp_name, target)
            return target
        except (OSError, EOFError, ValueError, MNISTError) as error:   # URLError and HTTPError are OSErrors
            failures.append(f"{url}: {error}")
        finally:
            if os.path.exists(tmp_name):
                os.remove(tmp_name)
    raise MNISTError(f"could not download {name}.gz:\n  " + "\n  ".join(failures))


def load_mnist(data_dir=None, download=True, mirrors=MIRRORS):
    """Return (train_X, train_y), (test_X, test_y): uint8 arrays of shapes (60000, 784), (60000,),
    (10000, 784) and (10000,); pixels 0..255, each image flattened row by row.

    data_dir: where the IDX files are (default: default_data_dir()). Missing files are downloaded
    there when download is True.

    The arrays are read-only views of the decompressed bytes (no copy is made), so nothing changes the
    data by accident: the notes' loop line `batch_x /= 255.0` raises "output array is read-only"
    (and an integer array could not hold 0..1 in place anyway). Scale into a new array instead,
    `batch_x = batch_x / 255.0`, or leave it to the network, which multiplies by input_scale = 1/255
    itself; `train_X.copy()` gives a writable copy.
    """
    directory = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    arrays = []
    for name, (magic, shape, _) in MNIST_FILES.items():
        path = find_file(directory, name)
        if path is None and download:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                path = download_file(name, directory, mirrors)
            except (OSError, MNISTError) as error:
                raise MNISTError(f"{error}\n{_how_to_provide(directory)}") from None   # all said: no chain
        if path is None:
            raise MNISTError(f"{name} not found in {directory} and downloading is off.\n{_how_to_provide(directory)}")
        arrays.append(read_idx_file(path, magic, shape))
    train_images, train_labels, test_images, test_labels = arrays
    return (train_images.reshape(len(train_images), -1), train_labels), \
           (test_images.reshape(len(test_images), -1), test_labels)


def _how_to_provide(directory):
    """The part of an error message that says how to put the files in place by hand."""
    names = ", ".join(name + ".gz" for name in MNIST_FILES)
    return (f"To provide MNIST by hand, put the four files {names} (gzip-compressed or not) in {directory}, "
            f"or name a folder that holds them: load_mnist(data_dir='folder') in Python, --data-dir folder for "
            f"MNIST.py, or the MNIST_DATA_DIR environment variable for both.")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:            # Ctrl-C outside training (which handles its first one itself)
        print("\nInterrupted: quitting.", file=sys.stderr)
        sys.exit(130)
