"""Exercise 5: a dense layer's backward pass (notes: Layer_dense.py, "BackProp"; walkthrough
section 8, "Backpropagation" and "Gradients").

dX means dL/dX, the gradient of the loss L with respect to X; it has the shape of X.
Given dA (N, n_out), the gradient with respect to this layer's output A = g(Z):
    dZ = dA * g'(Z)                  (element by element; the notes' Omega)
    dW = A_prev^T dZ                 (n_in, n_out)
    db = sum over the samples of dZ  (1, n_out): a sum, as in the notes, not a mean
    dA_prev = dZ W^T                 (N, n_in): what the layer below receives
At the output layer the notes start from the output error A - Y, which is already dZ (exercise 8
derives why): then output_error is True and g'(Z) must not be applied.
Check it:   python exercises/check.py 5
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""


def backward(dA, A_prev, Z, W, d_g, output_error=False):
    """Returns (dA_prev, dW, db) as above. d_g: the derivative g'(z), e.g. d_relu from exercise 3.

    output_error: dA is already dZ (the output layer's A - Y). Do not change any argument.
    """
    raise NotImplementedError("write backward")
