"""NeuralNetwork.gradient_check: passes a correct network, flags exactly the rows a wrong derivative affects."""
import warnings

import numpy as np
import pytest

from Layer_dense import Activation, Layer_dense
from Network import NeuralNetwork


def three_layers(dtype=np.float64, dropout=0.0, hidden="Tanh", output="Softmax"):
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(5, 6, hidden, rng=1, dtype=dtype, dropout=dropout))
    network.add_layer(Layer_dense(6, 4, "Sigmoid", rng=2, dtype=dtype, dropout=dropout))
    network.add_layer(Layer_dense(4, 3, output, rng=3, dtype=dtype))
    return network


@pytest.fixture
def data(rng):
    return rng.standard_normal((8, 5)), rng.integers(0, 3, 8)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("dropout, weight_decay, output", [(0.0, 0.0, "Softmax"), (0.3, 0.01, "Softmax"),
                                                            (0.0, 0.0, "Sigmoid")])
def test_a_correct_network_passes_and_is_left_unchanged(data, dtype, dropout, weight_decay, output, capsys):
    network = three_layers(dtype, dropout, output=output)
    before = [(layer.W.copy(), layer.b.copy()) for layer in network.layers]
    errors = network.gradient_check(*data, weight_decay=weight_decay)
    assert list(errors) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(errors.values()) < 1e-6, errors
    for layer, (W, b) in zip(network.layers, before):
        assert layer.W.dtype == dtype
        np.testing.assert_array_equal(layer.W, W)
        np.testing.assert_array_equal(layer.b, b)
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["parameter", "shape", "entries", "max", "relative", "error", "verdict"]
    assert [line.split()[0] for line in table[1:7]] == list(errors)
    assert all(line.endswith("fine") for line in table[1:7])
    assert "above 1e-3 that gradient is wrong" in table[7]


def test_a_wrong_activation_derivative_is_flagged_in_exactly_the_rows_it_affects(data, capsys):
    network = three_layers()
    # Layer 2's derivative 10% too large: dZ2 is wrong, so are dW2, db2 and everything before
    # (dA1 = dZ2 W2^T); the output layer's dW3 = A2^T dZ3 uses only the forward pass and stays right.
    network.layers[1].d_g = lambda z: 1.1 * Activation.d_sigmoid(z)
    errors = network.gradient_check(*data)
    assert {name for name, error in errors.items() if error > 1e-3} == {"W1", "b1", "W2", "b2"}
    assert errors["W3"] < 1e-6 and errors["b3"] < 1e-6
    rows = {line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines()[1:7]}
    assert rows == {"W1": "WRONG", "b1": "WRONG", "W2": "WRONG", "b2": "WRONG", "W3": "fine", "b3": "fine"}


def test_a_wrong_first_layer_derivative_spares_the_layers_after_it(data, capsys):
    network = three_layers()
    network.layers[0].d_g = lambda z: Activation.d_tanh(z) ** 2
    errors = network.gradient_check(*data, verbose=False)
    assert capsys.readouterr().out == ""                             # verbose=False: no table
    assert errors["W1"] > 1e-3 and errors["b1"] > 1e-3
    assert max(errors[name] for name in ("W2", "b2", "W3", "b3")) < 1e-6


def test_large_layers_are_checked_on_a_seeded_sample_of_entries(rng, capsys):
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(50, 40, "Tanh", rng=1))
    network.add_layer(Layer_dense(40, 3, "Softmax", rng=2))
    X, y = rng.standard_normal((4, 50)), rng.integers(0, 3, 4)
    first = network.gradient_check(X, y, entries=10)
    counts = [int(line.split()[-3]) for line in capsys.readouterr().out.splitlines()[1:5]]
    assert counts == [10, 10, 10, 3]                       # W1 2000 entries, b1 40, W2 120, b2 3
    assert network.gradient_check(X, y, entries=10, verbose=False) == first


def test_gradient_check_rejects_what_train_rejects(data):
    network = three_layers(output="Tanh")
    with pytest.raises(ValueError, match="train needs a Sigmoid or Softmax output layer"):
        network.gradient_check(*data)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        three_layers().gradient_check(data[0], data[1] + 3)


class RecordingLayer(Layer_dense):
    """A layer that notes, in every forward pass, which entries of W differ from the W it started
    with: the entries gradient_check perturbed. (Deep copies share the class's list.)"""
    perturbed = []

    def Forward(self, A_prev, training=False):
        if not hasattr(self, "W_start"):
            self.W_start = self.W.copy()
        changed = np.flatnonzero(self.W != self.W_start)
        RecordingLayer.perturbed.append((self.n_in, tuple(changed)))
        return super().Forward(A_prev, training)


def test_each_checked_entry_is_a_distinct_one_moved_once_up_and_once_down(rng):
    RecordingLayer.perturbed = []
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(RecordingLayer(10, 6, "Tanh", rng=1, dtype=np.float64))     # W1: 60 entries
    network.add_layer(Layer_dense(6, 3, "Softmax", rng=2, dtype=np.float64))
    network.gradient_check(rng.standard_normal((4, 10)), rng.integers(0, 3, 4), verbose=False)
    moved = [changed for n_in, changed in RecordingLayer.perturbed if n_in == 10 and changed]
    # 30 entries (the default) of W1's 60, each in two forward passes (+h, then -h), one at a time.
    assert all(len(changed) == 1 for changed in moved)
    entries = [changed[0] for changed in moved]
    assert len(entries) == 60 and len(set(entries)) == 30
    assert all(entries[2 * k] == entries[2 * k + 1] for k in range(30))
    # The sample of the default seed 0: the first draw of np.random.default_rng(0), without replacement.
    assert set(entries) == set(np.random.default_rng(0).choice(60, 30, replace=False).tolist())


def test_the_defaults_are_30_entries_h_1e_5_no_weight_decay_and_seed_0(rng):
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(10, 6, "Tanh", rng=1, dtype=np.float64))
    network.add_layer(Layer_dense(6, 3, "Softmax", rng=2, dtype=np.float64))
    X, y = rng.standard_normal((4, 10)), rng.integers(0, 3, 4)
    defaults = network.gradient_check(X, y, verbose=False)
    assert defaults == network.gradient_check(X, y, entries=30, h=1e-5, weight_decay=0.0, seed=0, verbose=False)
    assert defaults != network.gradient_check(X, y, weight_decay=0.1, verbose=False)


class NoDecayLayer(Layer_dense):
    """A backward pass that forgets the weight decay's lambda W in dW."""

    def BackProp(self, dA, output_error=False, input_gradient=True, weight_decay=0.0):
        return super().BackProp(dA, output_error, input_gradient, 0.0)


class NoMaskLayer(Layer_dense):
    """A backward pass that forgets to multiply dA_prev by the dropout mask."""

    def BackProp(self, dA, output_error=False, input_gradient=True, weight_decay=0.0):
        mask, self.mask = self.mask, None
        try:
            return super().BackProp(dA, output_error, input_gradient, weight_decay)
        finally:
            self.mask = mask


def test_a_backward_pass_that_forgets_the_weight_decay_or_the_dropout_mask_is_flagged(data):
    network = three_layers()
    network.layers[1] = NoDecayLayer(6, 4, "Sigmoid", rng=2, dtype=np.float64)
    errors = network.gradient_check(*data, weight_decay=0.5, verbose=False)
    assert errors["W2"] > 1e-3 and errors["W3"] < 1e-6
    assert max(network.gradient_check(*data, verbose=False).values()) < 1e-6      # without decay: fine

    network = three_layers()
    network.layers[1] = NoMaskLayer(6, 4, "Sigmoid", rng=2, dtype=np.float64, dropout=0.5)
    errors = network.gradient_check(*data, verbose=False)
    assert errors["W1"] > 1e-3 and errors["W2"] < 1e-6


class ScaledLayer(Layer_dense):
    """A backward pass whose dW is `factor` times the right one."""
    factor = 1.0

    def BackProp(self, dA, output_error=False, input_gradient=True, weight_decay=0.0):
        result = super().BackProp(dA, output_error, input_gradient, weight_decay)
        self.dW = self.factor * self.dW
        return result


@pytest.mark.parametrize("factor, expected", [(1.5, 1 / 3), (0.5, 0.5)])
@pytest.mark.parametrize("input_size", [1.0, 1e-3])                  # gradients near 1, and far below 1
def test_the_relative_error_is_the_difference_over_the_larger_of_the_two(data, factor, expected, input_size):
    """dW1 exactly `factor` times the right one: |f g - g| / max(|f g|, |g|) for every entry,
    1/3 for f = 1.5 and 1/2 for f = 0.5, however small the gradients are."""
    network = three_layers()
    layer = ScaledLayer(5, 6, "Tanh", rng=1, dtype=np.float64)
    layer.factor = factor
    network.layers[0] = layer
    errors = network.gradient_check(data[0] * input_size, data[1], verbose=False)
    assert errors["W1"] == pytest.approx(expected, rel=1e-4)
    assert errors["b1"] < 1e-6


def test_a_gradient_of_zero_on_both_sides_is_an_error_of_zero(rng):
    """A ReLU layer whose units are all off: backprop and finite difference are both 0 for W1, b1."""
    network = NeuralNetwork(input_scale=1.0)
    network.add_layer(Layer_dense(3, 2, "ReLU", rng=0, dtype=np.float64))
    network.add_layer(Layer_dense(2, 2, "Softmax", rng=1, dtype=np.float64))
    network.layers[0].b[...] = -100.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # no 0 / 0 on the way
        errors = network.gradient_check(rng.standard_normal((4, 3)), [0, 1, 0, 1], verbose=False)
    assert errors["W1"] == 0.0 and errors["b1"] == 0.0 and errors["W2"] == 0.0


def test_gradient_check_names_a_bad_weight_decay(data):
    with pytest.raises(TypeError, match="weight_decay must be a number, got 'a'"):
        three_layers().gradient_check(*data, weight_decay="a")


def test_the_verdicts_and_their_thresholds(capsys):
    from Diagnostics import gradient_table
    rows = [("W1", (5, 6), 30, 0.0), ("b1", (1, 6), 6, 1e-6), ("W2", (6, 4), 24, 5e-4),
            ("b2", (1, 4), 4, 1e-3), ("W3", (4, 3), 12, 0.25)]
    assert gradient_table(rows).splitlines() == [
        "parameter  shape        entries  max relative error  verdict",
        "W1         (5, 6)            30             0.0e+00  fine",
        "b1         (1, 6)             6             1.0e-06  look closer",
        "W2         (6, 4)            24             5.0e-04  look closer",
        "b2         (1, 4)             4             1.0e-03  WRONG",
        "W3         (4, 3)            12             2.5e-01  WRONG",
        "relative error = |backprop - finite difference| / max of the two: below 1e-6 they agree (fine); "
        "up to 1e-3, look closer (a ReLU kink or rounding); above 1e-3 that gradient is wrong.",
    ]


def test_an_array_with_exactly_entries_entries_is_checked_whole_without_a_draw(rng):
    """W1 has 6 entries and entries=6: all are checked and no random number is drawn, so W2's
    sample is the first draw of the seed's generator."""
    RecordingLayer.perturbed = []
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(2, 3, "Tanh", rng=1, dtype=np.float64))            # W1: 6, b1: 3
    network.add_layer(RecordingLayer(3, 20, "Tanh", rng=2, dtype=np.float64))         # W2: 60
    network.add_layer(Layer_dense(20, 2, "Softmax", rng=3, dtype=np.float64))
    network.gradient_check(rng.standard_normal((4, 2)), rng.integers(0, 2, 4), entries=6, verbose=False)
    moved = {changed[0] for n_in, changed in RecordingLayer.perturbed if n_in == 3 and changed}
    assert moved == set(np.random.default_rng(0).choice(60, 6, replace=False).tolist())
