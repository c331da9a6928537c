def forward(A_prev, W, b, g):
    Z = (A_prev / 255.0) @ W + b
    return g(Z), Z
