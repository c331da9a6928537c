"""Tools that look inside a network: what train notices when training goes wrong (said once, in
plain words), the gradient check, and the learning-rate range test.

A learner's run that fails rarely crashes: it ends at 10% accuracy without a word. train watches
for the usual causes and warns (TrainingWarning, shown by default) with what happened, the likely
cause and one thing to try:

    scaled_inputs     inputs that already lie in 0..1 while the network divides by 255 again
    dead_units        most units of a hidden ReLU layer give 0 for every sample (they never learn again)
    saturated_units   most units of a hidden Sigmoid or Tanh layer sit where their slope is ~0
    saturated_output  every output near 0 or 1 while the loss is far above its start (a rate far too high)
    loss_growing      the training loss grew two epochs in a row, to well above its lowest
    no_progress       after an epoch, accuracy near chance, or (untrained at the start) the loss hardly lower

The checks look at a fixed probe of the training data (PROBE_SIZE samples spread over it) once
before training and once after each epoch, never per batch, so they cost well under 1% of an
epoch. Each cause is said at most once per train call, and is kept in history['warnings']. The
checks of units need at least MIN_PROBE samples (with a handful, a unit silent on all of them
is chance), and no_progress waits for MIN_STEPS training steps (one batch is no test).
unit_statistics, which the checks use, also titles Plots.plot_activations.

Below the checks: gradient_check (backpropagation against finite differences of the loss) and
find_learning_rate (the range test), which NeuralNetwork.gradient_check and
NeuralNetwork.find_learning_rate call: both work on a copy, so the network is never changed.
"""
import copy
import math
import os
import sys
import warnings

import numpy as np

from Threads import blas_threads_for
from Utils import check_number, l2_penalty, one_hot_encode, positive_int, relative_error


class TrainingWarning(UserWarning):
    """A warning from train about a run that is going wrong. cause: one of the names above; epoch:
    the epoch after which it was noticed (0: before training). str() is the message."""

    def __init__(self, message, cause, epoch=0):
        super().__init__(message)
        self.cause = cause
        self.epoch = epoch


# Shown every time, not once per line of code: a learner who repeats a mistake in a notebook
# should hear about it again. (Appended, so a filter the user sets still wins.)
warnings.filterwarnings("always", category=TrainingWarning, append=True)

# The files whose lines a warning never points at: it points at the line that called into them.
LIBRARY_FILES = {os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
                 for name in ("Network.py", "Diagnostics.py", "Trace.py", "Plots.py", "Live.py", "Draw.py")}


def warn(message, cause, epoch=0):
    """Show a TrainingWarning at the first line outside the LIBRARY_FILES (the learner's
    call of train, predict...), and return it."""
    warning = TrainingWarning(message, cause, epoch)
    warn_at_caller(warning)
    return warning


def warn_at_caller(warning):
    """Show warning (an instance of a Warning class) at the first line outside the LIBRARY_FILES."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and os.path.abspath(frame.f_code.co_filename) in LIBRARY_FILES:
        frame, level = frame.f_back, level + 1
    warnings.warn(warning, stacklevel=level)

PROBE_SIZE = 512          # training samples the checks look at
MOST = 0.5                # "most units": more than this share of a layer's units
NARROW = 8                # a hidden layer of fewer units than this is narrow: dead units are its width's fault
SATURATION = 0.01         # a hidden unit is saturated within this distance of its limits (0, 1 or -1, 1)
OUTPUT_SATURATION = 1e-3  # an output is saturated within this distance of 0 or 1
LOSS_FAR_ABOVE = 2.0      # "far above its start": more than this many times the initial loss
LOSS_REGROWN = 1.5        # loss_growing: grown two epochs in a row, to this many times its lowest
                          # (and by a tenth of the initial loss: wiggles of a loss near 0 are not growth)
LITTLE_PROGRESS = 0.9     # no_progress: the loss still above this share of its start
NEAR_CHANCE = 1.2         # accuracy below this many times chance (1 / number of classes) is no better
MIN_PROBE = 100           # fewer samples than this: no verdict on units
MIN_STEPS = 100           # fewer training steps than this: no verdict on progress


def scaled_twice(X, input_scale, training=True):
    """The warning's message if X already lies in 0..1 while input_scale shrinks it again, else None.

    Raw pixels 0..255 times input_scale 1/255 give 0..1; pixels already divided by 255 would give
    0..0.004, a picture almost as blank as no picture at all. The message says what that does to
    training (the network learns slowly) or, with training=False, to the answers (they are wrong)."""
    if input_scale > 0.01 or X.size == 0 or X[::max(1, len(X) // PROBE_SIZE)].max() > 1:
        return None                       # (raw pixels show it in a few rows: no pass over all of X)
    low, high = float(X.min()), float(X.max())
    if not (0 <= low and 0 < high <= 1):
        return None
    scale = "1/255" if math.isclose(input_scale * 255, 1) else f"{input_scale:g}"
    effect = ("learns slowly or not at all" if training else
              "reads an almost blank picture: its answers are wrong however well it was trained")
    return (f"the inputs already lie in 0..1 (the largest is {high:g}), but this network multiplies every input "
            f"by input_scale = {scale} first, as the notes' loop does, so it sees them scaled twice "
            f"(0..{high * input_scale:.2g}) and {effect}. Likely cause: the pixels were divided "
            f"by 255 before they were passed in. Try: pass the raw pixels 0..255, as load_mnist returns them "
            f"(or build the network with NeuralNetwork(input_scale=1) for data you have scaled yourself).")


def unit_statistics(network, X):
    """Per layer, from the first: a(l) on the samples X, and the shares of its units that are dead
    (ReLU: 0 on every sample, so its gradient is 0 and it never learns again) and saturated
    (Sigmoid or Tanh: within SATURATION of its limits on every sample, where g'(z) is almost 0).

    Returns a list of dicts {'activation', 'outputs', 'dead', 'saturated'}. The network is not
    changed (the values its layers keep for BackProp are put back afterwards)."""
    kept = [(layer.A_prev, layer.Z, layer.mask) for layer in network.layers]
    try:
        outputs = network.layer_outputs(X)
    finally:
        for layer, (A_prev, Z, mask) in zip(network.layers, kept):
            layer.A_prev, layer.Z, layer.mask = A_prev, Z, mask
    statistics = []
    for layer, A in zip(network.layers, outputs):
        dead = saturated = 0.0
        if layer.activation == "ReLU":
            dead = float(np.mean(np.all(A == 0, axis=0)))
        elif layer.activation == "Sigmoid":
            saturated = float(np.mean(np.all(np.minimum(A, 1 - A) < SATURATION, axis=0)))
        elif layer.activation == "Tanh":
            saturated = float(np.mean(np.all(1 - np.abs(A) < SATURATION, axis=0)))
        statistics.append({"activation": layer.activation, "outputs": A, "dead": dead, "saturated": saturated})
    return statistics


class TrainingWatch:
    """The checks of one train call: before training (check_inputs) and after each epoch (after_epoch).

    warnings: the TrainingWarnings given so far, one per cause (train returns them in history)."""

    def __init__(self, network, X, Y, learning_rate, loss_function, batches_per_epoch):
        self.network, self.learning_rate, self.loss_function = network, learning_rate, loss_function
        self.batches_per_epoch = batches_per_epoch
        step = max(1, len(X) // PROBE_SIZE)
        self.probe, self.probe_Y = X[::step][:PROBE_SIZE], Y[::step][:PROBE_SIZE]
        output = unit_statistics(network, self.probe)[-1]["outputs"]
        self.initial_loss = self._probe_loss(output)
        self.untrained = self._probe_accuracy(output) < 2 / output.shape[1]   # else it knows something already
        self.warnings = []

    def check_inputs(self, X):
        """Before training: inputs scaled twice."""
        self._warn("scaled_inputs", scaled_twice(X, self.network.input_scale), 0)

    def after_epoch(self, epoch, history):
        """After epoch (counted from 1): dead or saturated units, a saturated output, a growing loss,
        no progress. history: train's, with this epoch's loss and accuracy."""
        statistics = unit_statistics(self.network, self.probe)
        rate, n = f"{self.learning_rate:g}", len(self.probe)
        for number, layer in enumerate(statistics[:-1] if n >= MIN_PROBE else [], start=1):
            units = layer["outputs"].shape[1]
            if layer["dead"] > MOST:
                cause = (f"the layer has only {units} units: in so narrow a layer a unit or two die at almost any "
                         f"learning rate, and each one lost is a large share of the layer. Try a wider layer "
                         f"(16 units or more)") if units < NARROW else (
                    f"the learning rate {rate} is too high; large steps pushed their weights and biases so far "
                    f"down that no input turns them on. Try a lower learning_rate "
                    f"(network.find_learning_rate(data, labels) suggests one)")
                self._warn("dead_units", (
                    f"{round(layer['dead'] * units)} of the {units} units of layer {number} (ReLU) gave 0 for every "
                    f"one of {n} training samples after epoch {epoch}: they are dead, and a dead unit never learns "
                    f"again (its gradient is 0). Likely cause: {cause}."), epoch)
            if layer["saturated"] > MOST:
                self._warn("saturated_units", (
                    f"{round(layer['saturated'] * units)} of the {units} units of layer {number} "
                    f"({layer['activation']}) are saturated after epoch {epoch}: on every one of {n} training "
                    f"samples their output lies within {SATURATION} of its limits, where the slope g'(z) is "
                    f"almost 0, so they hardly learn. Likely cause: the learning rate {rate} is too high. Try a "
                    f"lower learning_rate (network.find_learning_rate(data, labels) suggests one)."), epoch)
        output = statistics[-1]["outputs"]
        loss = self._probe_loss(output)
        near_limits = float(np.mean(np.minimum(output, 1 - output) < OUTPUT_SATURATION))
        if near_limits > 0.99 and loss > LOSS_FAR_ABOVE * self.initial_loss:
            self._warn("saturated_output", (
                f"the output layer ({self.network.layers[-1].activation}) is saturated after epoch {epoch}: "
                f"{100 * near_limits:.1f}% of its outputs on {n} training samples lie within {OUTPUT_SATURATION} "
                f"of 0 or 1, and the loss ({loss:.2f} per sample) is {loss / self.initial_loss:.0f} times what it "
                f"was at the start ({self.initial_loss:.2f}): the network answers with confident nonsense. Likely "
                f"cause: the learning rate {rate} is far too high. Try a much lower learning_rate (the notes use "
                f"0.001 with batches of 32; network.find_learning_rate(data, labels) suggests one)."), epoch)
        losses = history["loss"]
        regrown = losses[-1] > LOSS_REGROWN * min(losses) and losses[-1] - min(losses) > 0.1 * self.initial_loss
        if len(losses) >= 3 and losses[-3] < losses[-2] < losses[-1] and regrown:
            self._warn("loss_growing", (
                f"the training loss grew two epochs in a row ({losses[-3]:.4f}, {losses[-2]:.4f}, "
                f"{losses[-1]:.4f} in epochs {epoch - 2} to {epoch}), to {losses[-1] / min(losses):.1f} times its "
                f"lowest ({min(losses):.4f}): the steps overshoot. Likely cause: the "
                f"learning rate {rate} is too high for this network. Try a lower learning_rate, e.g. "
                f"{self.learning_rate / 3:.2g}."), epoch)
        classes = output.shape[1]
        accuracy = self._probe_accuracy(output)
        hardly_lower = self.untrained and loss > LITTLE_PROGRESS * self.initial_loss
        if (not self.warnings and epoch * self.batches_per_epoch >= MIN_STEPS
                and (accuracy < NEAR_CHANCE / classes or hardly_lower)):
            if len(self.network.layers) == 1:
                cause = ("Likely cause: with no hidden layer the network can only split the inputs by straight "
                         "lines (hyperplanes), and these classes need more. Try a hidden layer, e.g. 16 ReLU units.")
            else:
                cause = (f"Likely cause: a learning rate ({rate}) far too low or too high, or labels that do not "
                         f"belong to the samples. Try network.find_learning_rate(data, labels) to find a rate "
                         f"that learns.")
            self._warn("no_progress", (
                f"after epoch {epoch} the network has hardly learnt: on {n} training samples its accuracy is "
                f"{100 * accuracy:.1f}% (chance is {100 / classes:.1f}% for {classes} classes) and its loss "
                f"{loss:.4f} per sample, against {self.initial_loss:.4f} at the start. " + cause), epoch)

    def _probe_loss(self, output):
        return self.loss_function(output, self.probe_Y) / len(self.probe)

    def _probe_accuracy(self, output):
        return float(np.mean(output.argmax(axis=1) == self.probe_Y.argmax(axis=1)))

    def _warn(self, cause, message, epoch):
        """Give the warning (see warn) unless this cause was given already."""
        if message is None or any(w.cause == cause for w in self.warnings):
            return
        self.warnings.append(warn(message, cause, epoch))


# ---- The gradient check: backpropagation against the definition of a derivative ---------------

def gradient_check(network, X, y, entries, h, weight_decay, seed, verbose):
    """Compare backpropagation's dW and db with centred finite differences of the loss train uses.

    For each checked entry P_i of every W and b:  numerical = (L(P_i + h) - L(P_i - h)) / 2h,
    relative error = |backprop - numerical| / max(|backprop|, |numerical|) (Utils.relative_error).
    Works on a float64 copy of the network (network is never changed). Returns
    {'W1': error, 'b1': error, ...}; see NeuralNetwork.gradient_check for every argument.
    """
    X = network._check_inputs(X)
    Y = one_hot_encode(network._check_labels(y, len(X)), network.layers[-1].n_out)
    weight_decay = check_number(weight_decay, "weight_decay")
    loss_function = network._loss_function()              # (a network train cannot train fails here)
    copied = copy.deepcopy(network)
    for layer in copied.layers:
        layer.W, layer.b = layer.W.astype(np.float64), layer.b.astype(np.float64)

    def forward():
        for i, layer in enumerate(copied.layers):      # the same dropout masks every time
            layer.rng = np.random.default_rng([seed, i])
        return copied.forward(X, training=True)

    def loss():
        return loss_function(forward(), Y) + l2_penalty(copied.layers, weight_decay)

    copied.backward(forward() - Y, weight_decay)       # train's output error A - Y
    sampler = np.random.default_rng(seed)
    errors, rows = {}, []
    for number, layer in enumerate(copied.layers, start=1):
        for name, P, dP in (("W", layer.W, layer.dW.copy()), ("b", layer.b, layer.db.copy())):
            flat = P.reshape(-1)                       # a view: changing flat changes P
            chosen = np.arange(flat.size) if flat.size <= entries else sampler.choice(flat.size, entries, replace=False)
            worst = 0.0
            for i in chosen:
                original = flat[i]
                flat[i] = original + h
                loss_plus = loss()
                flat[i] = original - h
                loss_minus = loss()
                flat[i] = original
                numerical = (loss_plus - loss_minus) / (2 * h)
                worst = max(worst, relative_error(dP.reshape(-1)[i], numerical))
            errors[f"{name}{number}"] = float(worst)
            rows.append((f"{name}{number}", P.shape, len(chosen), worst))
    if verbose:
        print(gradient_table(rows))
    return errors


def gradient_table(rows):
    """The printed report of gradient_check: one row per parameter, with a verdict."""
    lines = [f"{'parameter':<10} {'shape':<12} {'entries':>7}  {'max relative error':>18}  verdict"]
    for name, shape, count, error in rows:
        verdict = "fine" if error < 1e-6 else "look closer" if error < 1e-3 else "WRONG"
        lines.append(f"{name:<10} {str(shape):<12} {count:>7}  {error:>18.1e}  {verdict}")
    lines.append("relative error = |backprop - finite difference| / max of the two: below 1e-6 they agree (fine); "
                 "up to 1e-3, look closer (a ReLU kink or rounding); above 1e-3 that gradient is wrong.")
    return "\n".join(lines)


# ---- The learning-rate range test -------------------------------------------------------------

def find_learning_rate(network, data, labels, batch_size, start, end, steps):
    """The learning-rate range test (Smith 2015; fastai's lr_find) on a copy of network.

    Returns {'learning_rates': [...], 'losses': [...] (smoothed), 'suggestion': rate}; see
    NeuralNetwork.find_learning_rate for what it does and every argument.
    """
    X = network._prediction_inputs(data, training=True)   # (inputs scaled twice would mislead it too)
    y = network._check_labels(labels, len(X))
    batch_size = positive_int(batch_size, "batch_size")
    steps = positive_int(steps, "steps")
    start, end = check_number(start, "start"), check_number(end, "end")
    if not 0 < start < end or steps < 2:
        raise ValueError(f"find_learning_rate needs 0 < start < end and steps >= 2, got start={start}, "
                         f"end={end}, steps={steps}")
    loss_function = network._loss_function()
    copied = copy.deepcopy(network)
    Y = one_hot_encode(y, network.layers[-1].n_out, network.layers[0].W.dtype)
    rates = start * (end / start) ** (np.arange(steps) / (steps - 1))
    epochs_needed = -(-steps * batch_size // len(X))
    order = np.concatenate([copied.rng.permutation(len(X)) for _ in range(epochs_needed)])
    tried, losses, smoothed = [], [], 0.0
    # The last steps are meant to blow up; the BLAS threads are chosen as in train (Threads.py).
    with np.errstate(over="ignore", invalid="ignore"), blas_threads_for(network.layers, batch_size):
        for k, rate in enumerate(rates):
            rows = order[k * batch_size:(k + 1) * batch_size]
            output = copied.forward(X[rows], training=True)
            loss = loss_function(output, Y[rows]) / len(rows)
            smoothed = 0.9 * smoothed + 0.1 * loss
            if not math.isfinite(smoothed):
                break
            tried.append(float(rate))
            losses.append(smoothed / (1 - 0.9 ** (k + 1)))
            if losses[-1] > 4 * min(losses):
                break
            copied.backward(output - Y[rows])
            copied.update_parameters(rate)
    lowest = int(np.argmin(losses))
    return {"learning_rates": tried, "losses": losses, "suggestion": tried[lowest] / 10}
