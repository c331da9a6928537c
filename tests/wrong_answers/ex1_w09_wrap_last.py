import numpy as np
def batch(data, labels, batch_size):
    N = len(data)
    for i in range(0, N, batch_size):
        j = np.arange(i, i + batch_size) % N
        yield data[j], labels[j]
