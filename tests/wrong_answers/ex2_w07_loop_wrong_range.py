import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    for i in range(min(num_classes, len(labels))):
        out[i, labels[i]] = 1.0
    return out
