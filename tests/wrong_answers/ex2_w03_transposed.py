import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((num_classes, len(labels)))
    out[labels, np.arange(len(labels))] = 1.0
    return out
