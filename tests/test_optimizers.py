"""Optimizers.py against hand-written references, and the training options that came with it:
early stopping and the per-batch transform (data augmentation)."""
import numpy as np
import pytest

from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Optimizers import SGD, Adam, Momentum, get_optimizer
from Utils import one_hot_encode


def small_network(seed, dtype=np.float64, hidden=6):
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(input_scale=1.0, rng=rng)
    network.add_layer(Layer_dense(5, hidden, "Tanh", rng=rng, dtype=dtype))
    network.add_layer(Layer_dense(hidden, 3, "Softmax", rng=rng, dtype=dtype))
    return network


def easy_problem(rng, n=60):
    y = rng.integers(0, 3, n)
    return rng.standard_normal((3, 5))[y] * 2 + rng.standard_normal((n, 5)), y


def full_batch_gradients(network, X, y):
    """dW, db of every layer for the whole data set (as train computes them), as float64 copies."""
    output = network.forward(X, training=True)
    network.backward(output - one_hot_encode(y, 3, output.dtype))
    return [(layer.dW.astype(np.float64), layer.db.astype(np.float64)) for layer in network.layers]


def test_adam_follows_kingma_and_ba_step_by_step_over_full_batch_training(rng):
    X, y = easy_problem(rng)
    network = small_network(3)
    reference = small_network(3)
    history = network.train(X, y, 6, len(X), 0.01, optimizer="adam", shuffle=False, verbose=False)
    beta1, beta2, epsilon, learning_rate = 0.9, 0.999, 1e-8, 0.01
    state = [[(0.0, 0.0), (0.0, 0.0)] for _ in reference.layers]
    for t in range(1, 7):
        for layer, grads, moments in zip(reference.layers, full_batch_gradients(reference, X, y), state):
            for k, (name, g) in enumerate(zip(("W", "b"), grads)):
                m, v = moments[k]
                m = beta1 * m + (1 - beta1) * g
                v = beta2 * v + (1 - beta2) * g ** 2
                m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
                setattr(layer, name, getattr(layer, name) - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon))
                moments[k] = (m, v)
    for layer, expected in zip(network.layers, reference.layers):
        np.testing.assert_allclose(layer.W, expected.W, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.b, expected.b, rtol=1e-12, atol=1e-15)
    assert history["loss"][-1] < history["loss"][0]
    assert not np.allclose(network.layers[0].W, small_network(3).layers[0].W)


def test_adams_first_step_moves_every_weight_by_the_learning_rate_against_its_gradient_sign(rng):
    layer = Layer_dense(4, 3, "Tanh", rng=rng, dtype=np.float64)
    W = layer.W.copy()
    layer.dW, layer.db = rng.standard_normal((4, 3)) * 100, rng.standard_normal((1, 3))
    Adam().update(layer, 0.001)
    np.testing.assert_allclose(layer.W, W - 0.001 * np.sign(layer.dW), rtol=1e-9)


def test_momentum_is_polyaks_unless_nesterov_is_asked_for():
    assert (Momentum().momentum, Momentum().nesterov) == (0.9, False)
    assert Momentum(nesterov=True).nesterov is True


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_and_nesterov_follow_their_update_rules(rng, nesterov, dtype, rtol):
    layer = Layer_dense(4, 3, "Tanh", rng=rng, dtype=dtype)
    W, b = layer.W.astype(np.float64), layer.b.astype(np.float64)
    VW, Vb = np.zeros_like(W), np.zeros_like(b)
    optimizer = Momentum(0.9, nesterov=nesterov)
    for _ in range(4):
        dW, db = rng.standard_normal(W.shape), rng.standard_normal(b.shape)
        layer.dW, layer.db = dW.astype(dtype), db.astype(dtype)
        VW, Vb = 0.9 * VW + dW, 0.9 * Vb + db
        W = W - 0.1 * (dW + 0.9 * VW if nesterov else VW)
        b = b - 0.1 * (db + 0.9 * Vb if nesterov else Vb)
        optimizer.update(layer, 0.1)
        assert layer.W.dtype == dtype
        np.testing.assert_allclose(layer.W, W, rtol=rtol)
        np.testing.assert_allclose(layer.b, b, rtol=rtol)


def test_sgd_by_name_or_object_is_the_default_notes_step_bit_for_bit(rng):
    X, y = easy_problem(rng)
    results = []
    for optimizer in (None, "sgd", SGD()):
        network = small_network(5, np.float32)
        network.train(X, y, 3, 16, 0.01, optimizer=optimizer, verbose=False)
        results.append(network)
    for other in results[1:]:
        for a, b in zip(results[0].layers, other.layers):
            np.testing.assert_array_equal(a.W, b.W)
            np.testing.assert_array_equal(a.b, b.b)


def test_an_optimizer_named_or_given_as_an_object_trains_the_same(rng):
    X, y = easy_problem(rng)
    one, two, three = small_network(5, np.float32), small_network(5, np.float32), small_network(5, np.float32)
    one.train(X, y, 3, 16, 0.01, optimizer=Momentum(0.9, nesterov=True), verbose=False)
    two.train(X, y, 3, 16, 0.01, optimizer=Momentum(nesterov=True), verbose=False)
    three.train(X, y, 3, 16, 0.01, optimizer="nesterov", verbose=False)
    for a, b, c in zip(one.layers, two.layers, three.layers):
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.W, c.W)
    plain = small_network(5, np.float32)
    plain.train(X, y, 3, 16, 0.01, verbose=False)
    assert not np.allclose(plain.layers[0].W, one.layers[0].W)


def test_an_optimizer_keeps_its_state_per_layer_and_the_layer_keeps_none(rng):
    network = small_network(1)
    optimizer = Adam()
    X, y = easy_problem(rng, 10)
    full_batch_gradients(network, X, y)
    network.update_parameters(0.01, optimizer)
    assert set(optimizer.moments) == set(network.layers) and set(optimizer.steps.values()) == {1}
    assert not any(hasattr(layer, name) for layer in network.layers for name in ("VW", "Vb", "m", "v"))


@pytest.mark.parametrize("call, error, message", [
    (lambda: get_optimizer("rmsprop"), ValueError,
     "unknown optimizer 'rmsprop'; use one of sgd, momentum, nesterov, adam or an object with an "
     "update(layer, learning_rate) method"),
    (lambda: get_optimizer(0.9), TypeError,
     "optimizer must be a name or an object with an update(layer, learning_rate) method, got 0.9"),
    (lambda: Momentum(1.2), ValueError, "momentum must lie in [0, 1), got 1.2"),
    (lambda: Momentum("0.9"), TypeError, "momentum must be a number, got '0.9'"),
    (lambda: Adam(beta2=1.0), ValueError, "beta2 must lie in [0, 1), got 1.0"),
    (lambda: Adam(epsilon=0), ValueError, "epsilon must be positive, got 0"),
    (lambda: Adam(beta1=1.5), ValueError, "beta1 must lie in [0, 1), got 1.5"),
    (lambda: Adam(beta1="0.9"), TypeError, "beta1 must be a number, got '0.9'"),
    (lambda: Adam(epsilon="1e-8"), TypeError, "epsilon must be a number, got '1e-8'"),
])
def test_bad_optimizer_settings_get_a_clear_error(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


def test_the_notes_five_arguments_are_positional_and_the_update_rule_is_chosen_one_way(rng):
    X, y = easy_problem(rng, 10)
    with pytest.raises(TypeError, match=r"takes 6 positional arguments but 7 were given"):
        small_network(0).train(X, y, 1, 5, 0.1, False)           # shuffle=False must be named
    with pytest.raises(TypeError, match="unexpected keyword argument 'momentum'"):
        small_network(0).train(X, y, 1, 5, 0.1, momentum=0.9)    # optimizer=Momentum(0.9) instead


def overfitting_problem(rng):
    """Few noisy samples and a wide network: the validation loss falls, then rises."""
    y, y_val = rng.integers(0, 3, 40), rng.integers(0, 3, 200)
    centres = rng.standard_normal((3, 5))
    X = centres[y] * 0.8 + rng.standard_normal((40, 5))
    X_val = centres[y_val] * 0.8 + rng.standard_normal((200, 5))
    return X, y, X_val, y_val


def test_early_stopping_stops_and_keeps_the_weights_with_the_lowest_validation_loss(rng, capsys):
    X, y, X_val, y_val = overfitting_problem(rng)
    network = small_network(2, hidden=40)
    history = network.train(X, y, 300, 8, 0.05, validation_data=(X_val, y_val), early_stopping=5,
                            optimizer="adam")
    val_loss = history["val_loss"]
    best = int(np.argmin(val_loss))
    assert history["best_epoch"] == best + 1
    assert history["stopped_epoch"] == len(val_loss) == best + 1 + 5 < 300
    loss_now = network.loss(network.predict_proba(X_val), one_hot_encode(y_val, 3)) / len(X_val)
    assert loss_now == pytest.approx(val_loss[best], rel=1e-12)
    assert loss_now < val_loss[-1]
    out = capsys.readouterr().out
    assert (f"Stopped early after epoch {best + 6} of 300: the validation loss had not fallen for 5 epochs; "
            f"kept the weights of epoch {best + 1}, which had the lowest validation loss ({val_loss[best]:.4f}).") in out


def test_early_stopping_needs_validation_data_and_a_positive_patience(rng):
    X, y = easy_problem(rng, 10)
    with pytest.raises(ValueError) as raised:
        small_network(0).train(X, y, 2, 5, 0.1, early_stopping=3, verbose=False)
    assert str(raised.value) == "early_stopping needs validation_data: the validation loss decides when to stop"
    with pytest.raises(ValueError, match="early_stopping must be positive, got 0"):
        small_network(0).train(X, y, 2, 5, 0.1, early_stopping=0, validation_data=(X, y), verbose=False)


def test_the_transform_sees_every_training_batch_and_never_the_validation_data(rng):
    X, y = easy_problem(rng, 50)
    X_val, y_val = easy_problem(rng, 20)
    X_copy = X.copy()
    seen = []

    def transform(batch_x, generator):
        assert isinstance(generator, np.random.Generator)
        seen.append(batch_x.copy())
        return batch_x * 0           # the network then sees only zeros

    network = small_network(4)
    network.train(X, y, 2, 16, 0.05, transform=transform, validation_data=(X_val, y_val), verbose=False)
    assert [len(b) for b in seen] == [16, 16, 16, 2] * 2
    np.testing.assert_array_equal(np.sort(np.concatenate(seen[:4]), axis=0), np.sort(X, axis=0))
    np.testing.assert_array_equal(X, X_copy)
    # Zeros in, so W1 never changes: its gradient A_prev^T dZ is zero; only the biases learn.
    np.testing.assert_array_equal(network.layers[0].W, small_network(4).layers[0].W)


def test_a_transform_that_changes_the_shape_is_named_in_the_error(rng):
    X, y = easy_problem(rng, 10)
    with pytest.raises(ValueError, match=r"transform must return an array of the batch's shape \(5, 5\), "
                                         r"got shape \(5, 4\)"):
        small_network(0).train(X, y, 1, 5, 0.1, transform=lambda b, r: b[:, :4], verbose=False)
    with pytest.raises(TypeError, match="transform must be a function"):
        small_network(0).train(X, y, 1, 5, 0.1, transform="rotate", verbose=False)


def test_the_command_line_builds_the_optimizer_it_names():
    from Options import make_optimizer, parse_args
    assert isinstance(make_optimizer(parse_args([])), SGD)
    assert isinstance(make_optimizer(parse_args(["--optimizer", "adam"])), Adam)
    for argv, momentum, nesterov in ((["--momentum", "0.95"], 0.95, False), (["--nesterov"], 0.9, True),
                                     (["--optimizer", "momentum"], 0.9, False),
                                     (["--optimizer", "nesterov", "--momentum", "0.8"], 0.8, True),
                                     (["--preset", "best"], 0.9, False)):
        optimizer = make_optimizer(parse_args(argv))
        assert (type(optimizer), optimizer.momentum, optimizer.nesterov) == (Momentum, momentum, nesterov), argv
    with pytest.raises(ValueError, match="--momentum and --nesterov apply to --optimizer momentum or nesterov, not adam"):
        make_optimizer(parse_args(["--optimizer", "adam", "--momentum", "0.9"]))


def test_early_stopping_on_the_command_line_needs_a_validation_split(demo, capsys):
    with pytest.raises(SystemExit) as stopped:
        demo(["--early-stopping", "2", "--no-plot", "--quiet"])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and "error: --early-stopping needs --validation-size" in err
    assert "Loaded MNIST" not in out                                 # checked before loading the data
    demo(["--train-size", "3000", "--validation-size", "1000", "--epochs", "3",
          "--early-stopping", "1", "--augment", "--no-plot"])
    out = capsys.readouterr().out
    assert "kept the weights of epoch" in out and "which had the lowest validation loss" in out


def test_optimizers_show_their_settings():
    assert repr(SGD()) == "SGD()"
    assert repr(Momentum(0.8, nesterov=True)) == "Momentum(momentum=0.8, nesterov=True)"
    assert repr(Adam(beta1=0.8, beta2=0.99, epsilon=1e-7)) == "Adam(beta1=0.8, beta2=0.99, epsilon=1e-07)"


class FixedLayer:
    """Stands in for a layer in _EarlyStopping: only W and b."""

    def __init__(self, value):
        self.W, self.b = np.full((2, 2), value), np.full((1, 2), value)


class FixedNetwork:
    def __init__(self):
        self.layers = [FixedLayer(0.0)]


@pytest.mark.parametrize("losses, patience, stops_at, best", [
    ([1.0, 0.9, 0.8, 0.7, 0.6], 1, None, 4),      # always improving: never stops, however patient
    ([1.0, 0.5, 0.5, 0.7], 2, 3, 1),              # a tie is not an improvement: epoch 1 stays the best
    ([1.0, 0.5, 0.6, 0.4, 0.45, 0.5], 2, 5, 3),   # a later, lower minimum restarts the count
])
def test_early_stopping_counts_epochs_since_the_strictly_lowest_validation_loss(losses, patience, stops_at, best):
    from Network import _EarlyStopping
    network = FixedNetwork()
    stopper = _EarlyStopping(patience, validation=("X", "y"))
    stopped = None
    for epoch, loss in enumerate(losses):
        network.layers[0].W[...] = epoch                   # the weights of this epoch
        stopper.record(network, epoch, loss)
        if stopper.should_stop(epoch):
            stopped = epoch
            break
    assert (stopped, stopper.best_epoch) == (stops_at, best)
    assert stopper.best_weights[0][0][0, 0] == best
    network.layers[0].W[...] = 99
    assert stopper.should_stop(len(losses)) is (len(losses) - best >= patience)   # a question: it changes nothing
    assert stopper.best_weights[0][0][0, 0] == best and stopper.best_epoch == best


def test_early_stopping_that_never_triggers_says_it_trained_every_epoch(rng, capsys):
    X, y = easy_problem(rng, 30)
    network = small_network(0)
    history = network.train(X, y, 3, 10, 0.01, validation_data=(X, y), early_stopping=10)
    assert history["stopped_epoch"] == 3
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(f"Early stopping: trained all 3 epochs; kept the weights of epoch {history['best_epoch']}, ")
