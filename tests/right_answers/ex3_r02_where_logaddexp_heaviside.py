import math
import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def d_sigmoid(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def relu(z):
    return np.clip(z, 0, None)


def d_relu(z):
    return np.heaviside(z, 0)


def tanh(z):
    return 2 * sigmoid(2 * z) - 1


def d_tanh(z):
    t = tanh(z)
    return 1 - t * t


def softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))
    return np.exp(z - lse)
