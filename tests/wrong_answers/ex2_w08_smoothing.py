import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.full((len(labels), num_classes), 0.01)
    out[np.arange(len(labels)), labels] = 0.99
    return out
