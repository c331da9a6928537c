def batch(data, labels, batch_size):
    for i in range(0, len(data) + 1, batch_size):
        yield data[i:i+batch_size], labels[i:i+batch_size]
