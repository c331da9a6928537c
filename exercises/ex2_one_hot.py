"""Exercise 2: one-hot encoding (notes: Utils.py, "one_hot_encode"; walkthrough section 3).

Write the body of one_hot_encode below, then check it:   python exercises/check.py 2
"""


def one_hot_encode(labels, num_classes):
    """Row n of the result is e_{labels[n]}: 1.0 in column labels[n], 0.0 everywhere else.

    labels: integers in [0, num_classes), shape (N,). Returns a float array of shape (N, num_classes).
    Example: labels [0, 2, 1] with 3 classes -> [[1, 0, 0], [0, 0, 1], [0, 1, 0]].
    """
    raise NotImplementedError("write one_hot_encode")
