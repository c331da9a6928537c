import numpy as np
def one_hot_encode(labels, num_classes):
    return np.eye(num_classes, dtype=int)[labels]
