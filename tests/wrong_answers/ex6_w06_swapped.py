import numpy as np


def update(W, b, dW, db, learning_rate):
    W -= learning_rate * db
    b -= learning_rate * dW
