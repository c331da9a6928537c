import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= learning_rate * dW
    b -= learning_rate * db.mean(axis=0, keepdims=True) / max(1, dW.shape[0])
