def forward(A_prev, W, b, g):
    Z = A_prev @ W + b[0][0]
    return g(Z), Z
