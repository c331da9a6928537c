"""Helpers for the training loop: cutting data into mini-batches, one-hot encoding labels, the
checks of inputs, labels and numbers that the other modules share (each error names the argument),
the relative error that compares two gradients, and what a script needs around train (Ctrl-C
stopping it after a batch, and the line that says how it went)."""
import contextlib
import signal
import sys
import threading

import numpy as np


def batch(data, labels, batch_size, order=None):
    """Yield (data[i:i+batch_size], labels[i:i+batch_size]) for i = 0, batch_size, 2 batch_size, ...

    Consecutive slices (views, not copies); the last batch is shorter when batch_size does not
    divide len(data). order: an optional permutation of the row indices to slice instead, so
    that batch k holds the rows order[k*batch_size:(k+1)*batch_size] (gathered per batch; the
    arrays given are never reordered).

    >>> for b_data, b_labels in batch(np.arange(1, 11), np.array(list("abcdefghij")), 3):
    ...     print(b_data, b_labels)
    [1 2 3] ['a' 'b' 'c']
    [4 5 6] ['d' 'e' 'f']
    [7 8 9] ['g' 'h' 'i']
    [10] ['j']
    """
    positive_int(batch_size, "batch_size")
    if len(data) != len(labels):
        raise ValueError(f"data and labels differ in length: {len(data)} samples but {len(labels)} labels")
    for i in range(0, len(data), batch_size):
        if order is None:
            yield data[i:i + batch_size], labels[i:i + batch_size]
        else:
            rows = order[i:i + batch_size]
            yield data[rows], labels[rows]


def one_hot_encode(labels, num_classes, dtype=np.float64):
    """Row n of the result is e_{labels[n]}: 1 in column labels[n], 0 elsewhere.

    labels: integers in [0, num_classes), shape (N,). Returns shape (N, num_classes), dtype dtype.

    >>> one_hot_encode([0, 2, 1, 0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 1.]])
    """
    return np.eye(num_classes, dtype=dtype)[check_labels(labels, num_classes)]


def check_labels(labels, num_classes, name="labels", context=""):
    """labels as an integer array, after checking that they are whole numbers in [0, num_classes).

    Floats that are whole numbers (5.0, as read from a CSV file) become integers; the caller's
    array is not changed.
    """
    labels = np.asarray(labels)
    if labels.size and np.issubdtype(labels.dtype, np.floating):
        whole = np.isfinite(labels) & (labels == np.round(labels))
        if not whole.all():
            raise TypeError(f"{name} must be whole numbers (class indices), found {labels[~whole].flat[0]}")
        labels = labels.astype(np.int64)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"{name} must be integers, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)][0]
        raise ValueError(f"{name} must lie in [0, {num_classes}){context}; found {bad}")
    return labels


def positive_int(value, name):
    """value as an int, after checking that it is a positive integer (bools are not)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)


def check_number(value, name):
    """value as a float, after checking that it is a finite real number (bools and strings are not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def check_positive(value, name):
    """value as a float, after checking that it is a finite number above 0."""
    number = check_number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    return number


def check_non_negative(value, name):
    """value as a float, after checking that it is a finite number, 0 or above."""
    number = check_number(value, name)
    if number < 0:
        raise ValueError(f"{name} must be zero or positive, got {value}")
    return number


def check_fraction(value, name):
    """value as a float, after checking that it lies in [0, 1)."""
    value = check_number(value, name)
    if not 0 <= value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value}")
    return value


def make_rng(rng, name="rng"):
    """np.random.default_rng(rng), with an error naming the argument for anything but a seed or a Generator."""
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a seed (a non-negative integer), a np.random.Generator or None, "
                        f"got {rng!r}") from error


def check_inputs(inputs, n_in, check_values=True):
    """inputs as an array of N rows of n_in numbers, after checking shape, type and (optionally)
    that every value is finite; a wrong shape that holds images gets the reshape that fixes it."""
    X = np.asarray(inputs)
    if X.ndim != 2:
        raise ValueError(f"data must be 2-D (n_samples, n_features), got shape {X.shape}" + reshape_hint(X.shape, n_in))
    if len(X) == 0:
        raise ValueError("data has no samples")
    if X.shape[1] != n_in:
        raise ValueError(f"data has {X.shape[1]} features per sample but the first layer "
                         f"expects {n_in}" + reshape_hint(X.shape, n_in))
    if X.dtype.kind not in "iuf":                # signed or unsigned integers, or floats
        raise TypeError(f"data must be numbers (integer or float), got dtype {X.dtype}")
    if check_values and X.dtype.kind == "f" and not np.all(np.isfinite(X)):
        raise ValueError("data contains NaN or infinite values")
    return X


def reshape_hint(shape, n_in):
    """How to turn images of the given shape into rows of n_in features, if they hold n_in pixels each."""
    if len(shape) == 1 and shape[0] == n_in:
        return f": one sample is one row, use x.reshape(1, {n_in})"
    if len(shape) == 2 and shape[0] * shape[1] == n_in:
        return (f": is it one {shape[0]}x{shape[1]} image? The network takes each image as a row of {n_in} "
                f"pixels: use image.reshape(1, {n_in})")
    if len(shape) == 3 and shape[1] * shape[2] == n_in:
        return (f": {shape[0]} images of {shape[1]}x{shape[2]}; the network takes each image as a row of "
                f"{n_in} pixels: use images.reshape(len(images), {n_in})")
    return ""


def l2_penalty(layers, weight_decay):
    """(weight_decay / 2) sum_l ||W(l)||^2: the L2 penalty whose gradient, weight_decay W, BackProp adds."""
    return 0.5 * weight_decay * sum(float((layer.W ** 2).sum()) for layer in layers) if weight_decay else 0.0


def relative_error(a, b, floor=1e-8):
    """How far apart a and b are, as a share of their size: max|a - b| / max(max|a|, max|b|, floor).

    For two numbers, |a - b| / max(|a|, |b|): 1e-7 means they agree to about 7 digits. For arrays,
    the largest difference over the largest value, so entries near 0 cannot blow it up. Values
    below floor count as 0 (two gradients that are both rounding noise agree). gradient_check,
    the exercises' checker and the tests all compare with this one.

    >>> relative_error(4.0, 5.0)
    0.2
    >>> relative_error(np.array([2.0, 0.0]), np.array([2.0, 1e-12]))
    5e-13
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), floor)
    return float(np.max(np.abs(a - b))) / scale


TRAINING_LINE = "Training (Ctrl-C stops it after the current batch and goes on with the network as it is)"


@contextlib.contextmanager
def stop_on_ctrl_c():
    """While inside, the first Ctrl-C sets the threading.Event this yields (pass it to
    train(..., stop=event): training then ends after its current batch); a second one quits at
    once (exit status 130). The previous handler comes back afterwards. On entering it prints
    TRAINING_LINE, which says so (the demo and the command line both train inside it)."""
    stop = threading.Event()
    print(TRAINING_LINE)

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


def training_summary(history, n_images, seconds):
    """What a script prints after train: where a Ctrl-C stopped it (if one did), then
    'Trained E epochs on N images in S s' (with the batches of an epoch stopped inside), with the BLAS threads where any epoch had more than one
    (history['threads']; the notes' network has one)."""
    lines = []
    if "interrupted" in history:
        where = history["interrupted"]
        lines.append(f"Training interrupted (Ctrl-C) in epoch {where['epoch']}, after batch {where['batch']}: "
                     f"going on with the network as it is.")
    epochs = len(history["loss"])
    trained = f"{epochs} epoch{'' if epochs == 1 else 's'}"
    where = history.get("interrupted")
    if where and where["epoch"] > epochs:                # stopped inside an epoch it did not finish
        part = f"{where['batch']} batch{'' if where['batch'] == 1 else 'es'} of epoch {where['epoch']}"
        trained = part if epochs == 0 else f"{trained} and {part}"
    line = f"Trained {trained} on {n_images} images in {seconds:.2f} s"
    threads = sorted(set(history.get("threads", [])) - {None})
    if threads and threads != [1]:
        fewest, most = threads[0], threads[-1]
        line += f" on {fewest if fewest == most else f'{fewest}-{most}'} BLAS threads"
    lines.append(line)
    return "\n".join(lines)


def evaluation_summary(accuracy, per_class, n_images):
    """What a script prints after evaluate(..., per_class=True): the test accuracy, then one per class."""
    return (f"Test accuracy: {accuracy:.2f}% on {n_images} test images\n"
            "Per digit:    " + "  ".join(f"{digit}: {value:.1f}%" for digit, value in enumerate(per_class)))
