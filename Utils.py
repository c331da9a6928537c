"""Helpers for the training loop: cutting data into mini-batches, one-hot encoding labels, the
checks of labels and sizes that the other modules share, and what a script needs around train
(Ctrl-C stopping it after a batch, and the line that says how it went)."""
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


@contextlib.contextmanager
def stop_on_ctrl_c():
    """While inside, the first Ctrl-C sets the threading.Event this yields (pass it to
    train(..., stop=event): training then ends after its current batch); a second one quits at
    once (exit status 130). The previous handler comes back afterwards."""
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


def training_summary(history, n_images, seconds):
    """What a script prints after train: where a Ctrl-C stopped it (if one did), then
    'Trained E epochs on N images in S s', with the BLAS threads where any epoch had more than one
    (history['threads']; the notes' network has one)."""
    lines = []
    if "interrupted" in history:
        where = history["interrupted"]
        lines.append(f"Training interrupted (Ctrl-C) in epoch {where['epoch']}, after batch {where['batch']}: "
                     f"going on with the network as it is.")
    epochs = len(history["loss"])
    line = f"Trained {epochs} epoch{'' if epochs == 1 else 's'} on {n_images} images in {seconds:.2f} s"
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
