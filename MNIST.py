"""MNIST: load the handwritten digits, then (when run as a script) train and show the notes' network.

    python MNIST.py            # the notes' network: 784 -> 64 ReLU -> 10 Sigmoid, 10 epochs
    python MNIST.py --help     # every option

load_mnist() reads the four IDX files from a directory you name (or $MNIST_DATA_DIR), or
downloads them once into a cache, checking their SHA-256. Importing this module runs nothing.
"""
import os
import sys

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def wants_one_blas_thread(argv, environ):
    """True for the notes' recipe (no --preset, or --preset notes) unless environ sets a BLAS variable.

    The notes' matrices are small (batch 32 x 784 x 64): one BLAS thread trains them faster than
    several, which spend more time handing work between cores than computing (measured in
    benchmarks/train_speed.py). The other presets' larger matrices gain from every core. Set any of
    BLAS_THREAD_VARIABLES yourself to choose otherwise.
    """
    if any(variable in environ for variable in BLAS_THREAD_VARIABLES):
        return False
    preset = "notes"
    for i, arg in enumerate(argv):      # the last one wins; argparse also takes --preset=X and --pres X
        name, equals, value = arg.partition("=")
        if len(name) > 5 and "--preset".startswith(name):
            preset = value if equals else (argv[i + 1] if i + 1 < len(argv) else "notes")
    return preset == "notes"


if __name__ == "__main__" and wants_one_blas_thread(sys.argv[1:], os.environ):
    os.environ.update({variable: "1" for variable in BLAS_THREAD_VARIABLES})     # before NumPy starts

import argparse  # noqa: E402
import contextlib
import functools
import gzip
import hashlib
import signal
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from Layer_dense import Layer_dense
from Network import SCHEDULES, NeuralNetwork
from Optimizers import OPTIMIZERS, Momentum, get_optimizer
from Utils import check_number

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
                raise MNISTError(f"{error}\n{_how_to_provide(directory)}") from error
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
            f"or point --data-dir or the MNIST_DATA_DIR environment variable at a folder that holds them.")


def build_network(hidden_sizes, hidden_activation, output_activation, seed, dropout=0.0, input_dropout=0.0):
    """784 -> hidden_sizes... (hidden_activation) -> 10 (output_activation); seeded weights, shuffling
    and dropout. dropout applies to the hidden layers' outputs, input_dropout to the pixels."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(rng=rng)
    sizes = [784, *hidden_sizes, 10]
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        activation = output_activation if i == len(sizes) - 2 else hidden_activation
        network.add_layer(Layer_dense(n_in, n_out, activation, rng=rng, dropout=input_dropout if i == 0 else dropout))
    return network


def random_affine(images, rng, rotation=11.0, scale=0.1, shear=0.15, shift=2.0, elastic=0.0):
    """Each image turned, scaled, sheared and shifted by its own random amount: data augmentation.

    images (N, 784) with pixels 0..255 (any side x side images flattened; unchanged) -> a new
    float32 array of the same shape. rng: a seed or np.random.Generator. Each argument is the
    largest deviation, drawn uniformly per image: rotation in degrees, scale as a fraction
    (0.1: 0.9 to 1.1 times the size), shear (x += shear * y), shift in pixels along each axis.
    elastic: the standard deviation, in pixels, of an extra smooth random displacement of every
    pixel (a rubber-sheet wobble, as in Simard et al. 2003's elastic distortions; 0 is off).
    All zero gives the images back unchanged. Pass it to train as transform=random_affine.
    """
    images = np.asarray(images)
    if images.ndim != 2:
        raise ValueError(f"images must be 2-D (n_images, n_pixels), got shape {images.shape}")
    for name, value in (("rotation", rotation), ("scale", scale), ("shear", shear), ("shift", shift),
                        ("elastic", elastic)):
        if check_number(value, name) < 0:
            raise ValueError(f"{name} must be zero or positive, got {value!r}")
    if scale >= 1:
        raise ValueError(f"scale must be below 1 (a fraction of the size), got {scale}")
    rng = np.random.default_rng(rng)
    n = len(images)
    angle = np.deg2rad(rng.uniform(-rotation, rotation, n))
    zoom = 1 + rng.uniform(-scale, scale, n)
    slant = rng.uniform(-shear, shear, n)
    offset = rng.uniform(-shift, shift, (n, 2))
    cos, sin, zeros, ones = np.cos(angle), np.sin(angle), np.zeros(n), np.ones(n)
    # Per image, in (row, column) coordinates: rotate @ slant @ zoom, each (n, 2, 2).
    rotate = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], 1)
    slant = np.stack([np.stack([ones, zeros], -1), np.stack([slant, ones], -1)], 1)   # column += shear * row
    forward = rotate @ slant * zoom[:, None, None]
    displacement = smooth_displacement(rng, n, images.shape[1], elastic) if elastic else None
    return affine_warp(images, forward, offset, displacement)


def smooth_displacement(rng, n, n_pixels, size, spacing=6.0):
    """n random displacement fields (n, 2, n_pixels) of (row, column) shifts: smooth, with standard
    deviation size pixels. Normal noise N on a coarse grid of control points spacing pixels apart,
    spread over the image by Gaussian weights U (side, k), rows of unit length: field = U N U^T,
    computed for all fields at once as N flattened times kron(U, U)^T."""
    side = int(round(np.sqrt(n_pixels)))
    spread = _displacement_basis(side, spacing)                                  # (side*side, k*k)
    noise = rng.standard_normal((2 * n, spread.shape[1]), dtype=np.float32)
    return (noise @ (size * spread.T)).reshape(n, 2, n_pixels)


@functools.lru_cache(maxsize=8)
def _displacement_basis(side, spacing):
    """kron(U, U) for smooth_displacement: U[i, j] = exp(-(i - c_j)^2 / 2 spacing^2), rows normalised."""
    controls = np.arange(-spacing, side + spacing, spacing)                      # (k,)
    U = np.exp(-0.5 * ((np.arange(side)[:, None] - controls[None, :]) / spacing) ** 2)
    U /= np.linalg.norm(U, axis=1, keepdims=True)                                # (side, k)
    return np.kron(U, U).astype(np.float32)


def affine_warp(images, matrices, offsets, displacement=None):
    """Images moved by p -> matrices[k] @ (p - c) + c + offsets[k], sampled bilinearly.

    images (N, side*side); matrices (N, 2, 2) and offsets (N, 2) act on (row, column) pixel
    coordinates, c being the image's centre ((side - 1) / 2 in both). Each output pixel p takes
    the value at the source point matrices[k]^-1 (p - c - offsets[k]) + c (plus
    displacement[k, :, p] if given, shape (N, 2, side*side)), interpolated from its four
    neighbours; outside the image counts as 0. Returns float32 of the same shape.
    """
    n, n_pixels = images.shape
    side = int(round(np.sqrt(n_pixels)))
    if side * side != n_pixels:
        raise ValueError(f"cannot treat {n_pixels} pixels as a square image")
    centre = (side - 1) / 2
    (a, b), (c, d) = np.moveaxis(matrices, 0, -1)[:, :, :, None]                    # each (n, 1)
    determinant = a * d - b * c
    # The 2x2 inverse (d, -b; -c, a) / determinant, and where it takes the offset: (n, 1) each.
    inverse = [[(d / determinant).astype(np.float32), (-b / determinant).astype(np.float32)],
               [(-c / determinant).astype(np.float32), (a / determinant).astype(np.float32)]]
    moved = [inverse[i][0] * offsets[:, :1] + inverse[i][1] * offsets[:, 1:] for i in (0, 1)]
    row, column = np.indices((side, side), dtype=np.float32).reshape(2, -1) - centre   # each (side*side,)
    # The source point of every output pixel, in pixels of a padded image (see below): (n, side*side).
    sources = []
    for i in (0, 1):
        source = inverse[i][0] * row + inverse[i][1] * column
        source -= moved[i].astype(np.float32)
        if displacement is not None:
            source += displacement[:, i]
        np.clip(source, -1 - centre, side - centre, out=source)
        source += centre + 1
        sources.append(source)
    # The images on a zero border, one pixel wide before them and two after, so that the four
    # neighbours of any source point clipped to [-1, side] lie inside: outside reads zeros.
    width = side + 3
    padded = np.zeros((n, width, width), dtype=np.float32)
    padded[:, 1:side + 1, 1:side + 1] = images.reshape(n, side, side)
    top, left = np.floor(sources[0]), np.floor(sources[1])
    down, right = sources[0] - top, sources[1] - left                                # in [0, 1)
    index = (top * width + left).astype(np.intp)
    index += (np.arange(n) * width * width)[:, None]
    flat = padded.reshape(-1)
    # The four neighbours, from views of flat shifted by 1 (right), width (below) or both.
    top_left, top_right = np.take(flat, index), np.take(flat[1:], index)
    bottom_left, bottom_right = np.take(flat[width:], index), np.take(flat[width + 1:], index)
    upper = top_left + (top_right - top_left) * right
    lower = bottom_left + (bottom_right - bottom_left) * right
    return upper + (lower - upper) * down


PLOTS = {"predictions": "the 5x5 grid of test digits", "history": "the training curves",
         "confusion": "the confusion matrix", "mistakes": "the misclassified test digits",
         "weights": "the first layer's weights", "augmented": "training digits before and after augmentation"}


# Training recipes. 'notes' is the notes' configuration (the defaults below); the others add the
# ingredients beyond the notes and were tuned on a validation split of the training set.
PRESETS = {
    "notes": {},
    "quick": dict(hidden=[256], output_activation="Softmax", epochs=12, batch_size=128, learning_rate=0.0008,
                  optimizer="momentum", schedule="cosine"),
    "best": dict(hidden=[800, 800], output_activation="Softmax", epochs=60, batch_size=256, learning_rate=0.0006,
                 optimizer="momentum", schedule="cosine", dropout=0.2, input_dropout=0.0, augment=True, elastic=1.0),
}


def parse_args(argv=None):
    """The command line (argv, default sys.argv[1:]) as a Namespace, with the chosen preset's settings."""
    p = argparse.ArgumentParser(description="Train a fully connected network on MNIST with NumPy alone "
                                            "(defaults: the notes' configuration).")
    p.add_argument("--preset", choices=PRESETS, default="notes",
                   help="a training recipe: notes (the default), quick or best; other options override its settings")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=0.001,
                   help="step size; gradients are summed over the batch (default: %(default)s)")
    p.add_argument("--hidden", type=int, nargs="*", default=[64], metavar="SIZE",
                   help="hidden layer sizes, e.g. --hidden 128 64 (default: 64)")
    p.add_argument("--hidden-activation", default="ReLU", help="Sigmoid, ReLU, LeakyReLU or Tanh (default: ReLU)")
    p.add_argument("--output-activation", default="Sigmoid", help="Sigmoid or Softmax (default: Sigmoid)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                   help="the update rule: sgd (the notes' step, the default), momentum, nesterov or adam")
    p.add_argument("--momentum", type=float, default=None,
                   help="momentum mu of --optimizer momentum or nesterov (default: 0.9); alone, it means "
                        "--optimizer momentum")
    p.add_argument("--nesterov", action="store_true", help="Nesterov's form of momentum")
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2 penalty lambda (default: 0, off)")
    p.add_argument("--schedule", choices=SCHEDULES, default="constant",
                   help="how the learning rate changes from epoch to epoch (default: constant)")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout probability of hidden units (default: 0)")
    p.add_argument("--input-dropout", type=float, default=0.0, help="dropout probability of pixels (default: 0)")
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=False,
                   help="train on randomly turned, scaled, sheared and shifted digits (random_affine), "
                        "new ones every epoch")
    p.add_argument("--elastic", type=float, default=0.0, metavar="PIXELS",
                   help="with --augment, also a smooth random displacement of this size (default: 0, off)")
    p.add_argument("--early-stopping", type=int, default=None, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a lower validation loss and keep the best "
                        "epoch's weights (needs --validation-size)")
    p.add_argument("--seed", type=int, default=0, help="seed for the weights, shuffling and dropout (default: 0)")
    p.add_argument("--train-size", type=int, default=60000, metavar="N",
                   help="train on the first N training images only, for quick experiments (default: all 60000)")
    p.add_argument("--validation-size", type=int, default=0, metavar="N",
                   help="hold out the last N training images to report validation loss and accuracy "
                        "per epoch (the test set is never used for this; default: 0)")
    p.add_argument("--data-dir", help="folder with the MNIST IDX files (default: $MNIST_DATA_DIR or the cache)")
    p.add_argument("--no-download", action="store_true", help="fail instead of downloading missing files")
    p.add_argument("--save-model", metavar="PATH", help="save the trained network to this .npz file")
    p.add_argument("--load-model", metavar="PATH", help="skip training: evaluate (and plot) a saved network")
    p.add_argument("--plots", nargs="+", choices=(*PLOTS, "all"), default=["predictions"], metavar="NAME",
                   help=f"pictures to produce: {', '.join(PLOTS)} or all (default: predictions, the 5x5 grid)")
    p.add_argument("--figure-dir", metavar="DIR", help="save the pictures here as mnist_<name>.png "
                                                       "(without a display they go to the current folder)")
    p.add_argument("--save-figure", metavar="PATH", help="save the 5x5 grid to this file")
    p.add_argument("--no-plot", action="store_true", help="no pictures at all")
    p.add_argument("--predict", nargs="+", metavar="FILE",
                   help="after training (or --load-model), read these PNG or JPEG images of handwritten digits "
                        "and print what the network thinks each is (and draw it, unless --no-plot)")
    p.add_argument("--draw", action="store_true",
                   help="after training (or --load-model), open a window to draw digits in and watch the "
                        "network read them (needs a display)")
    p.add_argument("--quiet", action="store_true", help="no progress bars or epoch summaries")
    preset = p.parse_known_args(argv)[0].preset
    p.set_defaults(**PRESETS[preset])       # the preset's settings; options given explicitly still win
    return p.parse_args(argv)


def make_figures(names, network, history, test_X, test_y, probabilities, train_X=None, seed=0, transform=None):
    """The pictures named in names, as {name: Figure}. 'augmented' shows train_X's first digits
    through transform (default random_affine), drawn with seed."""
    transform = transform or random_affine
    import Plots
    predictions = probabilities.argmax(axis=1)
    makers = {
        "predictions": lambda: Plots.plot_predictions(test_X[:25], test_y[:25], predictions[:25]),
        "history": lambda: Plots.plot_history(history) if history else None,
        "confusion": lambda: Plots.plot_confusion_matrix(Plots.confusion_matrix(test_y, predictions, 10)),
        "mistakes": lambda: Plots.plot_misclassified(test_X, test_y, probabilities),
        "weights": lambda: Plots.plot_first_layer_weights(network),
        "augmented": lambda: Plots.plot_augmented(train_X[:10], transform(train_X[:10], np.random.default_rng(seed))),
    }
    figures = {name: makers[name]() for name in names}
    return {name: fig for name, fig in figures.items() if fig is not None}


def describe(network):
    """One line per network, e.g. '784x64 ReLU -> 64x10 Sigmoid'."""
    return " -> ".join(f"{layer.n_in}x{layer.n_out} {layer.activation}" for layer in network.layers)


@contextlib.contextmanager
def stop_on_ctrl_c():
    """While inside, the first Ctrl-C sets the threading.Event this yields (train then stops after
    its current batch); a second one quits at once. The previous handler comes back afterwards."""
    stop = threading.Event()

    def handler(signum, frame):
        if stop.is_set():
            print("\nCtrl-C again: quitting.", file=sys.stderr, flush=True)
            raise SystemExit(130)             # at once, and without a traceback
        stop.set()
        print("\nCtrl-C: stopping after this batch (press it again to quit at once).", file=sys.stderr, flush=True)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:                        # not the main thread: leave Ctrl-C alone
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def augmentation(args):
    """The transform that --augment and --elastic describe (None without --augment)."""
    if not args.augment:
        return None
    if args.elastic:
        return lambda images, rng: random_affine(images, rng, elastic=args.elastic)
    return random_affine


def make_optimizer(args):
    """The optimiser that --optimizer, --momentum and --nesterov describe."""
    name = args.optimizer
    if name == "sgd" and (args.momentum or args.nesterov):      # --momentum or --nesterov alone
        name = "momentum"
    if args.nesterov and name == "momentum":
        name = "nesterov"
    if name in ("momentum", "nesterov"):
        return Momentum(0.9 if args.momentum is None else args.momentum, nesterov=name == "nesterov")
    if args.momentum or args.nesterov:
        raise ValueError(f"--momentum and --nesterov apply to --optimizer momentum or nesterov, not {name}")
    return get_optimizer(name)


def check_sizes(args, n_images=60000):
    """--train-size, --validation-size and --early-stopping fit together and n_images; else ValueError.
    Returns how many of the n_images are used (training and validation)."""
    if args.train_size <= 0:
        raise ValueError(f"--train-size must be positive, got {args.train_size}")
    available = min(args.train_size, n_images)
    if not 0 <= args.validation_size < available:
        raise ValueError(f"--validation-size must lie in [0, {available}), got {args.validation_size}")
    if args.early_stopping is not None and not args.validation_size:
        raise ValueError("--early-stopping needs --validation-size: the validation loss decides when to stop")
    return available


def train(network, args, train_X, train_y):
    """Train on the first --train-size images, less the last --validation-size ones (held out for
    validation); save the network if asked. Returns the history."""
    optimizer = make_optimizer(args)
    available = check_sizes(args, len(train_X))
    if args.preset != "notes":
        print(f"Preset {args.preset}: {args.epochs} epochs, batch {args.batch_size}, learning rate "
              f"{args.learning_rate} ({args.schedule}), {optimizer}, weight decay {args.weight_decay}, "
              f"dropout {args.dropout} (input {args.input_dropout}){', augmented' if args.augment else ''}")
    n_train = available - args.validation_size
    validation = (train_X[n_train:available], train_y[n_train:available]) if args.validation_size else None
    start = time.perf_counter()
    with stop_on_ctrl_c() as stop:
        print("Training (Ctrl-C stops it after the current batch and goes on with the network as it is)")
        history = network.train(train_X[:n_train], train_y[:n_train], args.epochs, args.batch_size,
                                args.learning_rate, verbose=not args.quiet, validation_data=validation,
                                optimizer=optimizer, weight_decay=args.weight_decay, schedule=args.schedule,
                                early_stopping=args.early_stopping, transform=augmentation(args), stop=stop)
    if "interrupted" in history:
        where = history["interrupted"]
        print(f"Training interrupted (Ctrl-C) in epoch {where['epoch']}, after batch {where['batch']}: "
              f"going on with the network as it is.")
    print(f"Trained {len(history['loss'])} epochs on {n_train} images in {time.perf_counter() - start:.2f} s")
    if args.save_model:
        network.save(args.save_model)
        print(f"Saved the network to {args.save_model}")
    return history


def main(argv=None):
    """The demo: load, build (or load) a network, train, report, draw. Returns the test accuracy (%)."""
    args = parse_args(argv)
    if args.draw:                      # say it now, not after minutes of training
        import Draw
        if not Draw.interactive_backend():
            sys.exit("error: " + Draw.no_display_message())
    try:                               # options, model file and network first, then the data
        if args.load_model:
            network = NeuralNetwork.load(args.load_model)
        else:
            make_optimizer(args)
            check_sizes(args)
            network = build_network(args.hidden, args.hidden_activation, args.output_activation, args.seed,
                                    args.dropout, args.input_dropout)
    except (ValueError, TypeError, OSError) as error:
        sys.exit(f"error: {error}")
    start = time.perf_counter()
    try:
        (train_X, train_y), (test_X, test_y) = load_mnist(args.data_dir, download=not args.no_download)
    except MNISTError as error:
        sys.exit(f"error: {error}")
    print(f"Loaded MNIST: {len(train_X)} training and {len(test_X)} test images "
          f"({time.perf_counter() - start:.2f} s)")

    history = None
    try:
        if args.load_model:
            print(f"Loaded the network from {args.load_model}")
        print("Network:", describe(network))
        if not args.load_model:
            history = train(network, args, train_X, train_y)
        accuracy, per_class = network.evaluate(test_X, test_y, per_class=True)
    except (ValueError, TypeError, FloatingPointError, OSError) as error:
        sys.exit(f"error: {error}")
    print(f"Test accuracy: {accuracy:.2f}% on {len(test_X)} test images")
    print("Per digit:    " + "  ".join(f"{digit}: {value:.1f}%" for digit, value in enumerate(per_class)))

    own_digits, unread = predict_files(network, args.predict, plot=not args.no_plot) if args.predict else (None, 0)

    if not args.no_plot:
        import Plots
        names = tuple(PLOTS) if "all" in args.plots else tuple(dict.fromkeys(args.plots))
        figures = make_figures(names, network, history, test_X, test_y, network.predict_proba(test_X),
                               train_X, args.seed, augmentation(args))
        if own_digits is not None:
            figures["digits"] = own_digits
        paths = {"predictions": args.save_figure} if args.save_figure else None
        for name, path in Plots.show_or_save(figures, args.figure_dir, paths).items():
            print(f"Saved {PLOTS.get(name, 'your digits and the answers')} to {path.resolve()}")
    if args.draw:
        import matplotlib.pyplot as plt
        import Draw
        pad = Draw.DigitPad(network)   # noqa: F841 (kept alive while the window is open)
        print("Draw a digit with the left mouse button; right click or 'c' clears; close the window to quit.")
        plt.show()
    if unread:
        sys.exit(f"error: {unread} of the {len(args.predict)} image files could not be read (see above)")
    return accuracy


def predict_files(network, paths, plot=True):
    """Print one line per image file: its name, the predicted digit and the three most likely ones.

    Files that cannot be read are reported and skipped. Returns a figure of the images, what the
    network saw and its outputs (None if plot is False or no file could be read), and the number
    of files that could not be read.
    """
    import Draw
    names, images, digits, outputs = [], [], [], []
    for path in paths:
        try:
            image = Draw.read_image(path)
            digit = Draw.preprocess_digit(image)
        except (OSError, ValueError, TypeError) as error:
            print(f"{path}: error: {error}", file=sys.stderr)
            continue
        output = network.predict_proba(digit.reshape(1, -1))[0]
        print(f"{path}: {int(np.argmax(output))}  ({Draw.top_classes(output)})")
        names.append(Path(path).name)
        images.append(image)
        digits.append(digit)
        outputs.append(output)
    figure = Draw.plot_digit_predictions(names, images, digits, outputs) if plot and names else None
    return figure, len(paths) - len(names)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:            # Ctrl-C outside training (which handles its first one itself)
        print("\nInterrupted: quitting.", file=sys.stderr)
        sys.exit(130)
