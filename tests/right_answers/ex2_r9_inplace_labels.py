import numpy as np
def one_hot_encode(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    labels -= labels.min() * 0   # learner "normalising" labels in place, harmless but in place
    labels[labels >= num_classes] = num_classes - 1
    out[np.arange(len(labels)), labels] = 1.0
    return out
