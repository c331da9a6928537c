import numpy as np


def update(W, b, dW, db, learning_rate):
    np.subtract(W, learning_rate * dW)
    np.subtract(b, learning_rate * db)
