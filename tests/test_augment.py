"""Augmentation.random_affine and affine_warp: the geometry is right, the input is untouched, the ink is kept."""
import numpy as np
import pytest

from Augmentation import affine_warp, random_affine


def test_all_ranges_zero_gives_the_images_back_unchanged(mnist):
    (X, _), _ = mnist
    images = X[:500]
    copy = images.copy()
    out = random_affine(images, 0, rotation=0, scale=0, shear=0, shift=0)
    assert out.dtype == np.float32 and out.shape == images.shape
    np.testing.assert_array_equal(out, images)
    np.testing.assert_array_equal(images, copy)


def test_a_quarter_turn_and_a_whole_pixel_shift_move_the_pixels_exactly(mnist):
    (X, _), _ = mnist
    images = X[:4]
    quarter = np.array([[[0.0, -1.0], [1.0, 0.0]]] * 4)          # (row, column) -> (-column, row)
    turned = affine_warp(images, quarter, np.zeros((4, 2))).reshape(4, 28, 28)
    np.testing.assert_array_equal(turned, np.rot90(images.reshape(4, 28, 28), 1, axes=(1, 2)))
    moved = affine_warp(images, np.array([np.eye(2)] * 4), np.array([[1.0, -2.0]] * 4)).reshape(4, 28, 28)
    expected = np.zeros((4, 28, 28))
    expected[:, 1:, :-2] = images.reshape(4, 28, 28)[:, :-1, 2:]
    np.testing.assert_array_equal(moved, expected)


def test_half_a_pixel_shift_averages_neighbours_bilinearly():
    image = np.zeros((1, 16))
    image[0, 5] = 200                                              # row 1, column 1 of a 4x4 image
    out = affine_warp(image, np.eye(2)[None], np.array([[0.5, 0.5]])).reshape(4, 4)
    np.testing.assert_allclose(out[1:3, 1:3], 50)
    assert out.sum() == pytest.approx(200)


def test_the_default_transform_keeps_the_ink_and_varies_every_digit(mnist):
    (X, _), _ = mnist
    images = X[:2000]
    copy = images.copy()
    out = random_affine(images, np.random.default_rng(0))
    np.testing.assert_array_equal(images, copy)
    assert 0 <= out.min() and out.max() <= 255
    ink_ratio = out.sum(axis=1) / images.sum(axis=1)
    assert abs(ink_ratio.mean() - 1) < 0.03                        # scale 0.9-1.1 changes the area by 0.81-1.21
    assert 0.7 < ink_ratio.min() and ink_ratio.max() < 1.3
    assert np.all(np.abs(out - images).sum(axis=1) > 0)
    np.testing.assert_array_equal(out, random_affine(images, np.random.default_rng(0)))
    assert not np.array_equal(out, random_affine(images, np.random.default_rng(1)))


def test_shifts_move_the_centre_of_mass_by_at_most_the_shift(mnist):
    (X, _), _ = mnist
    images = X[:300].reshape(-1, 28, 28).astype(np.float64)
    out = random_affine(X[:300], 3, rotation=0, scale=0, shear=0, shift=2).reshape(-1, 28, 28).astype(np.float64)
    index = np.arange(28)

    def centre(a):
        mass = a.sum(axis=(1, 2))
        return np.stack([(a.sum(2) * index).sum(1) / mass, (a.sum(1) * index).sum(1) / mass], 1)

    moved = np.abs(centre(out) - centre(images))
    assert moved.max() <= 2.05 and moved.mean() > 0.7             # uniform in [-2, 2]: mean |shift| is 1


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(rotation=-5), ValueError, "rotation must be zero or positive, got -5"),
    (dict(elastic=float("nan")), ValueError, "elastic must be a finite number, got nan"),
    (dict(shift="2"), TypeError, "shift must be a number, got '2'"),
    (dict(scale=1.5), ValueError, "scale must be below 1 (a fraction of the size), got 1.5"),
    (dict(rng="seed"), TypeError, "rng must be a seed (a non-negative integer), a np.random.Generator or None, "
                                  "got 'seed'"),
])
def test_bad_ranges_get_a_clear_error(kwargs, error, message):
    kwargs = {"rng": 0, **kwargs}
    with pytest.raises(error) as raised:
        random_affine(np.zeros((2, 784)), **kwargs)
    assert str(raised.value) == message


def test_images_that_are_not_flat_squares_are_rejected():
    with pytest.raises(ValueError, match=r"images must be 2-D \(n_images, n_pixels\), got shape \(2, 28, 28\)"):
        random_affine(np.zeros((2, 28, 28)), 0)
    with pytest.raises(ValueError, match="cannot treat 780 pixels as a square image"):
        random_affine(np.zeros((2, 780)), 0)


def test_the_augmented_picture_shows_each_digit_above_its_transformed_self(mnist, demo, tmp_path, capsys):
    import Plots
    (X, _), _ = mnist
    transformed = random_affine(X[:4], 0)
    fig = Plots.plot_augmented(X[:4], transformed)
    assert len(fig.axes) == 8
    for k in range(4):
        np.testing.assert_array_equal(fig.axes[k].images[0].get_array(), X[k].reshape(28, 28))
        np.testing.assert_array_equal(fig.axes[4 + k].images[0].get_array(), transformed[k].reshape(28, 28))
    demo(["--train-size", "2000", "--epochs", "1", "--quiet", "--augment",
          "--elastic", "1", "--plots", "augmented", "--figure-dir", str(tmp_path)])
    assert (tmp_path / "mnist_augmented.png").stat().st_size > 5000
    assert "Saved training digits before and after augmentation to" in capsys.readouterr().out


# ---- An independent reference: the documented map, pixel by pixel, in float64 ----------------------

def reference_warp(images, matrices, offsets, displacement=None):
    """Output pixel p of image k: the bilinear value at M_k^-1 (p - c - o_k) + c (+ displacement),
    0 outside the image, written out one pixel at a time as affine_warp's docstring says."""
    n, n_pixels = images.shape
    side = int(round(np.sqrt(n_pixels)))
    centre = (side - 1) / 2
    out = np.zeros((n, side, side))
    for k in range(n):
        image = images[k].reshape(side, side).astype(np.float64)
        inverse = np.linalg.inv(matrices[k])

        def value(r, c):
            return image[r, c] if 0 <= r < side and 0 <= c < side else 0.0
        for r in range(side):
            for c in range(side):
                source = inverse @ (np.array([r, c]) - centre - offsets[k]) + centre
                if displacement is not None:
                    source = source + displacement[k, :, r * side + c]
                r0, c0 = int(np.floor(source[0])), int(np.floor(source[1]))
                dr, dc = source[0] - r0, source[1] - c0
                out[k, r, c] = ((1 - dr) * ((1 - dc) * value(r0, c0) + dc * value(r0, c0 + 1))
                                + dr * ((1 - dc) * value(r0 + 1, c0) + dc * value(r0 + 1, c0 + 1)))
    return out.reshape(n, n_pixels)


def test_affine_warp_is_the_documented_map_sampled_bilinearly():
    rng = np.random.default_rng(5)
    images = rng.uniform(0, 255, (3, 64))                                    # 8x8, every pixel distinct
    matrices = np.array([[[1.1, 0.3], [-0.2, 0.9]], [[0.0, -1.0], [1.0, 0.0]], [[0.8, 0.0], [0.1, 1.3]]])
    offsets = np.array([[0.4, -1.7], [0.0, 0.0], [-2.5, 3.2]])               # the last one reaches outside
    displacement = rng.normal(0, 0.7, (3, 2, 64))
    for field in (None, displacement):
        got = affine_warp(images, matrices, offsets, field)
        np.testing.assert_allclose(got, reference_warp(images, matrices, offsets, field), atol=2e-3)


def test_random_affine_draws_each_images_map_as_documented():
    """rotation R, shear S (column += shear * row), zoom z: the map z R S, then the shift, then the
    elastic field, drawn in that order from rng."""
    images = np.random.default_rng(6).uniform(0, 255, (4, 64))
    rotation, scale, shear, shift, elastic = 20.0, 0.2, 0.3, 1.5, 0.8
    got = random_affine(images, np.random.default_rng(7), rotation, scale, shear, shift, elastic)
    rng = np.random.default_rng(7)
    angle = np.deg2rad(rng.uniform(-rotation, rotation, 4))
    zoom = 1 + rng.uniform(-scale, scale, 4)
    slant = rng.uniform(-shear, shear, 4)
    offset = rng.uniform(-shift, shift, (4, 2))
    from Augmentation import smooth_displacement
    field = smooth_displacement(rng, 4, 64, elastic)
    matrices = [z * np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.array([[1, 0], [s, 1]])
                for a, z, s in zip(angle, zoom, slant)]
    np.testing.assert_allclose(got, reference_warp(images, np.array(matrices), offset, field), atol=2e-3)
    assert np.abs(got - random_affine(images, np.random.default_rng(7), rotation, scale, shear, shift)).max() > 1


def test_the_elastic_field_is_smooth_float32_noise_of_the_size_asked_for():
    from Augmentation import smooth_displacement
    field = smooth_displacement(np.random.default_rng(0), 200, 784, 2.0)
    assert field.shape == (200, 2, 784) and field.dtype == np.float32
    assert 1.6 < field.std() < 2.4                                           # size: the standard deviation
    neighbours = np.corrcoef(field[:, 0, 406], field[:, 0, 407])[0, 1]       # one pixel apart: smooth
    assert neighbours > 0.9


@pytest.mark.parametrize("name", ["rotation", "scale", "shear", "shift", "elastic"])
def test_each_negative_range_is_named(name):
    with pytest.raises(ValueError, match=f"^{name} must be zero or positive, got -0.5$"):
        random_affine(np.zeros((2, 784)), 0, **{name: -0.5})


def test_a_scale_of_1_would_shrink_a_digit_to_nothing_and_is_refused():
    with pytest.raises(ValueError, match=r"scale must be below 1 \(a fraction of the size\), got 1"):
        random_affine(np.zeros((2, 784)), 0, scale=1)
