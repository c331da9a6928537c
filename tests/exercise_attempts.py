"""Learners' attempts at the exercises, for tests/test_exercises.py: the wrong answers learners write
(each with the hint it must get, a key of check.HINTS, or None with words its message must hold) and
right answers written in other ways (each must pass). An attempt is the whole file, except for
exercise 7, where it is the function train only (the rest of ex7_train.py is given)."""

# (file, what the learner did, source, hint key or None, words the message holds)
WRONG = []
# (file, how the learner wrote it, source)
RIGHT = []


def wrong(name, what, source, hint=None, words=None):
    WRONG.append((name, what, source, hint, words))


def right(name, how, source):
    RIGHT.append((name, how, source))


# ---- exercise 1: batch -----------------------------------------------------------------------------
BATCH = "def batch(data, labels, batch_size):\n"
wrong("ex1_batch", "stops one batch early", BATCH + """
    for i in range(0, len(data) - batch_size, batch_size):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""", "last_batch")
wrong("ex1_batch", "only whole batches", BATCH + """
    for k in range(len(data) // batch_size):
        yield data[k * batch_size:(k + 1) * batch_size], labels[k * batch_size:(k + 1) * batch_size]
""", "last_batch")
wrong("ex1_batch", "steps by 1", BATCH + """
    for i in range(len(data)):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""", "step")
wrong("ex1_batch", "slice one short", BATCH + """
    for i in range(0, len(data), batch_size):
        yield data[i:i + batch_size - 1], labels[i:i + batch_size - 1]
""", "slice_end")
wrong("ex1_batch", "starts at 1", BATCH + """
    for i in range(1, len(data) + 1, batch_size):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""", "start")
wrong("ex1_batch", "shuffles", """
import numpy as np

def batch(data, labels, batch_size):
    order = np.random.default_rng(0).permutation(len(data))
    for i in range(0, len(data), batch_size):
        yield data[order[i:i + batch_size]], labels[order[i:i + batch_size]]
""", "in_order")
wrong("ex1_batch", "shuffles the caller's arrays in place", """
import numpy as np

def batch(data, labels, batch_size):
    np.random.default_rng(0).shuffle(data)
    for i in range(0, len(data), batch_size):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""", "in_place")
wrong("ex1_batch", "labels not sliced", BATCH + """
    for i in range(0, len(data), batch_size):
        yield data[i:i + batch_size], labels
""", "labels_sliced")
wrong("ex1_batch", "labels first", BATCH + """
    for i in range(0, len(data), batch_size):
        yield labels[i:i + batch_size], data[i:i + batch_size]
""", "pair_order")
wrong("ex1_batch", "np.array_split into batch_size pieces", """
import numpy as np

def batch(data, labels, batch_size):
    return list(zip(np.array_split(data, batch_size), np.array_split(labels, batch_size)))
""", "array_split")
wrong("ex1_batch", "builds the list and forgets to return it", BATCH + """
    batches = []
    for i in range(0, len(data), batch_size):
        batches.append((data[i:i + batch_size], labels[i:i + batch_size]))
""", "no_return")
wrong("ex1_batch", "yields the data only", BATCH + """
    for i in range(0, len(data), batch_size):
        yield data[i:i + batch_size]
""", None, "each batch is a pair (data rows, labels)")
wrong("ex1_batch", "return instead of yield", BATCH + """
    for i in range(0, len(data), batch_size):
        return data[i:i + batch_size], labels[i:i + batch_size]
""", "return_not_yield")
wrong("ex1_batch", "one step too far", BATCH + """
    for i in range(0, len(data) + 1, batch_size):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""", "empty_batch")
wrong("ex1_batch", "np.array_split into ceil(N / batch_size) pieces", """
import math
import numpy as np

def batch(data, labels, batch_size):
    k = math.ceil(len(data) / batch_size)
    return list(zip(np.array_split(data, k), np.array_split(labels, k)))
""", None, "expected 4: [3, 3, 3, 1]")

right("ex1_batch", "a generator", BATCH + """
    for i in range(0, len(data), batch_size):
        yield data[i:i + batch_size], labels[i:i + batch_size]
""")
right("ex1_batch", "a list comprehension", BATCH + """
    return [(data[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(data), batch_size)]
""")
right("ex1_batch", "a while loop", BATCH + """
    start = 0
    while start < len(data):
        yield data[start:start + batch_size], labels[start:start + batch_size]
        start += batch_size
""")
right("ex1_batch", "math.ceil and lists", """
import math

def batch(data, labels, batch_size):
    out = []
    for k in range(math.ceil(len(data) / batch_size)):
        s = slice(k * batch_size, (k + 1) * batch_size)
        out.append([data[s], labels[s]])
    return out
""")

# ---- exercise 2: one_hot_encode --------------------------------------------------------------------
ONE_HOT = "import numpy as np\n\ndef one_hot_encode(labels, num_classes):\n"
wrong("ex2_one_hot", "classes from the labels", ONE_HOT + """
    return np.eye(labels.max() + 1)[labels]
""", "classes_from_labels")
wrong("ex2_one_hot", "an int array", ONE_HOT + """
    Y = np.zeros((len(labels), num_classes), dtype=int)
    Y[np.arange(len(labels)), labels] = 1
    return Y
""", "float")
wrong("ex2_one_hot", "a bool array", ONE_HOT + """
    return labels[:, None] == np.arange(num_classes)
""", "float")
wrong("ex2_one_hot", "transposed", ONE_HOT + """
    return np.eye(num_classes)[labels].T
""", "one_hot_transposed")
wrong("ex2_one_hot", "labels - 1", ONE_HOT + """
    return np.eye(num_classes)[labels - 1]
""", "off_by_one")
wrong("ex2_one_hot", "whole columns", ONE_HOT + """
    Y = np.zeros((len(labels), num_classes))
    Y[:, labels] = 1.0
    return Y
""", "whole_columns")
wrong("ex2_one_hot", "forgets to return", ONE_HOT + """
    Y = np.zeros((len(labels), num_classes))
    Y[np.arange(len(labels)), labels] = 1.0
""", "no_return")
wrong("ex2_one_hot", "an identity of N rows", ONE_HOT + """
    return np.eye(len(labels))[labels]
""", "classes_from_labels")
wrong("ex2_one_hot", "ten classes hard-coded", ONE_HOT + """
    return np.eye(10)[labels][:, :num_classes]
""", "classes_from_labels")
wrong("ex2_one_hot", "only the first num_classes rows", ONE_HOT + """
    out = np.zeros((len(labels), num_classes))
    for i in range(min(num_classes, len(labels))):
        out[i, labels[i]] = 1.0
    return out
""", None, "a batch of 32 labels with 10 classes: one_hot_encode(")

right("ex2_one_hot", "np.eye", ONE_HOT + "    return np.eye(num_classes)[labels]\n")
right("ex2_one_hot", "a loop", ONE_HOT + """
    Y = np.zeros((len(labels), num_classes))
    for n, label in enumerate(labels):
        Y[n][label] = 1
    return Y
""")
right("ex2_one_hot", "a comparison cast to float", ONE_HOT + """
    return (np.asarray(labels)[:, None] == np.arange(num_classes)).astype(np.float32)
""")
right("ex2_one_hot", "lists of floats", """
def one_hot_encode(labels, num_classes):
    return [[1.0 if c == label else 0.0 for c in range(num_classes)] for label in labels]
""")

# ---- exercise 3: activations (each attempt is the right file with one function replaced) ----------
ACTIVATIONS = """
import numpy as np

def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))

def d_sigmoid(z):
    return sigmoid(z) * (1 - sigmoid(z))

def relu(z):
    return np.maximum(z, 0)

def d_relu(z):
    return (z > 0).astype(float)

def tanh(z):
    return np.tanh(z)

def d_tanh(z):
    return 1 - np.tanh(z) ** 2

def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


def activations(**bodies):
    """The right ex3 file with some functions' bodies replaced: name='return ...'."""
    text = ACTIVATIONS
    for name, body in bodies.items():
        start = text.index(f"def {name}(z):\n") + len(f"def {name}(z):\n")
        end = text.index("\ndef ", start) if "\ndef " in text[start:] else len(text)
        text = text[:start] + "".join("    " + line + "\n" for line in body.strip().splitlines()) + text[end:]
    return text


wrong("ex3_activations", "sigmoid as 1 / (1 + e^-z)", activations(sigmoid="return 1 / (1 + np.exp(-z))"),
      "sigmoid_overflow")
wrong("ex3_activations", "tanh by its formula", activations(
    tanh="return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"), "tanh_overflow")
wrong("ex3_activations", "d_sigmoid of the output", activations(d_sigmoid="return z * (1 - z)"), "of_the_output")
wrong("ex3_activations", "d_tanh of the output", activations(d_tanh="return 1 - z ** 2"), "of_the_output")
wrong("ex3_activations", "d_tanh without the square", activations(d_tanh="return 1 - np.tanh(z)"), "tanh_square")
wrong("ex3_activations", "d_relu with >=", activations(d_relu="return (z >= 0).astype(float)"), "relu_kink")
wrong("ex3_activations", "relu with np.max", activations(relu="return np.max(z, 0)"), "np_max")
wrong("ex3_activations", "softmax over axis 0", activations(
    softmax="e = np.exp(z - z.max(axis=0, keepdims=True))\nreturn e / e.sum(axis=0, keepdims=True)"), "softmax_axis")
wrong("ex3_activations", "softmax over everything", activations(
    softmax="e = np.exp(z - z.max())\nreturn e / e.sum()"), "softmax_all")
wrong("ex3_activations", "softmax without keepdims", activations(
    softmax="e = np.exp(z - z.max(axis=-1))\nreturn e / e.sum(axis=-1)"), "softmax_keepdims")
wrong("ex3_activations", "softmax without the maximum", activations(
    softmax="e = np.exp(z)\nreturn e / e.sum(axis=-1, keepdims=True)"), "softmax_overflow")
wrong("ex3_activations", "softmax with the array's maximum", activations(
    softmax="e = np.exp(z - z.max())\nreturn e / e.sum(axis=-1, keepdims=True)"), "softmax_global_max")
wrong("ex3_activations", "relu in place", activations(relu="z[z < 0] = 0\nreturn z"), "in_place")
wrong("ex3_activations", "d_sigmoid by e^-z", activations(d_sigmoid="return np.exp(-z) / (1 + np.exp(-z)) ** 2"),
      "derivative_overflow")
wrong("ex3_activations", "relu forgets to return", activations(relu="np.maximum(z, 0)"), "no_return")
wrong("ex3_activations", "relu as abs", activations(relu="return np.abs(z)"), None, "first difference at")
wrong("ex3_activations", "d_sigmoid with one factor of z", activations(d_sigmoid="return sigmoid(z) * (1 - z)"),
      "sigmoid_factors")
wrong("ex3_activations", "d_relu as relu", activations(d_relu="return np.maximum(z, 0)"), "slope_not_value")
wrong("ex3_activations", "log softmax", activations(
    softmax="s = z - z.max(axis=-1, keepdims=True)\nreturn s - np.log(np.exp(s).sum(axis=-1, keepdims=True))"),
      "log_softmax")

right("ex3_activations", "the reference forms", ACTIVATIONS)
right("ex3_activations", "errstate-guarded exp, where, clip and a stable tanh", activations(
    sigmoid="with np.errstate(over='ignore'):\n    return 1 / (1 + np.exp(-z))",
    relu="return np.where(z > 0, z, 0)", d_relu="return np.where(z > 0, 1.0, 0.0)",
    tanh="return 2 * sigmoid(2 * z) - 1", d_tanh="t = tanh(z)\nreturn 1 - t * t",
    softmax="s = z - np.max(z, axis=1, keepdims=True)\ne = np.exp(s)\nreturn e / np.sum(e, axis=1, keepdims=True)"))
right("ex3_activations", "clip, bool derivative, np.float32 kept", activations(
    relu="return np.clip(z, 0, None)", d_relu="return z > 0", d_sigmoid="s = sigmoid(z)\nreturn s - s * s"))

# ---- exercise 4: forward ---------------------------------------------------------------------------
FORWARD = "import numpy as np\n\ndef forward(A_prev, W, b, g):\n"
wrong("ex4_forward", "W transposed", FORWARD + "    Z = A_prev @ W.T + b\n    return g(Z), Z\n", "transposed")
wrong("ex4_forward", "the notes' column order", FORWARD + "    Z = W @ A_prev + b\n    return g(Z), Z\n", "shapes")
wrong("ex4_forward", "element by element", FORWARD + "    Z = A_prev * W + b\n    return g(Z), Z\n", "elementwise")
wrong("ex4_forward", "no bias", FORWARD + "    Z = A_prev @ W\n    return g(Z), Z\n", "no_bias")
wrong("ex4_forward", "(Z, A)", FORWARD + "    Z = A_prev @ W + b\n    return Z, g(Z)\n", "z_a_swapped")
wrong("ex4_forward", "relu always", """
def relu(z):
    return (z > 0) * z

def forward(A_prev, W, b, g):
    Z = A_prev @ W + b
    return relu(Z), Z
""", "g_ignored")
wrong("ex4_forward", "returns A only", FORWARD + "    return g(A_prev @ W + b)\n", "return_pair")
wrong("ex4_forward", "forgets to return", FORWARD + "    Z = A_prev @ W + b\n    A = g(Z)\n", "no_return")
wrong("ex4_forward", "b added to W", FORWARD + "    Z = A_prev @ (W + b)\n    return g(Z), Z\n", None, "Z for A_prev")
wrong("ex4_forward", "g applied to A_prev", FORWARD + "    Z = g(A_prev) @ W + b\n    return g(Z), Z\n", None,
      "Z for A_prev")
wrong("ex4_forward", "float32 inside", FORWARD + "    Z = A_prev.astype(np.float32) @ W.astype(np.float32) + b\n"
      "    return g(Z), Z\n", "dtype")

right("ex4_forward", "@", FORWARD + "    Z = A_prev @ W + b\n    return g(Z), Z\n")
right("ex4_forward", "np.dot", FORWARD + "    Z = np.dot(A_prev, W) + b\n    A = g(Z)\n    return A, Z\n")
right("ex4_forward", "einsum and a list", FORWARD + "    Z = np.einsum('ni,io->no', A_prev, W) + b\n"
                                                    "    return [g(Z), Z]\n")
right("ex4_forward", "b added into the new Z", FORWARD + "    Z = A_prev @ W\n    Z += b\n    return g(Z), Z\n")

# ---- exercise 5: backward --------------------------------------------------------------------------
BACKWARD = "import numpy as np\n\ndef backward(dA, A_prev, Z, W, d_g, output_error=False):\n"
RIGHT_DZ = "    dZ = dA if output_error else dA * d_g(Z)\n"
wrong("ex5_backward", "no g'", BACKWARD + "    dZ = dA\n    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n",
      "no_derivative")
wrong("ex5_backward", "g' at the output too", BACKWARD + "    dZ = dA * d_g(Z)\n"
      "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "derivative_twice")
wrong("ex5_backward", "output_error upside down", BACKWARD + "    dZ = dA * d_g(Z) if output_error else dA\n"
      "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "no_derivative")
wrong("ex5_backward", "a mean", BACKWARD + RIGHT_DZ + "    N = len(dZ)\n"
      "    return dZ @ W.T, A_prev.T @ dZ / N, dZ.sum(axis=0, keepdims=True) / N\n", "mean")
wrong("ex5_backward", "db not summed", BACKWARD + RIGHT_DZ + "    return dZ @ W.T, A_prev.T @ dZ, dZ\n", "db_not_summed")
wrong("ex5_backward", "db without keepdims", BACKWARD + RIGHT_DZ + "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)\n",
      "db_keepdims")
wrong("ex5_backward", "db over axis 1", BACKWARD + RIGHT_DZ
      + "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=1, keepdims=True)\n", "db_axis")
wrong("ex5_backward", "db over everything", BACKWARD + RIGHT_DZ + "    return dZ @ W.T, A_prev.T @ dZ, np.sum(dZ)\n",
      "db_axis")
wrong("ex5_backward", "dA_prev with W", BACKWARD + RIGHT_DZ
      + "    return dZ @ W, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "transposed")
wrong("ex5_backward", "dW transposed", BACKWARD + RIGHT_DZ
      + "    return dZ @ W.T, dZ.T @ A_prev, dZ.sum(axis=0, keepdims=True)\n", "transposed")
wrong("ex5_backward", "dA_prev from dA", BACKWARD + RIGHT_DZ
      + "    return dA @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "dA_prev_from_dA")
wrong("ex5_backward", "dW from dA", BACKWARD + RIGHT_DZ
      + "    return dZ @ W.T, A_prev.T @ dA, dZ.sum(axis=0, keepdims=True)\n", "dW_from_dA")
wrong("ex5_backward", "g' at dA", BACKWARD + "    dZ = dA if output_error else dA * d_g(dA)\n"
      "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "derivative_at_dA")
wrong("ex5_backward", "g' in place", BACKWARD + "    if not output_error:\n        dA *= d_g(Z)\n"
      "    return dA @ W.T, A_prev.T @ dA, dA.sum(axis=0, keepdims=True)\n", "in_place")
wrong("ex5_backward", "in the wrong order", BACKWARD + RIGHT_DZ
      + "    return A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T\n", "backward_order")
wrong("ex5_backward", "a minus on the gradients", BACKWARD + RIGHT_DZ
      + "    return -(dZ @ W.T), -(A_prev.T @ dZ), -dZ.sum(axis=0, keepdims=True)\n", "gradient_sign")
wrong("ex5_backward", "forgets to return", BACKWARD + RIGHT_DZ
      + "    dA_prev, dW, db = dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n", "no_return")
wrong("ex5_backward", "returns two", BACKWARD + RIGHT_DZ + "    return dZ @ W.T, A_prev.T @ dZ\n", None,
      "it returns the three arrays dA_prev, dW, db")

right("ex5_backward", "@ and .sum", BACKWARD + RIGHT_DZ
      + "    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)\n")
right("ex5_backward", "np.dot, np.sum, an if", BACKWARD + """
    if output_error:
        dZ = dA
    else:
        dZ = np.multiply(dA, d_g(Z))
    dW = np.dot(A_prev.T, dZ)
    db = np.sum(dZ, axis=0, keepdims=True)
    return np.dot(dZ, W.T), dW, db
""")
right("ex5_backward", "a reshaped db and a list", BACKWARD + RIGHT_DZ
      + "    return [dZ @ W.T, np.einsum('ni,no->io', A_prev, dZ), dZ.sum(axis=0).reshape(1, -1)]\n")

# ---- exercise 6: update ----------------------------------------------------------------------------
UPDATE = "def update(W, b, dW, db, learning_rate):\n"
wrong("ex6_update", "the wrong sign", UPDATE + "    W += learning_rate * dW\n    b += learning_rate * db\n", "sign")
wrong("ex6_update", "a new array", UPDATE + "    W = W - learning_rate * dW\n    b = b - learning_rate * db\n",
      "rebinding")
wrong("ex6_update", "returns new arrays", UPDATE + "    return W - learning_rate * dW, b - learning_rate * db\n",
      "rebinding")
wrong("ex6_update", "no learning rate", UPDATE + "    W -= dW\n    b -= db\n", "no_rate")
wrong("ex6_update", "a rate of 0.1", UPDATE + "    W -= 0.1 * dW\n    b -= 0.1 * db\n", "hard_coded_rate")
wrong("ex6_update", "exercise 7's rate", UPDATE + "    W -= 0.001 * dW\n    b -= 0.001 * db\n", "hard_coded_rate")
wrong("ex6_update", "W forgotten", UPDATE + "    b -= learning_rate * db\n", "W_forgotten")
wrong("ex6_update", "b forgotten", UPDATE + "    W -= learning_rate * dW\n", "b_forgotten")
wrong("ex6_update", "W with db", UPDATE + "    W -= learning_rate * db\n    b -= learning_rate * db\n", "W_with_db")
wrong("ex6_update", "dW changed", UPDATE + "    dW *= learning_rate\n    db *= learning_rate\n    W -= dW\n    b -= db\n",
      "in_place")
wrong("ex6_update", "divided by the rate", UPDATE + "    W -= dW / learning_rate\n    b -= db / learning_rate\n",
      "rate_divided")

right("ex6_update", "-=", UPDATE + "    W -= learning_rate * dW\n    b -= learning_rate * db\n")
right("ex6_update", "slices", UPDATE + "    W[:] = W - learning_rate * dW\n    b[...] = b - learning_rate * db\n")
right("ex6_update", "np.subtract with out", "import numpy as np\n\n" + UPDATE
      + "    np.subtract(W, learning_rate * dW, out=W)\n    np.subtract(b, learning_rate * db, out=b)\n")

# ---- exercise 7: train (the function only) ---------------------------------------------------------
TRAIN = """
def train(layers, data, labels, epochs, batch_size, learning_rate):
    accuracies = []
    for epoch in range(epochs):
        correct = 0
        for batch_x, batch_y in batch(data, labels, batch_size):
            A = batch_x / 255.0
            for layer in layers:
                A = layer.Forward(A)
            correct += int(np.sum(A.argmax(axis=1) == batch_y))
            dA = A - one_hot_encode(batch_y, A.shape[1])
            for k in reversed(range(len(layers))):
                dA = layers[k].BackProp(dA, output_error=k == len(layers) - 1)
            for layer in layers:
                layer.update_parameters(learning_rate)
        accuracies.append(correct / len(data))
    return accuracies
"""


def train(*replacements):
    """TRAIN with (old, new) replacements."""
    text = TRAIN
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


wrong("ex7_train", "the counter never reset", train(("        correct = 0\n", ""),
                                                    ("    accuracies = []\n", "    accuracies = []\n    correct = 0\n")),
      "not_reset")
wrong("ex7_train", "integer division", train(("correct / len(data)", "int(correct) // len(data)")), "integer_division")
wrong("ex7_train", "percentages", train(("correct / len(data)", "100 * correct / len(data)")), "percent")
wrong("ex7_train", "a mean over the batches", train(("correct / len(data)", "correct / math.ceil(len(data) / batch_size)"),
                                                    ("    accuracies = []\n", "    import math\n    accuracies = []\n")),
      "per_batch")
wrong("ex7_train", "accuracy after the epoch", train(
    ("        accuracies.append(correct / len(data))",
     "        accuracies.append(float(np.mean(predict(layers, data) == labels)))")), "after_the_epoch")
wrong("ex7_train", "pixels not scaled", train(("A = batch_x / 255.0", "A = batch_x")), "unscaled")
wrong("ex7_train", "pixels scaled in place", train(("A = batch_x / 255.0", "batch_x /= 255.0\n            A = batch_x")),
      "read_only")
wrong("ex7_train", "Y - A", train(("dA = A - one_hot_encode", "dA = -A + one_hot_encode")), "error_sign")
wrong("ex7_train", "output_error everywhere", train(("output_error=k == len(layers) - 1", "output_error=True")),
      "output_error_everywhere")
wrong("ex7_train", "output_error never", train((", output_error=k == len(layers) - 1", "")), "output_error_never")
wrong("ex7_train", "backward in forward order", train(("reversed(range(len(layers)))", "range(len(layers))")),
      "backward_loop_order")
wrong("ex7_train", "a fixed learning rate", train(("update_parameters(learning_rate)", "update_parameters(0.01)")),
      "hard_coded")
wrong("ex7_train", "a fixed batch size", train(("batch(data, labels, batch_size)", "batch(data, labels, 32)")),
      "hard_coded")
wrong("ex7_train", "forgets to return", train(("    return accuracies\n", "")), "no_return")
wrong("ex7_train", "never updates", train(("                layer.update_parameters(learning_rate)\n", "                pass\n")),
      None, "the weights did not change")
wrong("ex7_train", "updates once per epoch", train(
    ("            for layer in layers:\n                layer.update_parameters(learning_rate)\n", ""),
    ("        accuracies.append", "        for layer in layers:\n            layer.update_parameters(learning_rate)\n"
                                  "        accuracies.append")), None, "update after each")
wrong("ex7_train", "shuffles the batches", train(
    ("batch(data, labels, batch_size)", "batch(data[::-1], labels[::-1], batch_size)")), None,
      "the batches are taken in order")
wrong("ex7_train", "accuracy per batch, the last one", train(
    ("        accuracies.append(correct / len(data))", "        accuracies.append(correct / len(batch_y))"),
    ("            correct += int", "            correct = int")), None, "not each epoch's fraction")
wrong("ex7_train", "a mean of the output error", train(("dA = A - one_hot_encode(batch_y, A.shape[1])",
                                                       "dA = (A - one_hot_encode(batch_y, A.shape[1])) / len(batch_y)")),
      "mean")
wrong("ex7_train", "one epoch too few", train(("for epoch in range(epochs)", "for epoch in range(1, epochs)")),
      "epochs_off_by_one")
wrong("ex7_train", "output_error on the first layer", train(("output_error=k == len(layers) - 1", "output_error=k == 0")),
      "output_error_first")
wrong("ex7_train", "the accuracy from Y - dA after the backward loop", train(
    ("            correct += int(np.sum(A.argmax(axis=1) == batch_y))\n", ""),
    ("            for layer in layers:\n                layer.update_parameters(learning_rate)\n",
     "            for layer in layers:\n                layer.update_parameters(learning_rate)\n"
     "            correct += int(np.sum((one_hot_encode(batch_y, 10) - dA).argmax(axis=1) == batch_y))\n")),
      None, "your code raised ValueError")

right("ex7_train", "the notes' loop", TRAIN)
right("ex7_train", "float32 pixels", train(("A = batch_x / 255.0", "A = batch_x.astype(np.float32) / 255")))
right("ex7_train", "layers reversed, update in the backward loop", train(
    ("            for k in reversed(range(len(layers))):\n"
     "                dA = layers[k].BackProp(dA, output_error=k == len(layers) - 1)\n"
     "            for layer in layers:\n                layer.update_parameters(learning_rate)\n",
     "            for k, layer in enumerate(reversed(layers)):\n"
     "                dA = layer.BackProp(dA, output_error=k == 0)\n"
     "                layer.update_parameters(learning_rate)\n")))
right("ex7_train", "ten classes named, a float mean", train(
    ("one_hot_encode(batch_y, A.shape[1])", "one_hot_encode(batch_y, 10)"),
    ("int(np.sum(A.argmax(axis=1) == batch_y))", "float(np.mean(A.argmax(axis=1) == batch_y)) * len(batch_y)")))

# ---- exercise 8: the output error --------------------------------------------------------------------
OUTPUT = "import numpy as np\n\n"
ERROR = "\ndef output_error(A, Y):\n    return A - Y\n"
LOSS = "def cross_entropy(A, Y):\n"
GUARDED = LOSS + "    return -np.sum(Y * np.log(np.clip(A, 1e-12, None)))\n"
wrong("ex8_output_error", "a mean", OUTPUT + LOSS + "    return -np.sum(Y * np.log(A + 1e-12)) / len(A)\n" + ERROR, "mean")
wrong("ex8_output_error", "no minus", OUTPUT + LOSS + "    return np.sum(Y * np.log(A + 1e-12))\n" + ERROR, "loss_sign")
wrong("ex8_output_error", "Y forgotten", OUTPUT + LOSS + "    return -np.sum(np.log(A + 1e-12))\n" + ERROR,
      "loss_without_Y")
wrong("ex8_output_error", "log10", OUTPUT + LOSS + "    return -np.sum(Y * np.log10(A + 1e-12))\n" + ERROR, "log10")
wrong("ex8_output_error", "binary cross-entropy", OUTPUT + LOSS
      + "    A = np.clip(A, 1e-12, 1 - 1e-12)\n    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))\n" + ERROR,
      "binary")
wrong("ex8_output_error", "one loss per sample", OUTPUT + LOSS + "    return -np.sum(Y * np.log(A + 1e-12), axis=1)\n"
      + ERROR, "per_sample")
wrong("ex8_output_error", "unguarded log", OUTPUT + LOSS + "    return -np.sum(Y * np.log(A))\n" + ERROR, "log_of_zero")
wrong("ex8_output_error", "the log of every entry, kept at the labels", OUTPUT + LOSS
      + "    return np.where(Y == 1, -np.log(A), 0.0).sum()\n" + ERROR, "log_of_zero")
wrong("ex8_output_error", "clipped at 1e-4", OUTPUT + LOSS + "    return -np.sum(Y * np.log(np.clip(A, 1e-4, 1.0)))\n"
      + ERROR, "guard_too_large")
wrong("ex8_output_error", "dL/dA", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n    return -Y / A\n", "dL_dA")
wrong("ex8_output_error", "g' at the output", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n"
      "    return (A - Y) * A * (1 - A)\n", "derivative_twice")
wrong("ex8_output_error", "a mean of the error", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n"
      "    return (A - Y) / len(A)\n", "mean")
wrong("ex8_output_error", "Y - A", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n    return Y - A\n", "error_sign")
wrong("ex8_output_error", "forgets to return", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n    dZ = A - Y\n",
      "no_return")
wrong("ex8_output_error", "the error in place", OUTPUT + GUARDED + "\ndef output_error(A, Y):\n    A -= Y\n    return A\n",
      "in_place")

right("ex8_output_error", "clipped", OUTPUT + GUARDED + ERROR)
right("ex8_output_error", "an epsilon of 1e-7", OUTPUT + LOSS + "    return -np.sum(Y * np.log(A + 1e-7))\n" + ERROR)
right("ex8_output_error", "clipped at 1e-7 both ends", OUTPUT + LOSS
      + "    return float(-np.sum(Y * np.log(np.clip(A, 1e-7, 1 - 1e-7))))\n" + ERROR)
right("ex8_output_error", "the labels' entries only", OUTPUT + LOSS + "    return -np.log(A[Y == 1]).sum()\n" + ERROR)
right("ex8_output_error", "loops and math.log", "import math\n\n" + LOSS + """
    total = 0.0
    for a_row, y_row in zip(A, Y):
        for a, y in zip(a_row, y_row):
            if y:
                total -= y * math.log(a)
    return total
""" + ERROR)
right("ex8_output_error", "np.where and np.subtract", OUTPUT + LOSS
      + "    return -np.sum(np.where(Y > 0, Y * np.log(np.where(Y > 0, A, 1.0)), 0.0))\n"
      + "\ndef output_error(A, Y):\n    return np.subtract(A, Y)\n")

# ---- exercise 9: the broken network ----------------------------------------------------------------
BROKEN = """
from Layer_dense import Layer_dense
from Network import NeuralNetwork


def build_and_train(train_X, train_y):
    network = NeuralNetwork({scale})
    network.add_layer(Layer_dense(784, 64, 'ReLU', rng=0))
    network.add_layer(Layer_dense(64, 10, '{output}', rng=1))
    network.train({pixels}, train_y, 3, 32, {rate}, verbose=False)
    return network
"""


def broken(scale="rng=0", output="Sigmoid", pixels="train_X", rate="0.001"):
    return BROKEN.format(scale=scale, output=output, pixels=pixels, rate=rate)


wrong("ex9_broken_network", "only the rate mended", broken(pixels="train_X / 255.0"), None,
      "the library said: the inputs already lie in 0..1")
wrong("ex9_broken_network", "only the pixels mended", broken(rate="0.1"), None, "88% is possible")
wrong("ex9_broken_network", "a Softmax output", broken(output="Softmax"), None, "keep the notes' 784x64 ReLU -> 64x10 Sigmoid")
wrong("ex9_broken_network", "forgets to return", broken().replace("    return network\n", ""), "no_return")
wrong("ex9_broken_network", "batches of 8", broken().replace("3, 32, 0.001", "3, 8, 0.001"), None,
      "keep the notes' schedule, one call with 3 epochs in batches of 32")
wrong("ex9_broken_network", "trained twice", broken().replace("    return network\n",
      "    network.train(train_X, train_y, 3, 32, 0.001, verbose=False)\n    return network\n"), None,
      "train was called 2 times")
wrong("ex9_broken_network", "input_scale=1 with raw pixels", broken(scale="input_scale=1, rng=0"), "unscaled_pixels")

right("ex9_broken_network", "raw pixels, rate 0.001", broken())
right("ex9_broken_network", "input_scale=1 and the learner's scaled pixels", broken(
    scale="input_scale=1, rng=0", pixels="train_X / 255.0"))
right("ex9_broken_network", "raw pixels, rate 0.003", broken(rate="0.003"))

# ---- exercise 10: the playground -------------------------------------------------------------------
PLAYGROUND = """
from Layer_dense import Layer_dense
from Network import NeuralNetwork


def build():
    network = NeuralNetwork({scale})
{layers}
    return network
"""


def playground(layers, scale="input_scale=1, rng=0"):
    text = "\n".join(f"    network.add_layer(Layer_dense({n_in}, {n_out}, '{g}', rng={k}))"
                     for k, (n_in, n_out, g) in enumerate(layers))
    return PLAYGROUND.format(scale=scale, layers=text)


wrong("ex10_playground", "a Sigmoid output", playground([(2, 16, "ReLU"), (16, 3, "Sigmoid")]), "playground_output")
wrong("ex10_playground", "pixels' input_scale", playground([(2, 16, "ReLU"), (16, 3, "Softmax")], scale="rng=0"),
      "playground_scale")
wrong("ex10_playground", "no hidden layer", playground([(2, 3, "Softmax")]), "no_hidden_layer")
wrong("ex10_playground", "3 hidden units", playground([(2, 3, "ReLU"), (3, 3, "Softmax")]), "narrow")
wrong("ex10_playground", "two outputs", playground([(2, 16, "ReLU"), (16, 2, "Softmax")]), None, "3 outputs")
wrong("ex10_playground", "a Softmax hidden layer", playground([(2, 64, "Softmax"), (64, 3, "Softmax")]), None,
      "of new spiral points in the right arm (95% needed)")

right("ex10_playground", "playground_network", "from Playground import playground_network\n\n\ndef build():\n"
      "    return playground_network([16], 'ReLU', classes=3)\n")
right("ex10_playground", "32 Tanh units by hand", playground([(2, 32, "Tanh"), (32, 3, "Softmax")]))
right("ex10_playground", "two ReLU layers by hand", playground([(2, 24, "ReLU"), (24, 24, "ReLU"), (24, 3, "Softmax")]))

# ---- right answers a learner wrote on a fresh clone, kept as files: tests/right_answers/exN_rNN_how.py
NAMES = {1: "ex1_batch", 2: "ex2_one_hot", 3: "ex3_activations", 4: "ex4_forward", 5: "ex5_backward",
         6: "ex6_update", 7: "ex7_train", 8: "ex8_output_error", 9: "ex9_broken_network", 10: "ex10_playground"}


# and the wrong ones, tests/wrong_answers/exN_wNN_what.py: each must fail, without a traceback (their
# hints are not asserted one by one: WRONG above holds the mistakes whose hints are)
LEARNERS_WRONG = []


def _learners_answers(folder, into):
    from pathlib import Path
    for path in sorted((Path(__file__).parent / folder).glob("ex*_*.py")):
        number, how = path.stem.split("_", 1)
        source = path.read_text()
        if number == "ex7":                             # the function train only
            source = source[source.index("def train("):source.index("def predict(")]
        into.append((NAMES[int(number[2:])], how + " (a learner's file)", source))


_learners_answers("right_answers", RIGHT)
_learners_answers("wrong_answers", LEARNERS_WRONG)
