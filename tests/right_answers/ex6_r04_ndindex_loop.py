import numpy as np


def update(W, b, dW, db, learning_rate):
    for idx in np.ndindex(W.shape):
        W[idx] -= learning_rate * dW[idx]
    for j in range(b.shape[1]):
        b[0, j] -= learning_rate * db[0, j]
