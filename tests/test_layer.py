import warnings

import numpy as np
import pytest

from helpers import numerical_gradient, relative_error
from Layer_dense import Activation, Layer_dense

ELEMENTWISE = [
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
    ("relu", lambda z: np.where(z > 0, z, 0.0)),
    ("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z)),
    ("tanh", lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))),
]
ALL_ACTIVATIONS = ["Sigmoid", "ReLU", "LeakyReLU", "Tanh", "Softmax"]


def away_from_kinks(rng, shape):
    """Standard normal values with |z| >= 0.05, so ReLU's kink at 0 is never straddled by h."""
    z = rng.standard_normal(shape)
    return np.where(np.abs(z) < 0.05, 0.05 * np.sign(z) + 0.05 * (z == 0), z)


@pytest.mark.parametrize("name, formula", ELEMENTWISE)
def test_activation_matches_its_formula_on_any_shape(name, formula, rng):
    z = rng.standard_normal((2, 3, 4)) * 3
    np.testing.assert_allclose(getattr(Activation, name)(z), formula(z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, _", ELEMENTWISE)
def test_activation_derivative_matches_finite_differences(name, _, rng):
    z = away_from_kinks(rng, (5, 7))
    g, d_g = getattr(Activation, name), getattr(Activation, "d_" + name)
    h = 1e-6
    numerical = (g(z + h) - g(z - h)) / (2 * h)
    assert relative_error(d_g(z), numerical) < 1e-6


def test_derivatives_at_the_kink_are_the_documented_values():
    z = np.array([0.0])
    assert Activation.d_relu(z)[0] == 0.0
    assert Activation.d_leaky_relu(z)[0] == 0.01


def test_activations_do_not_change_their_input(rng):
    z = rng.standard_normal((3, 4))
    before = z.copy()
    for name in ["sigmoid", "relu", "leaky_relu", "tanh", "softmax"]:
        getattr(Activation, name)(z)
        np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_softmax_stay_finite_without_warnings_at_plus_minus_1000(dtype):
    z = np.array([[-1000.0, 0.0, 1000.0], [1000.0, 1000.0, -1000.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = Activation.sigmoid(z)
            p = Activation.softmax(z)
            d = Activation.d_sigmoid(z)
    np.testing.assert_allclose(s, [[0, 0.5, 1], [1, 1, 0]], atol=1e-30)
    np.testing.assert_allclose(p, [[0, 0, 1], [0.5, 0.5, 0]], atol=1e-30)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    assert np.all(np.isfinite(d))


def test_softmax_matches_its_formula_and_rows_sum_to_one(rng):
    z = rng.standard_normal((6, 4))
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(Activation.softmax(z), expected, rtol=1e-12)


@pytest.mark.parametrize("activation", ALL_ACTIVATIONS)
def test_backprop_matches_numerical_gradient(activation, rng):
    """L = sum(A * R) with a fixed random R, so dL/dA = R; check dW, db and dA_prev."""
    layer = Layer_dense(5, 3, activation, rng=rng, dtype=np.float64)
    layer.b = rng.standard_normal((1, 3)) * 0.1
    A_prev = rng.standard_normal((4, 5))
    R = rng.standard_normal((4, 3))
    if activation in ("ReLU", "LeakyReLU"):   # keep every Z away from the kink
        layer.Forward(A_prev)
        layer.b -= np.where(np.abs(layer.Z) < 0.05, 0.1, 0.0).max(axis=0, keepdims=True)
        assert np.all(np.abs(A_prev @ layer.W + layer.b) > 1e-3)

    def loss():
        return np.sum(layer.Forward(A_prev) * R)

    layer.Forward(A_prev)
    dA_prev = layer.BackProp(R)
    assert relative_error(layer.dW, numerical_gradient(loss, layer.W)) < 1e-6
    assert relative_error(layer.db, numerical_gradient(loss, layer.b)) < 1e-6
    assert relative_error(dA_prev, numerical_gradient(loss, A_prev)) < 1e-6


def test_output_error_is_taken_as_dZ_without_applying_the_derivative(rng):
    layer = Layer_dense(5, 3, "Sigmoid", rng=rng, dtype=np.float64)
    A_prev = rng.standard_normal((4, 5))
    dZ = rng.standard_normal((4, 3))
    layer.Forward(A_prev)
    dA_prev = layer.BackProp(dZ, output_error=True)
    np.testing.assert_allclose(layer.dW, A_prev.T @ dZ)
    np.testing.assert_allclose(layer.db, dZ.sum(axis=0, keepdims=True))
    np.testing.assert_allclose(dA_prev, dZ @ layer.W.T)
    assert layer.BackProp(dZ, output_error=True, input_gradient=False) is None


def test_forward_and_backprop_leave_parameters_unchanged_and_update_is_exact(rng):
    layer = Layer_dense(5, 3, "Tanh", rng=rng, dtype=np.float64)
    W, b = layer.W.copy(), layer.b.copy()
    A_prev = rng.standard_normal((4, 5))
    A_prev_copy = A_prev.copy()
    layer.Forward(A_prev)
    layer.BackProp(rng.standard_normal((4, 3)))
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)
    np.testing.assert_array_equal(A_prev, A_prev_copy)
    layer.update_parameters(0.1)
    np.testing.assert_array_equal(layer.W, W - 0.1 * layer.dW)
    np.testing.assert_array_equal(layer.b, b - 0.1 * layer.db)


def test_notes_layer_example_runs_with_the_documented_shapes():
    layer = Layer_dense(5, 10, "ReLU")
    inputs = np.random.randn(3, 5)
    output = layer.Forward(inputs)
    gradients = layer.BackProp(np.random.randn(3, 10))
    layer.update_parameters(0.01)
    assert output.shape == (3, 10)
    assert gradients.shape == (3, 5)
    assert layer.dW.shape == layer.W.shape == (5, 10)
    assert layer.db.shape == layer.b.shape == (1, 10)


@pytest.mark.parametrize("spelling, canonical", [
    ("relu", "ReLU"), ("RELU", "ReLU"), ("Leaky ReLU", "LeakyReLU"), ("leaky_relu", "LeakyReLU"),
    ("sigmoid", "Sigmoid"), ("TANH", "Tanh"), ("soft-max", "Softmax")])
def test_activation_names_accept_reasonable_spellings(spelling, canonical):
    assert Layer_dense(2, 2, spelling).activation == canonical


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'Swish'; valid activations: "
                                         r"Sigmoid, ReLU, LeakyReLU, Tanh, Softmax"):
        Layer_dense(2, 2, "Swish")


def test_bad_layer_sizes_and_dtype_are_rejected():
    with pytest.raises(ValueError, match="number_outputs must be positive, got 0"):
        Layer_dense(3, 0)
    with pytest.raises(TypeError, match="number_inputs must be an integer, got 2.5"):
        Layer_dense(2.5, 3)
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        Layer_dense(2, 3, dtype=np.int32)


def test_same_seed_gives_same_weights_and_different_seeds_differ():
    a, b, c = Layer_dense(30, 20, rng=7), Layer_dense(30, 20, rng=7), Layer_dense(30, 20, rng=8)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)


@pytest.mark.parametrize("activation, gain", [("ReLU", 2.0), ("LeakyReLU", 2.0), ("Sigmoid", 1.0),
                                               ("Tanh", 1.0), ("Softmax", 1.0)])
def test_initial_weights_are_scaled_to_the_activation_and_biases_are_zero(activation, gain):
    layer = Layer_dense(400, 300, activation, rng=0)
    assert layer.W.dtype == np.float32
    assert abs(layer.W.std() / np.sqrt(gain / 400) - 1) < 0.02      # 120,000 samples
    assert abs(layer.W.mean()) < 0.01 * np.sqrt(gain / 400)
    np.testing.assert_array_equal(layer.b, 0)


@pytest.mark.parametrize("dtype, expected", [(np.float32, np.float32), (np.float64, np.float64),
                                             (np.int64, np.float64)])
def test_leaky_relu_derivative_keeps_float_dtypes_and_makes_integers_float(dtype, expected):
    z = np.array([-2, 0, 3], dtype=dtype)
    d = Activation.d_leaky_relu(z)
    assert d.dtype == expected
    np.testing.assert_array_equal(d, np.array([0.01, 0.01, 1.0], dtype=expected))


def test_softmax_backward_works_on_one_row_given_as_a_vector(rng):
    """The Jacobian-vector product dz = J^T da with J = diag(a) - a a^T, on a 1-D row and on 3-D stacks."""
    z, da = rng.standard_normal(5), rng.standard_normal(5)
    a = Activation.softmax(z)
    J = np.diag(a) - np.outer(a, a)
    np.testing.assert_allclose(Activation.softmax_backward(a, da), J.T @ da, rtol=1e-12)
    stack_z, stack_da = rng.standard_normal((2, 3, 5)), rng.standard_normal((2, 3, 5))
    stack = Activation.softmax_backward(Activation.softmax(stack_z), stack_da)
    one_row = Activation.softmax_backward(Activation.softmax(stack_z[1, 2]), stack_da[1, 2])
    np.testing.assert_allclose(stack[1, 2], one_row, rtol=1e-12)


def test_a_layer_shows_its_sizes_activation_dtype_and_dropout():
    assert repr(Layer_dense(784, 64, "relu")) == "Layer_dense(784, 64, 'ReLU', dtype=float32)"
    assert repr(Layer_dense(3, 2, "Softmax", dtype=np.float64, dropout=0.25)) == \
        "Layer_dense(3, 2, 'Softmax', dtype=float64, dropout=0.25)"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_derivative_and_dropout_keep_the_layer_s_dtype(dtype, rng):
    assert Activation.d_relu(np.array([-1.0, 2.0], dtype=dtype)).dtype == dtype
    layer = Layer_dense(6, 4, "ReLU", rng=0, dtype=dtype, dropout=0.5)
    A = layer.Forward(rng.standard_normal((3, 6)).astype(dtype), training=True)
    assert A.dtype == dtype and layer.mask.dtype == dtype
    assert set(np.unique(layer.mask)) == {0, 2}


def test_softmax_takes_each_row_s_own_maximum():
    """Rows far apart in scale: subtracting one maximum for the whole array would underflow the second row."""
    rows = np.array([[0.0, 0.0], [-1000.0, -1000.0], [-2000.0, -1999.0]])
    np.testing.assert_allclose(Activation.softmax(rows), [[0.5, 0.5], [0.5, 0.5], [1 / (1 + np.e), np.e / (1 + np.e)]],
                               rtol=1e-12)
    np.testing.assert_allclose(Activation.softmax(np.array([1.0, 1.0])), [0.5, 0.5])         # one row as a vector


class FixedDraws:
    """Stands in for a layer's generator: random() returns the given numbers, as they are."""

    def __init__(self, values):
        self.values, self.calls = np.asarray(values), []

    def random(self, shape, dtype=np.float64):
        self.calls.append((shape, np.dtype(dtype)))
        return self.values.reshape(shape).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_dropout_mask_keeps_a_unit_when_its_draw_is_at_least_p(dtype):
    """One draw u per input in the layer's dtype; kept when u >= p, so P(keep) = 1 - p exactly."""
    layer = Layer_dense(4, 2, "ReLU", rng=0, dtype=dtype, dropout=0.5)
    layer.rng = FixedDraws([0.25, 0.5, 0.75, 0.4999])
    layer.Forward(np.ones((1, 4), dtype=dtype), training=True)
    assert layer.rng.calls == [((1, 4), np.dtype(dtype))]
    np.testing.assert_array_equal(layer.mask, [[0, 2, 2, 0]])
