def batch(data, labels, batch_size):
    n = len(data) // batch_size
    for k in range(n):
        yield data[k*batch_size:(k+1)*batch_size], labels[k*batch_size:(k+1)*batch_size]
