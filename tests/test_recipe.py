"""The ingredients beyond the notes: dropout, weight decay, momentum, learning-rate schedules."""
import numpy as np
import pytest

from helpers import numerical_gradient, relative_error
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Optimizers import learning_rate_factor
from Optimizers import Momentum
from Utils import one_hot_encode


def deep_network(rng, dropout=0.3, output="Softmax"):
    network = NeuralNetwork(input_scale=1.0, rng=rng)
    network.add_layer(Layer_dense(5, 6, "Tanh", rng=rng, dtype=np.float64, dropout=dropout))
    network.add_layer(Layer_dense(6, 4, "Sigmoid", rng=rng, dtype=np.float64, dropout=dropout))
    network.add_layer(Layer_dense(4, 3, output, rng=rng, dtype=np.float64, dropout=dropout))
    return network


def test_dropout_layer_gradient_matches_finite_differences_with_its_mask_fixed(rng):
    layer = Layer_dense(5, 3, "Tanh", rng=rng, dtype=np.float64, dropout=0.4)
    A_prev = rng.standard_normal((6, 5))
    R = rng.standard_normal((6, 3))
    layer.Forward(A_prev, training=True)
    mask = layer.mask
    assert 0 < np.count_nonzero(mask == 0) < mask.size
    dA_prev = layer.BackProp(R)
    dW, db = layer.dW.copy(), layer.db.copy()

    def loss():   # the same mask: a Forward without dropout of the masked input
        return np.sum(layer.Forward(A_prev * mask) * R)

    assert relative_error(dW, numerical_gradient(loss, layer.W)) < 1e-6
    assert relative_error(db, numerical_gradient(loss, layer.b)) < 1e-6
    assert relative_error(dA_prev, numerical_gradient(loss, A_prev)) < 1e-6


@pytest.mark.parametrize("output", ["Softmax", "Sigmoid"])
def test_network_gradient_with_dropout_and_weight_decay_matches_the_regularised_loss(rng, output):
    network = deep_network(rng, dropout=0.3, output=output)
    X = rng.standard_normal((7, 5))
    Y = one_hot_encode(rng.integers(0, 3, 7), 3)
    weight_decay = 0.05

    def forward_with_fixed_masks():
        for i, layer in enumerate(network.layers):      # the same random numbers every call
            layer.rng = np.random.default_rng(100 + i)
        return network.forward(X, training=True)

    def loss():
        return network.loss(forward_with_fixed_masks(), Y, weight_decay)

    output_values = forward_with_fixed_masks()
    assert any(np.any(layer.mask == 0) for layer in network.layers)
    network.backward(output_values - Y, weight_decay)
    for layer in network.layers:
        assert relative_error(layer.dW, numerical_gradient(loss, layer.W)) < 1e-6
        assert relative_error(layer.db, numerical_gradient(loss, layer.b)) < 1e-6


def test_weight_decay_adds_half_lambda_times_the_squared_weights_to_the_loss(rng):
    network = deep_network(rng)
    A = rng.uniform(0.1, 0.9, (4, 3))
    Y = one_hot_encode([0, 1, 2, 1], 3)
    squares = sum(np.sum(layer.W ** 2) for layer in network.layers)
    assert network.loss(A, Y, 0.1) == pytest.approx(network.loss(A, Y) + 0.05 * squares, rel=1e-12)


def test_dropout_zeroes_about_p_of_the_inputs_and_keeps_their_expected_value(rng):
    layer = Layer_dense(400, 2, "ReLU", rng=rng, dtype=np.float64, dropout=0.25)
    A_prev = np.ones((500, 400))
    layer.Forward(A_prev, training=True)
    assert abs(np.mean(layer.mask == 0) - 0.25) < 0.01             # 200,000 draws
    np.testing.assert_allclose(np.unique(layer.mask), [0, 1 / 0.75])
    assert abs(layer.A_prev.mean() - 1) < 0.01
    np.testing.assert_array_equal(A_prev, 1)                        # the caller's array


def test_dropout_is_off_for_predictions_and_on_in_training(rng):
    network = deep_network(rng, dropout=0.5)
    plain = deep_network(np.random.default_rng(0), dropout=0.0)
    for layer, twin in zip(network.layers, plain.layers):
        twin.W, twin.b = layer.W.copy(), layer.b.copy()
    X = rng.standard_normal((20, 5))
    states = [layer.rng.bit_generator.state for layer in network.layers]
    np.testing.assert_array_equal(network.predict_proba(X), plain.predict_proba(X))
    assert [layer.rng.bit_generator.state for layer in network.layers] == states   # no masks drawn
    assert all(layer.mask is None for layer in network.layers)
    assert not np.allclose(network.forward(X, training=True), plain.forward(X))


def test_bad_dropout_momentum_weight_decay_and_schedule_are_rejected(rng):
    with pytest.raises(ValueError, match=r"dropout must lie in \[0, 1\), got 1"):
        Layer_dense(3, 2, dropout=1)
    network = deep_network(rng)
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    with pytest.raises(ValueError, match="weight_decay must be zero or positive, got -1"):
        network.train(X, y, 1, 4, 0.1, weight_decay=-1, verbose=False)
    with pytest.raises(ValueError, match="unknown schedule 'linear'; use one of constant, cosine, step or a function"):
        network.train(X, y, 1, 4, 0.1, schedule="linear", verbose=False)


def test_schedules_scale_the_learning_rate_per_epoch():
    assert [learning_rate_factor(None, e, 4) for e in range(4)] == [1, 1, 1, 1]
    assert [learning_rate_factor("step", e, 8) for e in range(8)] == pytest.approx([1] * 4 + [0.1] * 2 + [0.01] * 2)
    cosine = [learning_rate_factor("cosine", e, 4) for e in range(4)]
    assert cosine == pytest.approx([1, (1 + np.cos(np.pi / 4)) / 2, 0.5, (1 + np.cos(3 * np.pi / 4)) / 2])
    assert learning_rate_factor(lambda e, n: 2.0 ** -e, 3, 10) == 0.125


def test_train_applies_the_schedule_an_epoch_with_factor_zero_changes_nothing(rng):
    X, y = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)
    one = deep_network(np.random.default_rng(1), dropout=0.0)
    two = deep_network(np.random.default_rng(1), dropout=0.0)
    one.train(X, y, 1, 8, 0.05, shuffle=False, verbose=False)
    two.train(X, y, 2, 8, 0.05, shuffle=False, verbose=False, schedule=lambda epoch, epochs: 1.0 if epoch == 0 else 0.0)
    for a, b in zip(one.layers, two.layers):
        np.testing.assert_array_equal(a.W, b.W)


def test_the_ingredients_together_still_learn_an_easy_problem(rng):
    y = rng.integers(0, 3, 300)
    X = rng.standard_normal((3, 5))[y] * 3 + rng.standard_normal((300, 5))
    network = deep_network(rng, dropout=0.1)
    history = network.train(X, y, 30, 16, 0.01, optimizer=Momentum(0.9, nesterov=True), weight_decay=1e-3,
                            schedule="cosine", verbose=False)
    assert history["loss"][-1] < history["loss"][0] / 2
    assert network.evaluate(X, y) > 95
