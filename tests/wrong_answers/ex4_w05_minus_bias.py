def forward(A_prev, W, b, g):
    Z = A_prev @ W - b
    return g(Z), Z
