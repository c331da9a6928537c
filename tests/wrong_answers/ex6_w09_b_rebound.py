import numpy as np


def update(W, b, dW, db, learning_rate):
    W[:] = W - learning_rate * dW
    b = b - learning_rate * db
