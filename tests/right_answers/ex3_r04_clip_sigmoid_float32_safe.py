import math
import numpy as np


def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def relu(z):
    out = z.copy()
    out[out < 0] = 0
    return out


def d_relu(z):
    return np.greater(z, 0) * 1.0


def tanh(z):
    return np.tanh(z)


def d_tanh(z):
    return 1 - np.tanh(z) ** 2


def softmax(z):
    z = z - np.amax(z, axis=1).reshape(-1, 1)
    e = np.exp(z)
    return e / np.sum(e, axis=1)[:, np.newaxis]
