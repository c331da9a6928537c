def forward(A_prev, W, b, g):
    Z = A_prev @ W.T + b
    return g(Z), Z
