def batch(data, labels, batch_size):
    for i in range(0, len(data), batch_size):
        return data[i:i+batch_size], labels[i:i+batch_size]
