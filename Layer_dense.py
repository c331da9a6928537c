"""A fully connected layer and its activation functions, in NumPy.

Each sample is a row: a batch of N samples is an (N, n_features) array, so the notes'
column-vector equation z = W a + b is written here as Z = A_prev @ W + b, with W of shape
(n_in, n_out). dX always means dL/dX, the gradient of the loss L with respect to X, and has
the shape of X. Gradients are summed over the batch, as in the notes.

Beyond the notes, each off by default: dropout on the layer's inputs (in Forward and BackProp) and
L2 weight decay (in BackProp). Left out: batch normalisation, and every update rule but the notes'
plain step (momentum and Adam live in Optimizers.py). The layer computes; the network (Network.py)
decides what to do next.
"""
import numpy as np

from Utils import check_fraction, make_rng, positive_int


class Activation:
    """Activation functions g(z) and their derivatives g'(z), element-wise on any shape.

    Every d_ function takes the pre-activation z, as g'(z) in the notes. Softmax has no
    element-wise derivative: softmax_backward(a, da) takes its output a and the upstream gradient
    instead. All are pure.
    """

    @staticmethod
    def sigmoid(z):
        """sigmoid(z) = 1 / (1 + e^-z)."""
        # The identity 1 / (1 + e^-z) = (1 + tanh(z / 2)) / 2 never overflows, even for z = -1000.
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    @staticmethod
    def d_sigmoid(z):
        """sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))."""
        s = Activation.sigmoid(z)
        return s * (1.0 - s)

    @staticmethod
    def relu(z):
        """relu(z) = max(0, z)."""
        return np.maximum(z, 0)

    @staticmethod
    def d_relu(z):
        """relu'(z) = 1 if z > 0 else 0 (the kink at 0 gets 0)."""
        return (z > 0).astype(z.dtype)

    LEAKY_SLOPE = 0.01

    @staticmethod
    def leaky_relu(z):
        """leaky_relu(z) = z if z > 0 else 0.01 z."""
        return np.where(z > 0, z, Activation.LEAKY_SLOPE * z)

    @staticmethod
    def d_leaky_relu(z):
        """leaky_relu'(z) = 1 if z > 0 else 0.01 (the kink at 0 gets 0.01)."""
        dtype = np.result_type(z, np.float32)
        return np.where(z > 0, dtype.type(1), dtype.type(Activation.LEAKY_SLOPE))

    @staticmethod
    def tanh(z):
        """tanh(z) = (e^z - e^-z) / (e^z + e^-z)."""
        return np.tanh(z)

    @staticmethod
    def d_tanh(z):
        """tanh'(z) = 1 - tanh(z)^2."""
        return 1.0 - np.tanh(z) ** 2

    @staticmethod
    def softmax(z):
        """softmax(z)_i = e^z_i / sum_j e^z_j, along the last axis (each row sums to 1)."""
        # Subtracting the row maximum leaves the result unchanged and keeps e^z from overflowing.
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    @staticmethod
    def softmax_backward(a, da):
        """dz = a * (da - sum_j da_j a_j), rows a = softmax(z).

        Softmax mixes a row's entries, so its Jacobian is not diagonal and there is no
        element-wise g'(z): this takes the upstream gradient da and returns dz.
        """
        return a * (da - (da * a).sum(axis=-1, keepdims=True))


# Canonical name -> (g, g'). Softmax's backward step needs the upstream gradient: see BackProp.
ACTIVATIONS = {
    "Sigmoid": (Activation.sigmoid, Activation.d_sigmoid),
    "ReLU": (Activation.relu, Activation.d_relu),
    "LeakyReLU": (Activation.leaky_relu, Activation.d_leaky_relu),
    "Tanh": (Activation.tanh, Activation.d_tanh),
    "Softmax": (Activation.softmax, None),
}


def activation_name(name):
    """The canonical name for a spelling such as 'relu', 'Leaky ReLU', 'leaky_relu' or 'leaky-relu':
    case, spaces, underscores and hyphens are ignored."""
    if not isinstance(name, str):
        raise TypeError(f"activation_function must be a name (str), got {type(name).__name__}")
    key = name.replace(" ", "").replace("_", "").replace("-", "").lower()
    for canonical in ACTIVATIONS:
        if canonical.lower() == key:
            return canonical
    raise ValueError(f"unknown activation {name!r}; valid activations: {', '.join(ACTIVATIONS)}")


class Layer_dense:
    """Fully connected layer:  Z = A_prev W + b,  A = g(Z).

    Shapes (N = batch size): A_prev (N, n_in), W (n_in, n_out), b (1, n_out), Z and A (N, n_out).

    number_inputs, number_outputs: n_in and n_out.
    activation_function: 'Sigmoid', 'ReLU', 'LeakyReLU', 'Tanh' or 'Softmax' (case, spaces,
        underscores and hyphens are ignored, so 'relu', 'Leaky ReLU' and 'leaky-relu' work too).
    rng: a seed or np.random.Generator; the same seed gives the same initial weights (and the
        same dropout masks).
    dtype: float32 (fast, the default) or float64 (for gradient checks).
    dropout: probability p of zeroing each input unit while training (0, the default, is off).
    """

    def __init__(self, number_inputs, number_outputs, activation_function="ReLU",
                 rng=None, dtype=np.float32, dropout=0.0):
        self.n_in = positive_int(number_inputs, "number_inputs")
        self.n_out = positive_int(number_outputs, "number_outputs")
        self.activation = activation_name(activation_function)
        self.g, self.d_g = ACTIVATIONS[self.activation]
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        # Small random weights break the symmetry between neurons; their spread keeps the
        # variance of Z near that of A_prev: He scaling sqrt(2/n_in) for the ReLU family,
        # sqrt(1/n_in) for the saturating activations. Biases start at zero.
        gain = 2.0 if self.activation in ("ReLU", "LeakyReLU") else 1.0
        self.rng = make_rng(rng)
        self.W = self.rng.standard_normal((self.n_in, self.n_out), dtype=dtype) * dtype.type(np.sqrt(gain / self.n_in))
        self.b = np.zeros((1, self.n_out), dtype=dtype)
        self.dropout = check_fraction(dropout, "dropout")
        self.mask = None                 # the dropout mask M of the last training Forward
        self.A_prev = self.Z = None      # what Forward keeps for BackProp

    def __repr__(self):
        dropout = f", dropout={self.dropout}" if self.dropout else ""
        return f"Layer_dense({self.n_in}, {self.n_out}, {self.activation!r}, dtype={self.W.dtype.name}{dropout})"

    def Forward(self, A_prev, training=False):
        """Z = A_prev W + b;  A = g(Z).   (notes: forward propagation)

        A_prev (N, n_in) -> A (N, n_out). Caches A_prev and Z for BackProp; W, b untouched.
        training: with dropout p > 0, first A_prev <- A_prev * M, where M_ij is 1/(1-p) with
            probability 1-p and 0 otherwise (so the expected input is unchanged; predictions,
            made with training=False, use every input).
        """
        shape = np.shape(A_prev)
        if len(shape) != 2 or shape[1] != self.n_in:
            raise ValueError(f"layer {self.n_in}x{self.n_out} ({self.activation}) takes inputs of shape "
                             f"(N, {self.n_in}): one row of {self.n_in} values per sample; got shape {shape}")
        self.mask = None
        if training and self.dropout:
            keep = self.rng.random(A_prev.shape, dtype=self.W.dtype) >= self.dropout
            self.mask = np.multiply(keep, 1 / (1 - self.dropout), dtype=self.W.dtype)   # (N, n_in)
            A_prev = A_prev * self.mask
        self.A_prev = A_prev
        self.Z = A_prev @ self.W + self.b            # (N, n_out)
        return self.g(self.Z)                        # (N, n_out)

    def BackProp(self, dA, output_error=False, input_gradient=True, weight_decay=0.0):
        """dZ = dA * g'(Z);  dW = A_prev^T dZ;  db = sum_n dZ;  dA_prev = dZ W^T.

        dA (N, n_out) -> dA_prev (N, n_in). Stores dW (n_in, n_out) and db (1, n_out);
        W, b untouched. With dropout, A_prev is the masked input and dA_prev is multiplied by
        the same mask M.
        output_error: dA is already dZ, the output error of the notes. For sigmoid with binary
            cross-entropy and softmax with categorical cross-entropy, dL/dZ = A - Y, which
            already contains g'(Z); multiplying by g'(Z) again would be wrong.
        input_gradient: False skips dA_prev (and returns None); the first layer's input is
            the data, whose gradient nobody uses, so this saves one matrix product.
        weight_decay: lambda of an L2 penalty (lambda/2) ||W||^2 added to the loss, whose
            gradient adds lambda W to dW (biases are not penalised).
        """
        if self.Z is None:
            raise RuntimeError(f"BackProp needs what Forward keeps (A_prev and Z): call Forward on this batch "
                               f"before BackProp (layer {self.n_in}x{self.n_out}, {self.activation})")
        if np.shape(dA) != self.Z.shape:
            raise ValueError(f"dA must have the shape of this layer's output in the last Forward, {self.Z.shape}; "
                             f"got {np.shape(dA)}")
        if output_error:
            dZ = dA
        elif self.d_g is None:                       # softmax: see Activation.softmax_backward
            dZ = Activation.softmax_backward(self.g(self.Z), dA)
        else:
            dZ = dA * self.d_g(self.Z)               # (N, n_out)
        self.dW = self.A_prev.T @ dZ                 # (n_in, n_out)
        if weight_decay:
            self.dW += weight_decay * self.W
        self.db = dZ.sum(axis=0, keepdims=True)      # (1, n_out)
        if not input_gradient:
            return None
        dA_prev = dZ @ self.W.T                      # (N, n_in)
        return dA_prev if self.mask is None else dA_prev * self.mask

    def update_parameters(self, learning_rate):
        """W <- W - learning_rate dW;  b <- b - learning_rate db.  The only method that changes W, b.

        (The update rules beyond the notes, momentum and Adam, are in Optimizers.py.)
        """
        self.W -= learning_rate * self.dW
        self.b -= learning_rate * self.db
