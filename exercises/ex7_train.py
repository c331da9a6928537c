"""Exercise 7: the training loop, on top of your own layer (notes: Network.py, "train"; walkthrough
section 7).

Layer below is ready: it keeps W and b and calls your forward, backward and update (exercises 4 to
6). Write train. The check trains the notes' network (784 -> 64 ReLU -> 10 Sigmoid) with it on
10,000 MNIST images for 3 epochs and measures it on the 10,000 test images: the library's own layer
and loop reach 89.5% that way, so yours should reach 88%. Before that, it trains a small network on
96 images with other epochs, batch sizes and learning rates and compares your weights and
accuracies with the notes' loop, step for step.   Check it:   python exercises/check.py 7
You may import NumPy and Python's standard library (nothing else is needed, or checked for).

    layers = [Layer(784, 64, relu, d_relu, np.random.default_rng(0)),
              Layer(64, 10, sigmoid, d_sigmoid, np.random.default_rng(1))]
    accuracies = train(layers, train_X[:10000], train_y[:10000], 3, 32, 0.001)
"""
import numpy as np
from ex1_batch import batch  # noqa: F401  (train will use it)
from ex2_one_hot import one_hot_encode  # noqa: F401  (train will use it)
from ex3_activations import d_relu, d_sigmoid, relu, sigmoid  # noqa: F401  (the check builds its layers with these)
from ex4_forward import forward
from ex5_backward import backward
from ex6_update import update


class Layer:
    """Your dense layer: W, b and your three steps (nothing to write here)."""

    def __init__(self, n_in, n_out, g, d_g, rng):
        gain = 2.0 if g is relu else 1.0                 # He for ReLU, as Layer_dense does
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(gain / n_in)
        self.b = np.zeros((1, n_out))
        self.g, self.d_g = g, d_g

    def Forward(self, A_prev):
        self.A_prev = A_prev
        A, self.Z = forward(A_prev, self.W, self.b, self.g)
        return A

    def BackProp(self, dA, output_error=False):
        dA_prev, self.dW, self.db = backward(dA, self.A_prev, self.Z, self.W, self.d_g, output_error)
        return dA_prev

    def update_parameters(self, learning_rate):
        update(self.W, self.b, self.dW, self.db, learning_rate)


def train(layers, data, labels, epochs, batch_size, learning_rate):
    """Mini-batch gradient descent, the notes' loop. For each epoch, for each (batch_x, batch_y) of
    batch(data, labels, batch_size), in order:

    1. x = batch_x / 255.0: pixels 0..255 to 0..1, into a new array (never batch_x /= 255.0,
       which would change the caller's data);
    2. forward: A = x, then A = layer.Forward(A) for each layer, first to last;
    3. the output error A - Y, with Y = one_hot_encode(batch_y, number of outputs): for a Sigmoid
       output and the cross-entropy the loop pairs with it, the chain rule through sigmoid' cancels
       to exactly this, so it is already the output layer's dZ (exercise 8 derives it for softmax);
    4. backward: for each layer, last to first, dA = layer.BackProp(dA, output_error=True for the
       last layer only), starting from dA = the output error;
    5. update: layer.update_parameters(learning_rate) for each layer.
    data (N, 784) pixels, labels (N,). Returns a list with each epoch's training accuracy: the
    fraction (0.9, not 90) of the epoch's samples whose output in step 2 had its largest value at
    the label, counted afresh in each epoch.
    """
    raise NotImplementedError("write train")


def predict(layers, data):
    """The class with the largest output for each row of data (ready)."""
    A = data / 255.0
    for layer in layers:
        A = layer.Forward(A)
    return A.argmax(axis=1)
