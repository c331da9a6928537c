def forward(A_prev, W, b, g):
    Z = (A_prev * W.T).sum(axis=1, keepdims=True) + b
    return g(Z), Z
