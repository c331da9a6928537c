def batch(data, labels, batch_size):
    start = 0
    while start < len(data):
        stop = min(start + batch_size, len(data))
        yield data[start:stop], labels[start:stop]
        start = stop
