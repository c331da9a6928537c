import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= learning_rate * dW.T
    b -= learning_rate * db
