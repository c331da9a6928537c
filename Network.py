"""A neural network as a list of Layer_dense layers, trained by mini-batch gradient descent.

The class comes first, the notes' methods in their order. The output layer is paired with the
loss whose gradient with respect to its pre-activation is simply the output error A - Y of the notes:
    Softmax output  <->  categorical cross-entropy  L = -sum_n sum_c Y log A
    Sigmoid output  <->  binary cross-entropy       L = -sum_n sum_c [Y log A + (1 - Y) log(1 - A)]
L is summed over the batch (so are the gradients, as in the notes); train reports L / N. The two
losses are below the class, with train's helpers.

Inputs are raw features, e.g. pixels 0..255: forward, predict, evaluate and train all multiply
them by input_scale (1/255 by default, as the notes' training loop does) into a new array.
"""
import io
import math
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

import Diagnostics
import Trace
from Diagnostics import scaled_twice, warn
from Layer_dense import Layer_dense, activation_name
from Optimizers import get_optimizer, learning_rate_factor
from Threads import blas_threads_for
from Utils import (batch, check_inputs, check_labels, check_non_negative, check_positive, l2_penalty,
                   make_rng, one_hot_encode, positive_int)

# The notes write `from Layer_Dense import Layer_dense` after importing Network; the file is
# Layer_dense.py (one file: macOS and Windows cannot hold two names that differ only in case).
sys.modules.setdefault("Layer_Dense", sys.modules["Layer_dense"])


class NeuralNetwork:
    """Layers applied in order: a(0) = input_scale x,  a(l) = layer_l.Forward(a(l-1)).

    input_scale: multiplies every input first (1/255 maps pixels to [0, 1]); 1 switches it off.
    rng: a seed or np.random.Generator for the per-epoch shuffling in train.
    """

    def __init__(self, input_scale=1 / 255, rng=None):
        self.layers = []
        self.input_scale = check_positive(input_scale, "input_scale")
        self.rng = make_rng(rng)

    def __repr__(self):
        return f"NeuralNetwork({self.layers}, input_scale={self.input_scale})"

    def __str__(self):
        """The layers in one line, e.g. '784x64 ReLU -> 64x10 Sigmoid'."""
        return " -> ".join(f"{layer.n_in}x{layer.n_out} {layer.activation}" for layer in self.layers)

    def add_layer(self, layer):
        """Append a layer; its number of inputs must equal the previous layer's number of outputs."""
        if not isinstance(layer, Layer_dense):
            raise TypeError(f"add_layer expects a Layer_dense, got {type(layer).__name__}")
        if self.layers:
            previous = self.layers[-1]
            if layer.n_in != previous.n_out:
                raise ValueError(f"layer {len(self.layers) + 1} expects {layer.n_in} inputs but "
                                 f"layer {len(self.layers)} has {previous.n_out} outputs")
            if layer.W.dtype != previous.W.dtype:
                raise TypeError(f"layer {len(self.layers) + 1} is {layer.W.dtype} but layer {len(self.layers)} "
                                f"is {previous.W.dtype}: a network computes in one dtype. Likely cause: "
                                f"dtype= was given to some layers only (the default is float32). Try: the same "
                                f"dtype for every layer, e.g. Layer_dense(..., dtype=np.{previous.W.dtype}) "
                                f"for each")
        self.layers.append(layer)

    def forward(self, inputs, training=False):
        """a(0) = input_scale x;  a(l) = g(a(l-1) W(l) + b(l)) for l = 1..L.  Returns a(L).

        inputs (N, n_in of the first layer) -> (N, n_out of the last layer). Each layer caches
        what its BackProp needs; the caller's array is not changed. training: apply the layers'
        dropout (train does; predictions do not).
        """
        A = self._check_inputs(inputs, check_values=False)
        A = np.multiply(A, self.input_scale, dtype=self.layers[0].W.dtype)   # a new array
        for layer in self.layers:
            A = layer.Forward(A, training)
        return A

    def backward(self, loss_gradient, weight_decay=0.0):
        """Backpropagate the output error dL/dZ(L) (A - Y for the paired loss) through every layer.

        loss_gradient (N, n_out) is dZ of the output layer, so the output layer does not apply
        its g'(Z) again. Each layer stores its dW and db; no weights change. weight_decay: the
        lambda of the L2 penalty in loss.
        """
        dA = loss_gradient
        for i in reversed(range(len(self.layers))):
            last = i == len(self.layers) - 1
            dA = self.layers[i].BackProp(dA, output_error=last, input_gradient=i > 0, weight_decay=weight_decay)

    def update_parameters(self, learning_rate, optimizer=None):
        """W <- W - learning_rate dW and b <- b - learning_rate db in every layer: the notes' step.

        optimizer: an object from Optimizers.py (Momentum, Adam...) whose update rule is used instead.
        """
        for layer in self.layers:
            if optimizer is None:
                layer.update_parameters(learning_rate)
            else:
                optimizer.update(layer, learning_rate)

    def predict(self, inputs):
        """Class indices argmax_c a(L)_nc, shape (N,)."""
        return self._output(self._prediction_inputs(inputs)).argmax(axis=1)

    @staticmethod
    def calculate_accuracy(predictions, labels):
        """acc = (1/N) sum_n 1(yhat_n = y_n), a fraction in [0, 1].

        Each argument may be class indices (N,) or a 2-D (N, C) array of one-hot rows or
        probabilities, which counts as its argmax.

        >>> NeuralNetwork.calculate_accuracy([1, 2, 1, 0, 2], [1, 1, 1, 0, 2])
        0.8
        """
        predictions = np.asarray(predictions)
        labels = np.asarray(labels)
        if predictions.ndim == 2:
            _check_outputs(predictions)
            predictions = np.argmax(predictions, axis=1)
        if labels.ndim == 2:
            labels = np.argmax(labels, axis=1)
        if predictions.shape != labels.shape or predictions.ndim != 1:
            raise ValueError(f"predictions and labels do not match: shapes {predictions.shape} and {labels.shape}")
        if len(labels) == 0:
            raise ValueError("cannot compute the accuracy of zero samples")
        return float(np.mean(predictions == labels))

    def evaluate(self, X, y, per_class=False):
        """Accuracy on (X, y) as a percentage, e.g. 97.3. The model does not change.

        per_class: also return an array whose entry c is the percentage of the samples of
        class c classified correctly (NaN for a class with no samples).
        """
        X = self._prediction_inputs(X)
        y = self._check_labels(y, len(X))
        predictions = self._output(X).argmax(axis=1)
        accuracy = 100.0 * self.calculate_accuracy(predictions, y)
        if not per_class:
            return accuracy
        n_out = self.layers[-1].n_out
        samples = np.bincount(y, minlength=n_out)
        correct = np.bincount(y[predictions == y], minlength=n_out)
        with np.errstate(invalid="ignore", divide="ignore"):
            return accuracy, 100.0 * correct / samples

    def train(self, data, labels, epochs, batch_size, learning_rate, *, shuffle=True, verbose=True,
              validation_data=None, optimizer=None, weight_decay=0.0, schedule=None, early_stopping=None,
              transform=None, stop=None, live=False):
        """Mini-batch gradient descent: per epoch, per batch: forward, loss, backward, update.

        data (N, n_in), labels (N,) integers in [0, n_out). Returns the history: per epoch, 'loss'
        (mean per sample) and 'accuracy' (fraction of training samples right), 'val_loss' and
        'val_accuracy' with validation_data, 'threads' (BLAS threads, Threads.py: a seed repeats a
        result exactly at the same counts); and 'warnings', what went wrong (Diagnostics.py), if anything.
        The notes' five arguments come first; the rest are keyword-only and off by default:
        shuffle: a new order each epoch, from self.rng (the caller's arrays are never reordered).
        verbose: a tqdm bar per epoch and a summary line.  validation_data: (X_val, y_val), evaluated
            after each epoch, never trained on.  optimizer: 'sgd' (the notes' step), 'momentum',
            'nesterov', 'adam' or an object from Optimizers.py.  weight_decay: an L2 penalty (the loss
            reported leaves it out).  schedule: 'cosine', 'step' or f(epoch, epochs) -> factor of the rate
            (Optimizers.learning_rate_factor).
        early_stopping: a patience p (needs validation_data): stop after p epochs without a lower
            validation loss and keep the best epoch's weights (history 'best_epoch', 'stopped_epoch').
        transform: f(batch_x, rng) -> an array of its shape, applied to each training batch before the
            forward pass (data augmentation, e.g. Augmentation.random_affine); rng is self.rng.
        stop: an object with is_set() (a threading.Event a Ctrl-C handler sets): training ends after
            the batch it is set in, keeping its update; history['interrupted'] = {'epoch': e, 'batch': k}
            names that batch, from 1 (an epoch stopped before its last batch is not in the lists).
        live: True to watch it learn, one figure updated in place as it trains (Live.py): the running
            loss and accuracy, validation per epoch, a few digits' answers, the first layer's weights;
            without a display it says so once and trains as usual.
        Dropout is set per layer (Layer_dense(..., dropout=p)) and is only active here.
        """
        run = _TrainingRun(self, data, labels, epochs, batch_size, learning_rate, shuffle=shuffle, verbose=verbose,
                           validation_data=validation_data, optimizer=optimizer, weight_decay=weight_decay,
                           schedule=schedule, early_stopping=early_stopping, transform=transform, stop=stop,
                           live=live)
        with blas_threads_for(self.layers, run.batch_size) as threads:     # how many suit: Threads.py
            history = run.start()
            for epoch in range(run.epochs):
                threads.choose()          # again each epoch: another program may have started or stopped
                tally, steps = self._train_epoch(run, epoch)
                finished = steps == run.batches
                if finished:
                    run.record(epoch, tally, threads.threads, history)
                    if run.stops_early(epoch):
                        break
                if run.stop_requested() and not (finished and epoch + 1 == run.epochs):
                    run.interrupted(epoch, steps, finished, history)
                    break
        run.finish(history)
        return history

    def _train_epoch(self, run, epoch):
        """One epoch of the notes' loop: for each mini-batch, forward, loss, backward, update.

        Returns the epoch's _Tally (its loss and correct answers) and how many batches it trained
        (fewer than run.batches once stop is set: training ends after that batch, keeping its update).
        """
        rate = run.learning_rate * learning_rate_factor(run.schedule, epoch, run.epochs)
        order = self.rng.permutation(len(run.X)) if run.shuffle else None    # (the caller's arrays stay as they are)
        tally = _Tally(run.loss_function)
        bar = tqdm(batch(run.X, run.Y, run.batch_size, order), total=run.batches,
                   desc=f"Epoch {epoch + 1}/{run.epochs}", disable=not run.verbose, leave=False)
        for step, (batch_x, batch_Y) in enumerate(bar, start=1):
            if run.transform is not None:
                batch_x = _transformed(run.transform, batch_x, self.rng)
            output = self.forward(batch_x, training=True)                     # 1. forward: a(L)
            _check_finite(output, epoch, step, run.learning_rate)
            tally.add(output, batch_Y)            # 2. loss: L(A, Y), which the tally sums every 100 batches
            self.backward(output - batch_Y, run.weight_decay)   # 3. backward: A - Y is dL/dZ(L) of the summed loss
            self.update_parameters(rate, run.optimizer)                       # 4. update
            if step % 100 == 0 or step == run.batches:
                tally.count()
                bar.set_description(f"Epoch {epoch + 1}/{run.epochs} | {tally}", refresh=False)
                if run.live is not None:
                    run.live.batches(epoch, step, tally.loss / tally.counted, tally.correct / tally.counted)
            if run.stop_requested():
                break
        bar.close()
        return tally, step

    # ---- Beyond the notes: probabilities, the loss, a gradient check, saving and loading -------

    def predict_proba(self, inputs):
        """The output a(L) for every input row, shape (N, n_out)."""
        return self._output(self._prediction_inputs(inputs))

    def layer_outputs(self, inputs):
        """[a(1), ..., a(L)]: what forward computes, every layer's output kept (no dropout).

        inputs (N, n_in) as for forward; entry l has shape (N, n_out of layer l+1). Like forward,
        it leaves each layer's values for BackProp (Diagnostics.unit_statistics puts them back)."""
        A = self._check_inputs(inputs, check_values=False)
        A = np.multiply(A, self.input_scale, dtype=self.layers[0].W.dtype)   # a(0), a new array
        outputs = []
        for layer in self.layers:
            A = layer.Forward(A)
            outputs.append(A)
        return outputs

    def loss(self, output, Y, weight_decay=0.0):
        """The loss paired with the output activation, summed over the batch (see module docstring),
        plus (weight_decay / 2) sum_l ||W(l)||^2 when weight_decay is given."""
        return self._loss_function()(output, Y) + l2_penalty(self.layers, weight_decay)

    def gradient_check(self, X, y, entries=30, h=1e-5, weight_decay=0.0, seed=0, verbose=True):
        """Compare backpropagation's dW and db with centred finite differences of the loss train uses.

        For each checked entry P_i of every W and b:  numerical = (L(P_i + h) - L(P_i - h)) / 2h,
        relative error = |backprop - numerical| / max(|backprop|, |numerical|) (Utils.relative_error;
        values below 1e-8 count as 0). The work is done in Diagnostics.py.
        Works on a float64 copy of the network (this one is never changed; float32 networks work
        too, with their own activation functions, derivatives and dropout rates). X (N, n_in) and
        y (N,) as for train; a few samples suffice. entries: how many entries of each W and b to
        check, chosen at random (seed) when the array is larger, all of them otherwise.
        Dropout layers are checked with one fixed mask (the same random numbers in every forward
        pass). weight_decay: include the L2 penalty, as train(..., weight_decay) does.

        Returns {'W1': error, 'b1': error, 'W2': ...}: the largest relative error per parameter,
        layers counted from 1. verbose: also print a table with a verdict per row: below 1e-6 the
        gradients agree; 1e-6 to 1e-3, look closer (a ReLU kink crossed by h, or rounding); above
        1e-3 the backpropagation of that parameter is wrong.
        """
        return Diagnostics.gradient_check(self, X, y, entries, h, weight_decay, seed, verbose)

    def find_learning_rate(self, data, labels, batch_size=32, start=1e-6, end=10.0, steps=100):
        """The learning-rate range test (Smith 2015; fastai's lr_find), on a copy: this network is untouched.

        A copy of the network takes one training step per mini-batch, with a learning rate that grows
        by the same factor each step, from start to end: r_k = start (end / start)^(k / (steps - 1)).
        The loss per sample of each batch (before its step) is smoothed, s_k = 0.9 s_(k-1) + 0.1 L_k
        (divided by 1 - 0.9^(k+1), so that the first steps are not pulled towards 0). Too small a rate
        leaves the loss flat; a good one makes it fall; too large a one makes it climb: the test stops
        once the smoothed loss is 4 times its minimum (or not finite).

        Returns {'learning_rates': [...], 'losses': [...] (smoothed), 'suggestion': rate}: the
        suggestion is a tenth of the rate at the lowest smoothed loss, safely below where the loss
        turns up. The batches are drawn from the copy's generator, so a seed repeats the result.
        The work is done in Diagnostics.py.
        """
        return Diagnostics.find_learning_rate(self, data, labels, batch_size, start, end, steps)

    def trace(self, x, y, learning_rate=0.001, entries=3, verbose=True):
        """Follow one sample through the notes' equations with this network's numbers, step by step.

        Prints A(0) = input_scale x, then Z(l) = A(l-1) W(l) + b(l) and A(l) = g(Z(l)) for every
        layer, the loss, the output error dZ(L) = A(L) - Y, and for every layer from the last down
        dW(l), db(l), dA(l-1) and dZ(l) = dA(l) * g'(Z(l)), each with its shape and a few entries
        (every entry of a small network), each gradient above the finite differences
        (L(+h) - L(-h)) / 2h of the loss at the same entries; then the update W(l) - learning_rate
        dW(l) each weight would get. The network is not changed. x: one sample (n_in,) or a few
        (N, n_in), raw as for train; y: its label(s). entries: how many entries of a large array to
        print. Dropout is off, as in predict; with several samples the loss and the gradients are
        sums over them, as in train. Returns the values as a dict ('Z1', 'dW2', 'finite
        differences'...); verbose=False prints nothing. The work is done in Trace.py.
        """
        return Trace.trace(self, x, y, learning_rate, entries, verbose)

    def save(self, path):
        """Write the architecture and every W and b to one .npz file (no pickle); see load.

        The file is written under a temporary name and renamed, so an interrupted save never
        destroys a model already at path.
        """
        if not self.layers:
            raise ValueError("the network has no layers; there is nothing to save")
        arrays = {"format_version": np.array(MODEL_FORMAT_VERSION),
                  "activations": np.array([layer.activation for layer in self.layers]),
                  "dropouts": np.array([layer.dropout for layer in self.layers]),
                  "input_scale": np.array(self.input_scale)}
        for i, layer in enumerate(self.layers):
            arrays[f"W{i}"], arrays[f"b{i}"] = layer.W, layer.b
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"cannot save the network to {path}: the folder {path.parent} does not exist")
        buffer = io.BytesIO()                 # the archive is built in memory, then written in one go:
        np.savez(buffer, **arrays)            # a Ctrl-C in between leaves no half-closed zip behind
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(buffer.getvalue())
            os.chmod(temporary, 0o666 & ~_umask())     # as open() would make it (mkstemp's is 0600)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)

    @classmethod
    def load(cls, path):
        """A network read from a file written by save; its predictions are bit-identical."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no model file at {path}")
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":       # .npz files are zip archives
                raise ValueError(f"{path} is not a model file written by NeuralNetwork.save (not an .npz archive)")
        try:
            with np.load(path, allow_pickle=False) as contents:
                arrays = {key: contents[key] for key in contents.files}
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
            raise ValueError(f"{path} is not a model file written by NeuralNetwork.save ({error})") from error
        if "format_version" not in arrays or "activations" not in arrays:
            raise ValueError(f"{path} is not a model file written by NeuralNetwork.save")
        if int(arrays["format_version"]) != MODEL_FORMAT_VERSION:
            raise ValueError(f"{path} has model format version {int(arrays['format_version'])}; "
                             f"this code reads version {MODEL_FORMAT_VERSION}")
        network = cls(input_scale=float(arrays["input_scale"]))
        dropouts = arrays.get("dropouts", np.zeros(len(arrays["activations"])))
        if dropouts.shape != arrays["activations"].shape:
            raise ValueError(f"{path}: {len(dropouts)} dropout rates for {len(arrays['activations'])} layers")
        for i, (name, dropout) in enumerate(zip(arrays["activations"], dropouts)):
            W, b = arrays.get(f"W{i}"), arrays.get(f"b{i}")
            if W is None or b is None or W.ndim != 2 or b.shape != (1, W.shape[1]) or W.dtype != b.dtype:
                raise ValueError(f"{path}: the weights of layer {i + 1} are missing or do not fit together")
            try:
                layer = Layer_dense(W.shape[0], W.shape[1], activation_name(str(name)), dtype=W.dtype,
                                    dropout=float(dropout))
                layer.W, layer.b = W, b
                network.add_layer(layer)
            except (ValueError, TypeError) as error:
                raise ValueError(f"{path}: layer {i + 1}: {error}") from error
        return network

    # ---- Checks and bookkeeping -----------------------------------------------------------------

    def _check_validation_data(self, validation_data):
        """validation_data as a checked pair (X_val, y_val), or None."""
        if validation_data is None:
            return None
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("validation_data must be a pair (X_val, y_val)")
        X_val = self._check_inputs(validation_data[0])
        return X_val, self._check_labels(validation_data[1], len(X_val))

    def _loss_function(self):
        """The loss paired with the output layer's activation (see LOSSES); others cannot be trained."""
        if not self.layers:
            raise ValueError("the network has no layers; add some with add_layer(Layer_dense(...))")
        output = self.layers[-1].activation
        if output not in LOSSES:
            raise ValueError(f"train needs a Sigmoid or Softmax output layer (paired with cross-entropy); "
                             f"the last layer is {output}")
        return LOSSES[output]

    def _output(self, X):
        """a(L) for the checked inputs X, computed PREDICT_CHUNK rows at a time to save memory."""
        chunk = PREDICT_CHUNK
        with blas_threads_for(self.layers, min(len(X), chunk)):
            return np.concatenate([self.forward(X[i:i + chunk]) for i in range(0, len(X), chunk)])

    def _prediction_inputs(self, inputs, training=False):
        """The inputs of predict, predict_proba, evaluate or find_learning_rate, checked; a warning
        (pointing at their caller) if they look scaled already, in words for answers or for training."""
        X = self._check_inputs(inputs)
        message = scaled_twice(X, self.input_scale, training)
        if message is not None:
            warn(message, "scaled_inputs")
        return X

    def _check_inputs(self, inputs, check_values=True):
        """The inputs as an array, after checking shape, type and (optionally) finiteness (Utils.check_inputs)."""
        if not self.layers:
            raise ValueError("the network has no layers; add some with add_layer(Layer_dense(...))")
        return check_inputs(inputs, self.layers[0].n_in, check_values)

    def _check_labels(self, labels, n_samples):
        """The labels as an array of class indices in [0, n_out), after checking them."""
        y = np.asarray(labels)
        if y.ndim == 2 and y.shape[1] == 1:
            raise ValueError(f"labels must be 1-D class indices, got shape {y.shape} (a column). "
                             f"Try: labels.ravel(), which gives shape ({len(y)},)")
        if y.ndim == 2 and y.shape[1] == self.layers[-1].n_out:
            raise ValueError(f"labels must be 1-D class indices, got shape {y.shape}: these look one-hot "
                             f"encoded already. train one-hot encodes the labels itself; "
                             f"try: labels.argmax(axis=1), the class indices")
        if y.ndim != 1:
            raise ValueError(f"labels must be 1-D class indices, got shape {y.shape}")
        if len(y) != n_samples:
            raise ValueError(f"data and labels differ in length: {n_samples} samples but {len(y)} labels")
        n_out = self.layers[-1].n_out
        return check_labels(y, n_out, context=f" for a network with {n_out} outputs")


def _umask():
    """The process's umask (read by setting it, then put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---- The losses, each paired with the output activation whose output error is A - Y ----------------

_LOG_FLOOR = 1e-30   # log(max(A, floor)): a saturated output gives a large finite loss, not inf


def categorical_cross_entropy(A, Y):
    """L = -sum_n sum_c Y_nc log A_nc.  With A = softmax(Z), dL/dZ = A - Y."""
    return -float((Y * np.log(np.maximum(A, _LOG_FLOOR))).sum())


def binary_cross_entropy(A, Y):
    """L = -sum_n sum_c [Y log A + (1 - Y) log(1 - A)].  With A = sigmoid(Z), dL/dZ = A - Y."""
    return -float((Y * np.log(np.maximum(A, _LOG_FLOOR))
                   + (1 - Y) * np.log(np.maximum(1 - A, _LOG_FLOOR))).sum())


LOSSES = {"Softmax": categorical_cross_entropy, "Sigmoid": binary_cross_entropy}   # output activation: its loss


# ---- Helpers of train, and the constants the class uses ----------------------------

PREDICT_CHUNK = 8192  # rows per forward pass in _output (predict, predict_proba, evaluate, validation): bounds memory
MODEL_FORMAT_VERSION = 1   # of the .npz files written by NeuralNetwork.save


def _transformed(transform, batch_x, rng):
    """transform(batch_x, rng), after checking that it kept the batch's shape."""
    result = transform(batch_x, rng)
    if np.shape(result) != batch_x.shape:
        raise ValueError(f"transform must return an array of the batch's shape {batch_x.shape}, "
                         f"got shape {np.shape(result)}")
    return result


def _check_finite(output, epoch, step, learning_rate):
    """Stop training, before this batch's update, if the network's output holds a NaN or infinity."""
    if not math.isfinite(output.sum()):     # one sum: a NaN or infinity anywhere makes it non-finite
        found = "NaN" if np.isnan(output).any() else "infinite values"
        raise FloatingPointError(
            f"the network's output became {found} in epoch {epoch + 1}, batch {step}: training diverged. "
            f"Try a lower learning_rate than {learning_rate}; the weights from before this batch are kept.")


class _TrainingRun:
    """One train call's arguments, checked before any training, and what it does after each epoch.

    Holds train's arguments: X, Y (one-hot targets), the validation pair, epochs, batch_size, learning_rate,
    weight_decay, optimizer (None: the notes' step), schedule, transform, the early stopper
    (None without early_stopping), the loss paired with the output layer, the number of batches
    per epoch and (from start on) the Diagnostics.TrainingWatch that looks for what goes wrong.
    """

    def __init__(self, network, data, labels, epochs, batch_size, learning_rate, *, shuffle, verbose, validation_data,
                 optimizer, weight_decay, schedule, early_stopping, transform, stop, live):
        self.network, self.shuffle, self.verbose, self.stop = network, shuffle, verbose, stop
        self.loss_function = network._loss_function()
        self.X = network._check_inputs(data)
        self.y = y = network._check_labels(labels, len(self.X))
        self.validation = network._check_validation_data(validation_data)
        self.epochs = positive_int(epochs, "epochs")
        self.batch_size = positive_int(batch_size, "batch_size")
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.weight_decay = check_non_negative(weight_decay, "weight_decay")
        self.optimizer = None if optimizer is None else get_optimizer(optimizer)
        self.stopper = None if early_stopping is None else _EarlyStopping(early_stopping, self.validation)
        if transform is not None and not callable(transform):
            raise TypeError(f"transform must be a function f(batch_x, rng), got {transform!r}")
        self.transform = transform
        learning_rate_factor(schedule, 0, self.epochs)          # an unknown schedule fails before training
        self.schedule = schedule
        self.Y = one_hot_encode(y, network.layers[-1].n_out, network.layers[0].W.dtype)   # row n is e_{y_n}
        self.batches = -(-len(self.X) // self.batch_size)
        self.watch = None
        if not isinstance(live, (bool, np.bool_)) and not hasattr(live, "batches"):
            raise TypeError(f"live must be True (watch it learn: Live.py) or False, got {live!r}")
        self.live = live            # start makes the view (Live.start) for True

    def start(self):
        """Before the first epoch: the watch's first look (Diagnostics.TrainingWatch); an empty history."""
        self.watch = Diagnostics.TrainingWatch(self.network, self.X, self.Y, self.learning_rate, self.loss_function,
                                               self.batches)
        self.watch.check_inputs(self.X)
        if self.live:
            import Live
            self.live = Live.start(self.live, self.network, self.X, self.y, self.batches, self.epochs,
                                   self.validation)
        else:
            self.live = None
        return {"loss": [], "accuracy": [], "threads": [], "warnings": self.watch.warnings}

    def record(self, epoch, tally, threads, history):
        """After a finished epoch: its loss, accuracy and threads (and the validation figures) into
        history, the summary line, the watch's checks, the early stopper's record."""
        history["loss"].append(tally.loss / len(self.X))
        history["accuracy"].append(tally.correct / len(self.X))
        history["threads"].append(threads)
        summary = (f"Epoch {epoch + 1}/{self.epochs} completed: Avg. Loss: {history['loss'][-1]:.4f}, "
                   f"Avg. Accuracy: {100 * history['accuracy'][-1]:.2f}%")
        if self.validation is not None:
            val_loss, val_accuracy = self.validate()
            history.setdefault("val_loss", []).append(val_loss)
            history.setdefault("val_accuracy", []).append(val_accuracy)
            summary += f", Val. Loss: {val_loss:.4f}, Val. Accuracy: {100 * val_accuracy:.2f}%"
        if self.verbose:
            print(summary)
        self.watch.after_epoch(epoch + 1, history)
        if self.live is not None:
            self.live.epoch(epoch, history)
        if self.stopper is not None:
            self.stopper.record(self.network, epoch, history["val_loss"][-1])

    def validate(self):
        """The validation loss per sample and the validation accuracy (a fraction) of the network as it is."""
        X_val, y_val = self.validation
        output = self.network._output(X_val)
        Y_val = one_hot_encode(y_val, output.shape[1], output.dtype)
        return self.loss_function(output, Y_val) / len(X_val), \
            self.network.calculate_accuracy(output.argmax(axis=1), y_val)

    def stop_requested(self):
        """True once stop is set (a Ctrl-C, see Utils.stop_on_ctrl_c)."""
        return self.stop is not None and self.stop.is_set()

    def interrupted(self, epoch, steps, finished, history):
        """stop was set during batch steps of epoch: say where in history (and on screen if the epoch
        was cut short, so not recorded)."""
        history["interrupted"] = {"epoch": epoch + 1, "batch": steps}
        if self.verbose and not finished:
            print(f"Epoch {epoch + 1}/{self.epochs} interrupted after batch {steps} of {self.batches}")

    def stops_early(self, epoch):
        """True if early stopping ends training after epoch."""
        return self.stopper is not None and self.stopper.should_stop(epoch)

    def finish(self, history):
        """After the last epoch: the live view's last drawing; early stopping puts the best epoch's
        weights back (none if stopped in epoch 1)."""
        if self.live is not None:
            self.live.finish()
        if self.stopper is not None and self.stopper.best_weights is not None:
            message = self.stopper.restore(self.network, history, self.epochs)
            if self.verbose:
                print(message)


def _check_outputs(predictions):
    """A 2-D predictions for calculate_accuracy must be outputs (a column per class) or one-hot rows:
    images (784 pixels a row, or whole numbers 0..255) would count their brightest pixel as the
    answer, about 0% right."""
    pixels = predictions.shape[1] == 784
    if pixels or (np.issubdtype(predictions.dtype, np.integer) and predictions.size and predictions.max() > 1):
        seen = "784 columns, the pixels of an MNIST image" if pixels else \
            f"whole numbers up to {predictions.max()}"
        raise ValueError(f"predictions of shape {predictions.shape} has {seen}, so it is not the network's outputs "
                         f"(a column per class): it looks like the images themselves. Give the network's answers: "
                         f"calculate_accuracy(network.predict(test_X), test_y), or network.evaluate(test_X, test_y) "
                         f"for the percentage.")


class _Tally:
    """The loss and number of correct answers of an epoch, from the outputs of its batches.

    add keeps each batch's output and one-hot targets (the arrays themselves: train makes new ones
    for every batch and never changes them); count sums the loss and accuracy of the batches kept
    since its last call, in one block: the same numbers as batch by batch, with fewer NumPy calls.
    """

    def __init__(self, loss_function):
        self.loss_function = loss_function
        self.outputs, self.targets = [], []
        self.loss, self.correct, self.counted = 0.0, 0, 0

    def add(self, output, Y):
        self.outputs.append(output)
        self.targets.append(Y)

    def count(self):
        outputs, targets = np.concatenate(self.outputs), np.concatenate(self.targets)
        self.outputs, self.targets = [], []
        self.loss += self.loss_function(outputs, targets)
        self.correct += int(np.count_nonzero(outputs.argmax(axis=1) == targets.argmax(axis=1)))
        self.counted += len(outputs)

    def __str__(self):
        return f"Loss: {self.loss / self.counted:.4f} | Accuracy: {100 * self.correct / self.counted:.2f}%"


class _EarlyStopping:
    """Remembers the weights of the epoch with the lowest validation loss; says when to stop."""

    def __init__(self, patience, validation):
        self.patience = positive_int(patience, "early_stopping")
        if validation is None:
            raise ValueError("early_stopping needs validation_data: the validation loss decides when to stop")
        self.best_loss, self.best_epoch, self.best_weights = math.inf, None, None

    def record(self, network, epoch, val_loss):
        """Keep a copy of network's weights if epoch's validation loss is the lowest so far."""
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch
            self.best_weights = [(layer.W.copy(), layer.b.copy()) for layer in network.layers]

    def should_stop(self, epoch):
        """True once patience epochs have passed without a validation loss below the best one."""
        return epoch - self.best_epoch >= self.patience

    def restore(self, network, history, epochs):
        """Put the best epoch's weights back into network, note it in history; return a summary line."""
        for layer, (W, b) in zip(network.layers, self.best_weights):
            layer.W[...], layer.b[...] = W, b
        stopped = len(history["loss"])
        history["best_epoch"], history["stopped_epoch"] = self.best_epoch + 1, stopped
        kept = (f"kept the weights of epoch {self.best_epoch + 1}, which had the lowest validation loss "
                f"({self.best_loss:.4f})")
        if stopped < epochs:
            return (f"Stopped early after epoch {stopped} of {epochs}: the validation loss had not fallen "
                    f"for {self.patience} epochs; {kept}.")
        return f"Early stopping: trained all {epochs} epochs; {kept}."
