"""Exercise 4: a dense layer's forward pass (notes: Layer_dense.py, "Forward"; walkthrough sections 5
and 8, "Forward propagation").

Shapes, for a batch of N samples as rows: A_prev (N, n_in), W (n_in, n_out), b (1, n_out),
Z and A (N, n_out). The notes write one sample as a column, z = W a + b; for rows that is
Z = A_prev W + b.  Check it:   python exercises/check.py 4
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""


def forward(A_prev, W, b, g):
    """Z = A_prev W + b;  A = g(Z).  Returns (A, Z): Z is what the backward pass needs.

    g: the activation function, e.g. relu from exercise 3. Do not change A_prev, W or b.
    """
    raise NotImplementedError("write forward")
