import numpy as np
def batch(data, labels, batch_size):
    k = int(np.ceil(len(data) / batch_size))
    for d, l in zip(np.array_split(data, k), np.array_split(labels, k)):
        yield d, l
