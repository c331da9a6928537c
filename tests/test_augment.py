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
