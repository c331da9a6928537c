def forward(A_prev, W, b, g):
    Z = A_prev @ W + b.T
    return g(Z), Z
