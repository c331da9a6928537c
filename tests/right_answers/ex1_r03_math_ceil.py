import math
def batch(data, labels, batch_size):
    for k in range(math.ceil(len(labels) / batch_size)):
        s = slice(k * batch_size, (k + 1) * batch_size)
        yield (data[s], labels[s])
