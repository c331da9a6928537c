"""Follow one digit through the notes' equations with the real numbers: trace, and explanation (why
the network gave its answer).

trace(network, x, y) computes every step of the notes for one sample (or a few) and prints it with
its shape and a few of its entries (all of them for a small network), in the notes' order:

    A(0) = input_scale x                            the input scaled
    Z(l) = A(l-1) W(l) + b(l),  A(l) = g(Z(l))      forward propagation, l = 1..L
    L = loss(A(L), Y)                               the loss paired with the output (Network.py)
    dZ(L) = A(L) - Y                                the output error
    dW(l) = A(l-1)^T dZ(l),  db(l) = sum_n dZ(l)    the gradients
    dA(l-1) = dZ(l) W(l)^T                          what the layer below receives
    dZ(l) = dA(l) * g'(Z(l))                        backpropagation, l = L-1..1
    W(l) - learning_rate dW(l)                      the update each weight would get (not applied)

Beside every gradient it prints, for the same entries, the centred finite difference
(L(P + h) - L(P - h)) / 2h of the loss: backpropagation agrees with the definition of a derivative.
It works on float64 copies of the weights, so the network is never changed (a float32 network's
own numbers agree with the trace's to about 7 digits).

explanation(network, image) splits the output layer's score for the answer, Z(L)_k = sum_j
A(L-1)_j W(L)_jk + b(L)_k, into each unit's share A(L-1)_j W(L)_jk (plus the bias), for the answer
and the runner-up; Plots.plot_explanation draws it.
"""
import numpy as np

from Layer_dense import Activation
from Utils import check_positive, one_hot_encode, positive_int

H = 1e-5           # the step of the finite differences (float64: they agree with backprop to ~1e-9)
MAX_SAMPLES = 10   # trace follows one sample, or a few
SHOW_ALL = 12      # a layer of at most this many units is shown whole
SECTIONS = {       # each part of the trace: where the notes derive it (and the walkthrough's section 8)
    "forward": "notes: forward propagation",
    "loss": "notes: cross-entropy",
    "backward": "notes: the output error, backpropagation, gradients",
    "update": "notes: gradient descent",
}
LOSS_FORMULAS = {"Sigmoid": "-sum [Y log A({L}) + (1 - Y) log(1 - A({L}))] (binary cross-entropy)",
                 "Softmax": "-sum Y log A({L}) (categorical cross-entropy)"}


def trace(network, x, y, learning_rate, entries, verbose):
    """Every value of one forward and backward pass, printed step by step (see the module docstring);
    NeuralNetwork.trace(x, y, learning_rate=0.001, entries=3, verbose=True) calls it.

    x: one sample (n_in,) or a few (N, n_in), raw as for train; y: its label (or N labels).
    learning_rate: for the update shown (not applied). entries: how many entries of each large array
    to print (a layer of up to SHOW_ALL units is printed whole). Dropout is off, as in predict.

    Returns a dict of arrays: 'X' (the raw input), 'Y' (one-hot), 'A0', 'Z1', 'A1', ..., 'loss',
    'dZL'... for each layer l: 'Z{l}', 'A{l}', 'dZ{l}', 'dW{l}', 'db{l}', 'dA{l-1}' (but dA0), and
    'W{l} updated', 'b{l} updated'; 'finite differences': {'dW2': {(i, j): (backprop, numerical)},
    ...}; 'shown': {l: the units of layer l printed}. verbose=False prints nothing.
    """
    X, labels = _samples(network, x, y)
    learning_rate = check_positive(learning_rate, "learning_rate")
    entries = positive_int(entries, "entries")
    loss_function = network._loss_function()
    L = len(network.layers)
    W = {l: layer.W.astype(np.float64) for l, layer in enumerate(network.layers, start=1)}
    b = {l: layer.b.astype(np.float64) for l, layer in enumerate(network.layers, start=1)}
    g = {l: layer.g for l, layer in enumerate(network.layers, start=1)}
    Y = one_hot_encode(labels, network.layers[-1].n_out, np.float64)
    t = {"X": X, "Y": Y, "A0": X * network.input_scale}

    for l in range(1, L + 1):                                   # forward propagation
        t[f"Z{l}"] = t[f"A{l - 1}"] @ W[l] + b[l]
        t[f"A{l}"] = g[l](t[f"Z{l}"])
    t["loss"] = loss_function(t[f"A{L}"], Y)

    t[f"dZ{L}"] = t[f"A{L}"] - Y                                # the output error
    for l in range(L, 0, -1):                                   # backpropagation
        t[f"dW{l}"] = t[f"A{l - 1}"].T @ t[f"dZ{l}"]
        t[f"db{l}"] = t[f"dZ{l}"].sum(axis=0, keepdims=True)
        if l > 1:
            t[f"dA{l - 1}"] = t[f"dZ{l}"] @ W[l].T
            t[f"dZ{l - 1}"] = _hidden_error(network.layers[l - 2], t[f"Z{l - 1}"], t[f"dA{l - 1}"])
    for l in range(1, L + 1):                                   # the update (not applied)
        t[f"W{l} updated"] = W[l] - learning_rate * t[f"dW{l}"]
        t[f"b{l} updated"] = b[l] - learning_rate * t[f"db{l}"]

    def loss_from(l, A=None, Z=None, Wl=None, bl=None):
        """The loss of the forward pass from layer l on, given its input A, or its Z, or new W(l), b(l)."""
        if Z is None:
            A = t[f"A{l - 1}"] if A is None else A
            Z = A @ (W[l] if Wl is None else Wl) + (b[l] if bl is None else bl)
        for k in range(l, L + 1):
            A = g[k](Z)
            if k < L:
                Z = A @ W[k + 1] + b[k + 1]
        return loss_function(A, Y)

    shown = {0: _largest(t["A0"], entries)}
    for l in range(1, L + 1):
        shown[l] = _largest(np.abs(t[f"dZ{l}"]), entries)
    t["shown"] = shown
    weights = {l: _weight_entries(shown[l - 1], shown[l], t[f"dW{l}"]) for l in range(1, L + 1)}
    t["weights shown"] = weights
    n = len(X)
    differences = {}
    for l in range(1, L + 1):
        differences[f"dZ{l}"] = _finite_differences(
            t[f"Z{l}"], [(s, j) for s in range(n) for j in shown[l]], t[f"dZ{l}"], lambda Z, l=l: loss_from(l, Z=Z))
        differences[f"dW{l}"] = _finite_differences(W[l], weights[l], t[f"dW{l}"], lambda P, l=l: loss_from(l, Wl=P))
        differences[f"db{l}"] = _finite_differences(
            b[l], [(0, j) for j in shown[l]], t[f"db{l}"], lambda P, l=l: loss_from(l, bl=P))
        if l < L:
            differences[f"dA{l}"] = _finite_differences(
                t[f"A{l}"], [(s, j) for s in range(n) for j in shown[l]], t[f"dA{l}"],
                lambda A, l=l: loss_from(l + 1, A=A))
    t["finite differences"] = differences
    if verbose:
        print(trace_text(network, t, learning_rate))
    return t



def explanation(network, image):
    """Why the network gave its answer for one image: the output layer's score split into shares.

    The score of class k is Z(L)_k = sum_j A(L-1)_j W(L)_jk + b(L)_k: unit j of the last hidden layer
    adds A(L-1)_j W(L)_jk to it. image: one sample (n_in,), raw as for predict, or its square picture
    (28x28 for MNIST).

    Returns a dict: 'answer' and 'runner_up' (the two largest outputs), 'outputs' A(L) and 'scores'
    Z(L) (n_out,), 'hidden' A(L-1) (n_hidden,), 'shares' {k: (n_hidden,) array} and 'bias' {k: b(L)_k}
    for the answer and the runner-up (sum(shares[k]) + bias[k] == scores[k]), and 'looks_for'
    (n_hidden, n_in): what each unit of the last hidden layer responds to in the input, its weights
    W(1)[:, j] for a network with one hidden layer, else the gradient dA(L-1)_j / dA(0) at this image.
    """
    L = len(network.layers)
    if L < 2:
        raise ValueError("explanation splits the output's score among the hidden units, and this network has "
                         "no hidden layer: its score is sum_i A(0)_i W(1)_ik + b(1)_k. "
                         "Try: Plots.plot_first_layer_weights(network), which draws W(1)")
    image = np.asarray(image)
    if image.ndim == 2 and image.size == network.layers[0].n_in:      # a 28x28 picture: its pixels as a row
        image = image.reshape(-1)
    X = _rows(network, image)
    if len(X) != 1:
        raise ValueError(f"explanation takes one image, got {len(X)}. Try: one row, e.g. test_X[0]")
    A, Zs = X * network.input_scale, []
    for layer in network.layers:
        Zs.append(A @ layer.W.astype(np.float64) + layer.b.astype(np.float64))
        A = layer.g(Zs[-1])
    output = network.layers[-1]
    A_hidden = network.layers[-2].g(Zs[-2])[0]
    order = np.argsort(-A[0], kind="stable")
    answer, runner_up = int(order[0]), int(order[1])
    W = output.W.astype(np.float64)
    found = {"answer": answer, "runner_up": runner_up, "outputs": A[0], "scores": Zs[-1][0], "hidden": A_hidden,
             "shares": {k: A_hidden * W[:, k] for k in (answer, runner_up)},
             "bias": {k: float(output.b[0, k]) for k in (answer, runner_up)}}
    if L == 2:
        found["looks_for"] = network.layers[0].W.astype(np.float64).T
    else:                    # dA(L-1)_j / dA(0): backpropagate each unit's one-hot down to the input
        dA = np.eye(len(A_hidden))
        for layer, Z in zip(network.layers[-2::-1], Zs[-2::-1]):
            dZ = _hidden_error(layer, np.repeat(Z, len(dA), axis=0), dA)
            dA = dZ @ layer.W.astype(np.float64).T
        found["looks_for"] = dA
    return found

def _hidden_error(layer, Z, dA):
    """dZ(l) = dA(l) * g'(Z(l)) (softmax, which has no element-wise g', through its Jacobian)."""
    if layer.d_g is None:
        return Activation.softmax_backward(layer.g(Z), dA)
    return dA * layer.d_g(Z)


def _rows(network, x):
    """x (one sample (n_in,) or rows (N, n_in)) as float64 rows, checked as predict checks its inputs
    (with a warning if they are scaled already)."""
    X = np.asarray(x)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    return network._prediction_inputs(X).astype(np.float64)


def _samples(network, x, y):
    """x as float64 rows (N, n_in) and y as N class indices, checked (_rows)."""
    X = _rows(network, x)
    if len(X) > MAX_SAMPLES:
        raise ValueError(f"trace follows one sample (or a few, up to {MAX_SAMPLES}); got {len(X)}. "
                         f"Try: network.trace(test_X[0], test_y[0])")
    labels = np.asarray(y)
    if labels.ndim == 0:
        labels = labels.reshape(1)
    n_out = network.layers[-1].n_out
    if len(X) == 1 and labels.shape == (n_out,) and n_out > 1 and set(np.unique(labels).tolist()) <= {0, 1} \
            and labels.sum() == 1:
        raise ValueError(f"y looks like one one-hot row ({n_out} entries, a single 1) for one sample: trace takes "
                         f"the class index. Try: y.argmax(), here {int(np.argmax(labels))}")
    return X, network._check_labels(labels, len(X))


def _largest(values, entries):
    """The units (columns) to print: all of a small layer, else the entries with the largest total."""
    width = values.shape[1]
    if width <= SHOW_ALL:
        return list(range(width))
    totals = values.sum(axis=0)
    return sorted(int(j) for j in np.argsort(-totals, kind="stable")[:entries])


def _weight_entries(inputs, units, dW):
    """The entries (i, j) of W(l) to print: all of a small W (at most SHOW_ALL entries), else those
    from the printed inputs to the printed unit whose column of dW is largest."""
    if dW.size <= SHOW_ALL:
        return [(i, j) for i in range(dW.shape[0]) for j in range(dW.shape[1])]
    j = max(units, key=lambda unit: np.abs(dW[:, unit]).sum())
    return [(i, j) for i in inputs]


def _finite_differences(P, indices, gradient, loss_of):
    """{index: (backprop, (loss_of(P + h) - loss_of(P - h)) / 2h)} for each index of P."""
    found = {}
    for index in indices:
        changed = P.copy()
        changed[index] = P[index] + H
        plus = loss_of(changed)
        changed[index] = P[index] - H
        minus = loss_of(changed)
        found[index] = (float(gradient[index]), (plus - minus) / (2 * H))
    return found


# ---- The printed trace ----------------------------------------------------------------------------

def trace_text(network, t, learning_rate):
    """The text trace prints: one line per step, the notes' equation, its shape and its entries."""
    L = len(network.layers)
    n = len(t["X"])
    shown = t["shown"]
    samples = "one sample (label" if n == 1 else f"{n} samples (labels"
    labels = ", ".join(str(int(c)) for c in t["Y"].argmax(axis=1))
    lines = [f"Trace of {samples} {labels}) through {network}, computed in float64 without dropout; "
             f"the network is not changed.",
             f"Forward propagation ({SECTIONS['forward']}; walkthrough section 8)"]
    lines += _step("A(0) = input_scale x", t["A0"], shown[0], f"input_scale = {network.input_scale:.6g}")
    for l in range(1, L + 1):
        layer = network.layers[l - 1]
        if layer.W.size <= SHOW_ALL:                     # a small layer: its weights too
            lines += _pairs(f"W({l})", layer.W.astype(np.float64), t["weights shown"][l])
            lines += _step(f"b({l})", layer.b.astype(np.float64), shown[l])
        lines += _step(f"Z({l}) = A({l - 1}) W({l}) + b({l})", t[f"Z{l}"], shown[l])
        lines += _step(f"A({l}) = {layer.activation}(Z({l}))", t[f"A{l}"], shown[l])
    predictions = ", ".join(str(int(c)) for c in t[f"A{L}"].argmax(axis=1))
    lines.append(f"  prediction argmax A({L}) = {predictions} ({'label' if n == 1 else 'labels'} {labels})")
    formula = LOSS_FORMULAS[network.layers[-1].activation].format(L=L)
    summed = "" if n == 1 else f" (summed over the {n} samples, as are the gradients)"
    lines.append(f"Loss ({SECTIONS['loss']}): L = {formula} = {t['loss']:.6g}{summed}")
    lines.append(f"Backpropagation ({SECTIONS['backward']}; walkthrough section 8), dX = dL/dX; under each gradient, "
                 f"(L(+h) - L(-h)) / 2h at the same entries, h = {H:g}")
    differences = t["finite differences"]
    for l in range(L, 0, -1):
        if l == L:
            equation = f"dZ({L}) = A({L}) - Y"
        else:
            equation = f"dZ({l}) = dA({l}) * {network.layers[l - 1].activation}'(Z({l}))"
        gradients = [(equation, f"dZ{l}", shown[l], True),
                     (f"dW({l}) = A({l - 1})^T dZ({l})", f"dW{l}", t["weights shown"][l], False),
                     (f"db({l}) = sum_n dZ({l})", f"db{l}", shown[l], True)]
        if l > 1:
            gradients.append((f"dA({l - 1}) = dZ({l}) W({l})^T", f"dA{l - 1}", shown[l - 1], True))
        for equation, name, which, by_unit in gradients:
            step = _step if by_unit else _pairs
            lines += step(equation, t[name], which)
            lines += step("  finite differences", _numerical(t[name], differences[name]), which, shape=False)
    lines.append(f"Update ({SECTIONS['update']}), learning rate {learning_rate:g}, not applied: "
                 f"W(l) <- W(l) - {learning_rate:g} dW(l)")
    for l in range(1, L + 1):
        before = network.layers[l - 1].W
        changes = "  ".join(f"[{i}, {j}] {before[i, j]:.6g} -> {t[f'W{l} updated'][i, j]:.6g}"
                            for i, j in t["weights shown"][l][:SHOW_ALL // 2])
        lines.append(f"  W({l}): {changes}")
    return "\n".join(lines)


def _numerical(values, differences):
    """An array shaped as values holding the finite differences at their entries (NaN elsewhere)."""
    numerical = np.full(values.shape, np.nan)
    for index, (_, difference) in differences.items():
        numerical[index] = difference
    return numerical


def _number(value):
    return f"{value + 0.0:.4g}"      # (+ 0.0: a -0.0, from a negative times a zero, prints as 0)


def _head(equation, values, shape):
    return f"  {equation:<34} {str(values.shape) if shape else '':<10}"


def _step(equation, values, units, note="", shape=True):
    """A step's lines: the equation and shape, then per sample (row) the printed units' values."""
    width = values.shape[1]
    which = "" if len(units) == width or not shape else f" ({len(units)} of {width})"
    note = f"  ({note})" if note else ""
    rows = ["  ".join(f"[{j}] {_number(v)}" for j, v in zip(units, row[units])) for row in values]
    if len(rows) == 1:
        return [f"{_head(equation, values, shape)} {rows[0]}{which}{note}"]
    return ([f"{_head(equation, values, shape)}{which}{note}".rstrip()]
            + [f"      sample {s}: {row}" for s, row in enumerate(rows)])


def _pairs(equation, values, indices, shape=True):
    """A weight gradient: the equation, its shape, and the printed entries [i, j]."""
    text = "  ".join(f"[{i}, {j}] {_number(values[i, j])}" for i, j in indices)
    which = "" if len(indices) == values.size or not shape else f" ({len(indices)} of {values.size})"
    return [f"{_head(equation, values, shape)} {text}{which}"]
