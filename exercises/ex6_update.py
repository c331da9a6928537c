"""Exercise 6: one step of gradient descent (notes: Layer_dense.py, "update_parameters"; walkthrough
section 8, "Gradient descent").

    W <- W - learning_rate dW
    b <- b - learning_rate db
Change W and b in place (W -= ..., as the notes do: the layer keeps the same arrays) and leave dW
and db as they are.  Check it:   python exercises/check.py 6
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""


def update(W, b, dW, db, learning_rate):
    """One gradient-descent step on W and b, in place. Returns nothing."""
    raise NotImplementedError("write update")
