import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= 0.01 * dW
    b -= 0.01 * db
