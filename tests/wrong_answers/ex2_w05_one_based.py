import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    out[np.arange(len(labels)), labels - 1] = 1.0
    return out
