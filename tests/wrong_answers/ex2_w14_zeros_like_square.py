import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((num_classes, num_classes))[:len(labels)]
    for i in range(num_classes):
        if i < len(labels):
            out[i, labels[i]] = 1.0
    return out
