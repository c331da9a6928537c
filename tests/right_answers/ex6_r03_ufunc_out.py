import numpy as np


def update(W, b, dW, db, learning_rate):
    np.subtract(W, learning_rate * dW, out=W)
    np.add(b, -learning_rate * db, out=b)
    return None
