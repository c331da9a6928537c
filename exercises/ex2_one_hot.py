"""Exercise 2: one-hot encoding (notes: Utils.py, "one_hot_encode"; walkthrough section 3).

Write the body of one_hot_encode below, then check it:   python exercises/check.py 2
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""


def one_hot_encode(labels, num_classes):
    """Row n of the result is e_{labels[n]}: 1.0 in column labels[n], 0.0 everywhere else.

    labels: integers in [0, num_classes), shape (N,). Returns a float array (0.0 and 1.0, not int or
    bool) of shape (N, num_classes). num_classes may be larger than any label given: a batch of 32
    digits may hold no 9, and still has 10 columns.
    Example: labels [0, 2, 1] with 3 classes -> [[1, 0, 0], [0, 0, 1], [0, 1, 0]].
    """
    raise NotImplementedError("write one_hot_encode")
