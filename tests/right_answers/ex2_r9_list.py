def one_hot_encode(labels, num_classes):
    return [[1.0 if c == l else 0.0 for c in range(num_classes)] for l in labels]
