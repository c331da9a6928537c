import numpy as np
def batch(data, labels, batch_size):
    idx = np.random.permutation(len(data))
    for i in range(0, len(data), batch_size):
        j = idx[i:i+batch_size]
        yield data[j], labels[j]
