import numpy as np
def one_hot_encode(labels, num_classes):
    return np.eye(10)[labels][:, :num_classes]
