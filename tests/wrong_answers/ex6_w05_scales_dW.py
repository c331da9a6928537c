import numpy as np


def update(W, b, dW, db, learning_rate):
    dW *= learning_rate
    db *= learning_rate
    W -= dW
    b -= db
