import numpy as np
def one_hot_encode(labels, num_classes):
    classes, idx = np.unique(labels, return_inverse=True)
    out = np.zeros((len(labels), num_classes))
    out[np.arange(len(labels)), idx] = 1.0
    return out
