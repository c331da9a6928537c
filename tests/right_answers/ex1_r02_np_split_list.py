import numpy as np
def batch(data, labels, batch_size):
    cuts = list(range(batch_size, len(data), batch_size))
    return list(zip(np.split(data, cuts), np.split(labels, cuts)))
