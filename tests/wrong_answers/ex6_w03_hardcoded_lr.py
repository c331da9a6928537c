import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= 0.001 * dW
    b -= 0.001 * db
