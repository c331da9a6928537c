import numpy as np


def update(W, b, dW, db, learning_rate):
    lr = 0.01 if learning_rate > 0.01 else learning_rate
    W -= lr * dW
    b -= lr * db
