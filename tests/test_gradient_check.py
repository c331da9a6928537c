"""NeuralNetwork.gradient_check: passes a correct network, flags exactly the rows a wrong derivative affects."""
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


def test_a_wrong_first_layer_derivative_spares_the_layers_after_it(data):
    network = three_layers()
    network.layers[0].d_g = lambda z: Activation.d_tanh(z) ** 2
    errors = network.gradient_check(*data, verbose=False)
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
