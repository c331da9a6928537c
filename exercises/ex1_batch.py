"""Exercise 1: cut the data into mini-batches (notes: Utils.py, "batch"; walkthrough section 2).

Write the body of batch below, then check it:   python exercises/check.py 1
You may import NumPy and Python's standard library (nothing else is needed, or checked for).
"""


def batch(data, labels, batch_size):
    """Yield (data[i:i+batch_size], labels[i:i+batch_size]) for i = 0, batch_size, 2 batch_size, ...

    data: an array of N samples (N, n_features); labels: N labels (N,).
    The batches are consecutive slices, in order; the last one is shorter when batch_size does not
    divide N (10 samples in batches of 3: 3, 3, 3 and 1). Do not change or reorder the arrays given.
    """
    raise NotImplementedError("write batch")
