def batch(data, labels, batch_size):
    for i in range(0, len(data), batch_size):
        yield labels[i:i+batch_size], data[i:i+batch_size]
