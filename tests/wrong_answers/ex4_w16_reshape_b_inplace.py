def forward(A_prev, W, b, g):
    b.shape = (b.size,)
    Z = A_prev @ W + b
    return g(Z), Z
