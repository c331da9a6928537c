def forward(A_prev, W, b, g):
    Z = g(A_prev @ W + b)
    A = Z
    return A, Z
