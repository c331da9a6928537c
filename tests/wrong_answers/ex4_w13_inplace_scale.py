def forward(A_prev, W, b, g):
    A_prev /= max(1.0, A_prev.max())
    Z = A_prev @ W + b
    return g(Z), Z
