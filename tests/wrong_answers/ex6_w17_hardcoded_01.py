import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= 0.1 * dW
    b -= 0.1 * db
