import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= dW / learning_rate
    b -= db / learning_rate
