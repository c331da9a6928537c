import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((len(labels), num_classes), dtype=np.float32)
    for n, l in enumerate(labels):
        out[n][int(l)] = 1
    return out
