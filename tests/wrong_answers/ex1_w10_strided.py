def batch(data, labels, batch_size):
    n = -(-len(data) // batch_size)
    for k in range(n):
        yield data[k::n], labels[k::n]
