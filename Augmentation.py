"""Data augmentation: new training digits made from old ones, a little turned, scaled, slanted,
shifted and wobbled, so that the network learns what stays the same when a digit is written
differently. The notes' MNIST.py has no augmentation; train uses it through transform=.

    random_affine(images, rng)       each image moved by its own random affine map (and, with
                                     elastic=, a smooth random displacement)
    smooth_displacement(...)         the random rubber-sheet field behind elastic=
    affine_warp(images, ...)         the bilinear resampling that moves the pixels

Images are rows (N, side*side) of pixels, as load_mnist returns them; the caller's array is never
changed. Pass it to training as network.train(..., transform=random_affine).
"""
import functools

import numpy as np

from Utils import check_non_negative, make_rng


def random_affine(images, rng, rotation=11.0, scale=0.1, shear=0.15, shift=2.0, elastic=0.0):
    """Each image turned, scaled, sheared and shifted by its own random amount: data augmentation.

    images (N, 784) with pixels 0..255 (any side x side images flattened; unchanged) -> a new
    float32 array of the same shape. rng: a seed or np.random.Generator. Each argument is the
    largest deviation, drawn uniformly per image: rotation in degrees, scale as a fraction
    (0.1: 0.9 to 1.1 times the size), shear (x += shear * y), shift in pixels along each axis.
    elastic: the standard deviation, in pixels, of an extra smooth random displacement of every
    pixel (a rubber-sheet wobble, as in Simard et al. 2003's elastic distortions; 0 is off).
    All zero gives the images back unchanged. Pass it to train as transform=random_affine.
    """
    images = np.asarray(images)
    if images.ndim != 2:
        raise ValueError(f"images must be 2-D (n_images, n_pixels), got shape {images.shape}")
    for name, value in (("rotation", rotation), ("scale", scale), ("shear", shear), ("shift", shift),
                        ("elastic", elastic)):
        check_non_negative(value, name)
    if scale >= 1:
        raise ValueError(f"scale must be below 1 (a fraction of the size), got {scale}")
    rng = make_rng(rng)
    n = len(images)
    angle = np.deg2rad(rng.uniform(-rotation, rotation, n))
    zoom = 1 + rng.uniform(-scale, scale, n)
    slant = rng.uniform(-shear, shear, n)
    offset = rng.uniform(-shift, shift, (n, 2))
    cos, sin, zeros, ones = np.cos(angle), np.sin(angle), np.zeros(n), np.ones(n)
    # Per image, in (row, column) coordinates: rotate @ slant @ zoom, each (n, 2, 2).
    rotate = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], 1)
    slant = np.stack([np.stack([ones, zeros], -1), np.stack([slant, ones], -1)], 1)   # column += shear * row
    forward = rotate @ slant * zoom[:, None, None]
    displacement = smooth_displacement(rng, n, images.shape[1], elastic) if elastic else None
    return affine_warp(images, forward, offset, displacement)


def smooth_displacement(rng, n, n_pixels, size, spacing=6.0):
    """n random displacement fields (n, 2, n_pixels) of (row, column) shifts: smooth, with standard
    deviation size pixels. Normal noise N on a coarse grid of control points spacing pixels apart,
    spread over the image by Gaussian weights U (side, k), rows of unit length: field = U N U^T,
    computed for all fields at once as N flattened times kron(U, U)^T."""
    side = int(round(np.sqrt(n_pixels)))
    spread = _displacement_basis(side, spacing)                                  # (side*side, k*k)
    noise = rng.standard_normal((2 * n, spread.shape[1]), dtype=np.float32)
    return (noise @ (size * spread.T)).reshape(n, 2, n_pixels)


@functools.lru_cache(maxsize=8)
def _displacement_basis(side, spacing):
    """kron(U, U) for smooth_displacement: U[i, j] = exp(-(i - c_j)^2 / 2 spacing^2), rows normalised."""
    controls = np.arange(-spacing, side + spacing, spacing)                      # (k,)
    U = np.exp(-0.5 * ((np.arange(side)[:, None] - controls[None, :]) / spacing) ** 2)
    U /= np.linalg.norm(U, axis=1, keepdims=True)                                # (side, k)
    return np.kron(U, U).astype(np.float32)


def affine_warp(images, matrices, offsets, displacement=None):
    """Images moved by p -> matrices[k] @ (p - c) + c + offsets[k], sampled bilinearly.

    images (N, side*side); matrices (N, 2, 2) and offsets (N, 2) act on (row, column) pixel
    coordinates, c being the image's centre ((side - 1) / 2 in both). Each output pixel p takes
    the value at the source point matrices[k]^-1 (p - c - offsets[k]) + c (plus
    displacement[k, :, p] if given, shape (N, 2, side*side)), interpolated from its four
    neighbours; outside the image counts as 0. Returns float32 of the same shape.
    """
    n, n_pixels = images.shape
    side = int(round(np.sqrt(n_pixels)))
    if side * side != n_pixels:
        raise ValueError(f"cannot treat {n_pixels} pixels as a square image")
    centre = (side - 1) / 2
    (a, b), (c, d) = np.moveaxis(matrices, 0, -1)[:, :, :, None]                    # each (n, 1)
    determinant = a * d - b * c
    # The 2x2 inverse (d, -b; -c, a) / determinant, and where it takes the offset: (n, 1) each.
    inverse = [[(d / determinant).astype(np.float32), (-b / determinant).astype(np.float32)],
               [(-c / determinant).astype(np.float32), (a / determinant).astype(np.float32)]]
    moved = [inverse[i][0] * offsets[:, :1] + inverse[i][1] * offsets[:, 1:] for i in (0, 1)]
    row, column = np.indices((side, side), dtype=np.float32).reshape(2, -1) - centre   # each (side*side,)
    # The source point of every output pixel, in pixels of a padded image (see below): (n, side*side).
    sources = []
    for i in (0, 1):
        source = inverse[i][0] * row + inverse[i][1] * column
        source -= moved[i].astype(np.float32)
        if displacement is not None:
            source += displacement[:, i]
        np.clip(source, -1 - centre, side - centre, out=source)
        source += centre + 1
        sources.append(source)
    # The images on a zero border, one pixel wide before them and two after, so that the four
    # neighbours of any source point clipped to [-1, side] lie inside: outside reads zeros.
    width = side + 3
    padded = np.zeros((n, width, width), dtype=np.float32)
    padded[:, 1:side + 1, 1:side + 1] = images.reshape(n, side, side)
    top, left = np.floor(sources[0]), np.floor(sources[1])
    down, right = sources[0] - top, sources[1] - left                                # in [0, 1)
    index = (top * width + left).astype(np.intp)
    index += (np.arange(n) * width * width)[:, None]
    flat = padded.reshape(-1)
    # The four neighbours, from views of flat shifted by 1 (right), width (below) or both.
    top_left, top_right = np.take(flat, index), np.take(flat[1:], index)
    bottom_left, bottom_right = np.take(flat[width:], index), np.take(flat[width + 1:], index)
    upper = top_left + (top_right - top_left) * right
    lower = bottom_left + (bottom_right - bottom_left) * right
    return upper + (lower - upper) * down
