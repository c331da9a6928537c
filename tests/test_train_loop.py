"""train against the notes' training loop written out by hand, with every option switched on.

Each test here checks a value, not only a shape: these are the tests that kill the mutants the
mutation run (README, "Testing") found surviving in train, evaluate and the input checks.
"""
import math

import numpy as np
import pytest

import Augmentation
import Options
from Layer_dense import Activation, Layer_dense
from Network import NeuralNetwork, _check_finite
from Optimizers import Momentum


def network_with_dropout(seed=7, sizes=(5, 8, 6, 3), output="Softmax"):
    """A float64 network whose every layer has dropout (inputs 0.1, hidden units 0.3)."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(input_scale=1.0, rng=rng)
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        activation = output if i == len(sizes) - 2 else "ReLU"
        network.add_layer(Layer_dense(n_in, n_out, activation, rng=rng, dtype=np.float64,
                                      dropout=0.1 if i == 0 else 0.3))
    return network


def blobs(rng, n=250, classes=3, features=5):
    y = rng.integers(0, classes, n)
    return rng.standard_normal((classes, features))[y] * 3 + rng.standard_normal((n, features)), y


def reference_train(network, X, y, epochs, batch_size, learning_rate, weight_decay, optimizer):
    """The loop of the notes, written out: every epoch a new order of the samples from the
    network's generator, a cosine-scaled rate; per batch: forward with dropout, output error
    A - Y, backward with weight decay, the optimiser's step. The loss reported is the
    cross-entropy alone, summed over the epoch's batches and divided by N."""
    Y = np.eye(network.layers[-1].n_out)[y]
    history = {"loss": [], "accuracy": []}
    for epoch in range(epochs):
        rate = learning_rate * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        order = network.rng.permutation(len(X))
        loss, correct = 0.0, 0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            output = network.forward(X[rows], training=True)
            loss += network.loss(output, Y[rows])                 # without the penalty
            correct += int(np.sum(output.argmax(axis=1) == y[rows]))
            network.backward(output - Y[rows], weight_decay)
            network.update_parameters(rate, optimizer)
        history["loss"].append(loss / len(X))
        history["accuracy"].append(correct / len(X))
    return history


@pytest.mark.parametrize("how", ["object", "name"])
def test_train_is_the_notes_loop_with_shuffling_dropout_weight_decay_momentum_and_a_schedule(rng, how):
    """250 samples in batches of 2: 125 batches per epoch, so the epoch's loss and accuracy are
    summed over more than one block of 100 batches. Three epochs: a new order in each."""
    X, y = blobs(rng)
    network, reference = network_with_dropout(), network_with_dropout()
    options = {"optimizer": Momentum(0.9) if how == "object" else "momentum"}
    history = network.train(X, y, 3, 2, 0.002, verbose=False, weight_decay=0.01, schedule="cosine", **options)
    expected = reference_train(reference, X, y, 3, 2, 0.002, 0.01, Momentum(0.9))
    for layer, hand in zip(network.layers, reference.layers):
        np.testing.assert_array_equal(layer.W, hand.W)
        np.testing.assert_array_equal(layer.b, hand.b)
    np.testing.assert_allclose(history["loss"], expected["loss"], rtol=1e-12)
    assert history["accuracy"] == expected["accuracy"]
    # The weights moved differently in every epoch: not the same order each time, not a no-op.
    assert len(set(expected["loss"])) == 3


def test_the_loss_reported_by_train_leaves_the_weight_decay_penalty_out(rng):
    """One batch of all 40 samples at a rate too small to matter: the reported loss is the
    cross-entropy of that batch's output over 40, without the (large) L2 penalty."""
    X, y = blobs(rng, n=40)
    network, reference = network_with_dropout(), network_with_dropout()
    history = network.train(X, y, 1, 40, 1e-12, verbose=False, weight_decay=100.0)
    order = reference.rng.permutation(40)                  # what train draws first, then the masks
    output, Y = reference.forward(X[order], training=True), np.eye(3)[y[order]]
    assert reference.loss(output, Y, 100.0) - reference.loss(output, Y) > 100          # the penalty is large
    assert history["loss"][0] == pytest.approx(reference.loss(output, Y) / 40, rel=1e-9)   # and left out


def test_shuffling_is_a_permutation_drawn_anew_each_epoch(rng):
    """Every sample is visited exactly once per epoch, in a different order each epoch."""
    X, y = blobs(rng, n=12)
    network = network_with_dropout()
    seen = []
    network.train(X, y, 3, 4, 0.01, verbose=False, transform=lambda batch_x, _: seen.append(batch_x.copy()) or batch_x)
    orders = [np.concatenate(seen[3 * e:3 * e + 3]) for e in range(3)]
    for order in orders:
        np.testing.assert_array_equal(np.sort(order, axis=0), np.sort(X, axis=0))   # a permutation
    assert not np.array_equal(orders[0], orders[1]) and not np.array_equal(orders[1], orders[2])
    assert not np.array_equal(orders[0], X)                                        # shuffled by default


def test_one_sample_is_enough_to_predict_evaluate_and_train(rng):
    network = NeuralNetwork(input_scale=1.0)
    network.add_layer(Layer_dense(5, 3, "Sigmoid", rng=0, dtype=np.float64))
    x, Y = rng.standard_normal((1, 5)), np.array([[0.0, 0.0, 1.0]])
    assert network.predict(x).shape == (1,)
    assert network.evaluate(x, network.predict(x)) == 100.0
    before = network.loss(network.predict_proba(x), Y)
    history = network.train(x, [2], 2, 1, 0.1, verbose=False)
    assert history["loss"][0] == pytest.approx(before, rel=1e-12)
    assert network.loss(network.predict_proba(x), Y) < history["loss"][1] < before


def test_evaluate_per_class_counts_the_output_layers_classes_even_when_hidden_layers_are_wider(rng):
    network = network_with_dropout(sizes=(5, 8, 6, 3))         # 8 and 6 hidden units, 3 classes
    X, y = blobs(rng, n=60)
    predictions = network.predict(X)
    accuracy, per_class = network.evaluate(X, y, per_class=True)
    assert per_class.shape == (3,)
    for c in range(3):
        assert per_class[c] == pytest.approx(100 * np.mean(predictions[y == c] == c))
    assert accuracy == pytest.approx(100 * np.mean(predictions == y))


@pytest.mark.parametrize("value, found", [(np.nan, "NaN"), (np.inf, "infinite values"), (-np.inf, "infinite values")])
def test_a_nan_or_infinite_output_stops_training_and_says_which(value, found):
    output = np.full((4, 3), 0.5)
    output[2, 1] = value
    with pytest.raises(FloatingPointError, match=f"^the network's output became {found} in epoch 3, batch 7: "
                                                 r"training diverged\. Try a lower learning_rate than 0\.5; "
                                                 "the weights from before this batch are kept.$"):
        _check_finite(output, 2, 7, 0.5)
    _check_finite(np.full((4, 3), 0.5), 2, 7, 0.5)              # finite: nothing happens


def test_an_infinite_output_inside_train_stops_it_before_the_update(rng):
    X, y = blobs(rng, n=20)
    network = network_with_dropout()
    last = network.layers[-1]
    forward = last.Forward
    last.Forward = lambda A, training=False: np.where(forward(A, training) > 0.0, np.inf, 0.0)
    before = [layer.W.copy() for layer in network.layers]
    # (the patched layer is infinite from the start: the watch's first look at the loss is NaN, quietly)
    with pytest.raises(FloatingPointError, match="output became infinite values in epoch 1, batch 1"), \
            np.errstate(invalid="ignore"):
        network.train(X, y, 1, 5, 0.1, verbose=False)
    for layer, W in zip(network.layers, before):
        np.testing.assert_array_equal(layer.W, W)


@pytest.mark.parametrize("z", [20.0, -20.0, 40.0, -40.0, 80.0])
def test_the_sigmoid_derivative_is_right_far_out_in_the_tails(z):
    """sigmoid'(z) = e^-|z| / (1 + e^-|z|)^2, tiny but not zero (and not a constant) for large |z|."""
    exact = math.exp(-abs(z)) / (1 + math.exp(-abs(z))) ** 2
    assert Activation.d_sigmoid(np.array([z]))[0] == pytest.approx(exact, rel=1e-6)


def test_the_initial_weights_are_normal_with_the_stated_spread():
    """He scaling for ReLU (std sqrt(2/n_in)), sqrt(1/n_in) otherwise; normal, not uniform:
    a normal sample's kurtosis is 3 (a uniform one's 1.8); biases start at zero."""
    for activation, gain in (("ReLU", 2.0), ("Tanh", 1.0)):
        layer = Layer_dense(400, 500, activation, rng=0, dtype=np.float64)
        W = layer.W.ravel()
        assert np.std(W) == pytest.approx(math.sqrt(gain / 400), rel=0.01)
        assert abs(np.mean(W)) < 0.01 * np.std(W) * 10
        assert np.mean(W ** 4) / np.mean(W ** 2) ** 2 == pytest.approx(3.0, abs=0.05)
        assert not layer.b.any()


def test_the_sigmoid_loss_of_a_saturated_wrong_output_is_large_but_finite():
    """A = 1 where Y = 0: log(1 - A) = log(0); the floor 1e-30 makes it -log(1e-30) = 69.08 per entry."""
    network = NeuralNetwork()
    network.add_layer(Layer_dense(2, 3, "Sigmoid"))
    A, Y = np.array([[1.0, 0.0, 0.5]]), np.array([[0.0, 0.0, 1.0]])
    assert network.loss(A, Y) == pytest.approx(-math.log(1e-30) + -math.log(1.0) - math.log(0.5), rel=1e-12)
    assert network.loss(np.array([[0.0, 0.0, 0.5]]), np.array([[1.0, 0.0, 1.0]])) == pytest.approx(
        -math.log(1e-30) - math.log(0.5), rel=1e-12)


class RecordingNetwork:
    """Stands in for a NeuralNetwork in Options.train: records what it was asked to train on."""

    def train(self, X, y, epochs, batch_size, learning_rate, **options):
        self.X, self.y, self.options = X, y, options
        return {"loss": [0.0] * epochs, "accuracy": [0.0] * epochs}


def test_the_demo_holds_out_the_last_validation_size_images_of_the_training_subset():
    train_X = np.arange(100 * 4).reshape(100, 4)
    train_y = np.arange(100) % 10
    network = RecordingNetwork()
    args = Options.parse_args(["--train-size", "50", "--validation-size", "10", "--quiet"])
    Options.train(network, args, Options.Plan(n_train=40, n_used=50), train_X, train_y)
    np.testing.assert_array_equal(network.X, train_X[:40])
    np.testing.assert_array_equal(network.y, train_y[:40])
    X_val, y_val = network.options["validation_data"]
    np.testing.assert_array_equal(X_val, train_X[40:50])
    np.testing.assert_array_equal(y_val, train_y[40:50])


def test_the_demo_passes_every_training_option_on(tmp_path):
    """--momentum, --nesterov, --weight-decay, --schedule, --dropout and --augment reach train."""
    network = RecordingNetwork()
    args = Options.parse_args(["--momentum", "0.5", "--nesterov", "--weight-decay", "0.001", "--schedule", "step",
                             "--epochs", "4", "--batch-size", "8", "--learning-rate", "0.2", "--augment",
                             "--elastic", "1.5", "--early-stopping", "2", "--validation-size", "5", "--quiet"])
    plan = Options.check_options(args)
    plan.n_train, plan.n_used = 15, 20
    history = Options.train(network, args, plan, np.zeros((20, 784)), np.zeros(20, dtype=int))
    options = network.options
    optimizer = options["optimizer"]
    assert (type(optimizer), optimizer.momentum, optimizer.nesterov) == (Momentum, 0.5, True)
    assert (options["weight_decay"], options["schedule"], options["early_stopping"]) == (0.001, "step", 2)
    assert options["verbose"] is False and len(history["loss"]) == 4
    images = np.random.default_rng(0).uniform(0, 255, (3, 784))
    expected = Augmentation.random_affine(images, np.random.default_rng(1), elastic=1.5)
    np.testing.assert_array_equal(options["transform"](images, np.random.default_rng(1)), expected)


def test_float32_training_is_the_notes_loop_bit_for_bit_in_float32(rng):
    """With float32 layers every array train makes (targets, output errors) is float32 too."""
    X, y = blobs(rng, n=60)
    twins = []
    for _ in range(2):
        generator = np.random.default_rng(3)
        network = NeuralNetwork(input_scale=1.0, rng=generator)
        network.add_layer(Layer_dense(5, 8, "ReLU", rng=generator, dropout=0.2))
        network.add_layer(Layer_dense(8, 3, "Sigmoid", rng=generator))
        twins.append(network)
    network, reference = twins
    history = network.train(X, y, 2, 16, 0.01, verbose=False)
    Y = np.eye(3, dtype=np.float32)[y]
    for epoch in range(2):
        order = reference.rng.permutation(60)
        outputs = []
        for start in range(0, 60, 16):
            rows = order[start:start + 16]
            output = reference.forward(X[rows], training=True)
            assert output.dtype == np.float32
            outputs.append(output)
            reference.backward(output - Y[rows])
            reference.update_parameters(0.01)
        # Fewer than 100 batches: the epoch's loss is one float32 sum over all its outputs.
        assert history["loss"][epoch] == reference.loss(np.concatenate(outputs), Y[order]) / 60
    for layer, hand in zip(network.layers, reference.layers):
        assert layer.W.dtype == np.float32
        np.testing.assert_array_equal(layer.W, hand.W)


def test_the_validation_loss_is_computed_in_the_network_s_dtype(rng):
    X, y = blobs(rng, n=50)
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(5, 3, "Softmax", rng=1))               # float32
    history = network.train(X[:40], y[:40], 1, 8, 0.01, verbose=False, validation_data=(X[40:], y[40:]))
    output = network.predict_proba(X[40:])
    expected = network.loss(output, np.eye(3, dtype=np.float32)[y[40:]]) / 10
    assert history["val_loss"][0] == expected
    assert history["val_accuracy"][0] == np.mean(output.argmax(axis=1) == y[40:])


class RecordingBar:
    """Stands in for tqdm in train: records how it was made and every description it was given."""
    made = []

    def __init__(self, iterable, **options):
        self.iterable, self.options, self.descriptions = iterable, options, []
        RecordingBar.made.append(self)

    def __iter__(self):
        return iter(self.iterable)

    def set_description(self, text, refresh=True):
        self.descriptions.append((text, refresh))

    def close(self):
        self.closed = True


def test_the_progress_bar_counts_batches_and_shows_the_running_loss_and_accuracy(rng, monkeypatch, capsys):
    """250 samples in batches of 2: the bar knows its 125 batches, is cleared when done, and its text
    is refreshed every 100 batches and at the end with the loss and accuracy so far."""
    import Network
    RecordingBar.made = []
    monkeypatch.setattr(Network, "tqdm", RecordingBar)
    X, y = blobs(rng)
    network = network_with_dropout()
    y_val = np.random.default_rng(1).integers(0, 3, 50)                 # labels no network can learn
    history = network.train(X, y, 2, 2, 0.002, validation_data=(X[:50], y_val))
    assert len(RecordingBar.made) == 2
    for epoch, bar in enumerate(RecordingBar.made, start=1):
        assert bar.options == {"total": 125, "desc": f"Epoch {epoch}/2", "disable": False, "leave": False}
        assert bar.closed
        assert [refresh for _, refresh in bar.descriptions] == [False, False]
        first, last = (text for text, _ in bar.descriptions)
        assert first.startswith(f"Epoch {epoch}/2 | Loss: ") and " | Accuracy: " in first
        assert last == (f"Epoch {epoch}/2 | Loss: {history['loss'][epoch - 1]:.4f} | "
                        f"Accuracy: {100 * history['accuracy'][epoch - 1]:.2f}%")
    summaries = [line for line in capsys.readouterr().out.splitlines() if "completed" in line]
    assert summaries == [f"Epoch {e}/2 completed: Avg. Loss: {history['loss'][e - 1]:.4f}, "
                         f"Avg. Accuracy: {100 * history['accuracy'][e - 1]:.2f}%, "
                         f"Val. Loss: {history['val_loss'][e - 1]:.4f}, "
                         f"Val. Accuracy: {100 * history['val_accuracy'][e - 1]:.2f}%" for e in (1, 2)]
    assert 0.5 < history["accuracy"][1] < 1 and 0 < history["val_accuracy"][1] < 0.6   # no 0 or 1 that hides a factor


@pytest.mark.parametrize("stop_in_batch, epochs, interrupted, epochs_kept", [
    (3, 3, {"epoch": 1, "batch": 3}, 0),     # inside epoch 1: the unfinished epoch is not recorded
    (5, 3, {"epoch": 1, "batch": 5}, 1),     # during the last batch of epoch 1 of 3: epoch 1 kept, stop there
    (10, 3, {"epoch": 2, "batch": 5}, 2),    # during the last batch of epoch 2 of 3
    (15, 3, None, 3),                        # during the last batch of the last epoch: nothing was cut short
])
def test_stop_ends_training_after_the_batch_it_was_set_in(rng, stop_in_batch, epochs, interrupted, epochs_kept,
                                                          capsys):
    import threading
    X, y = blobs(rng, n=10)
    stop, batches = threading.Event(), []

    def count(batch_x, _):                                # 5 batches per epoch
        batches.append(len(batch_x))
        if len(batches) == stop_in_batch:
            stop.set()
        return batch_x
    history = network_with_dropout().train(X, y, epochs, 2, 0.01, verbose=False, transform=count, stop=stop)
    assert len(batches) == stop_in_batch
    assert history.get("interrupted") == interrupted
    assert len(history["loss"]) == epochs_kept
    assert capsys.readouterr().out == ""                              # verbose=False: not a word


def test_a_schedule_function_is_given_the_epoch_and_the_number_of_epochs(rng):
    X, y = blobs(rng, n=10)
    calls = []
    network_with_dropout().train(X, y, 3, 5, 0.01, verbose=False,
                                 schedule=lambda epoch, epochs: calls.append((epoch, epochs)) or 1.0)
    assert set(calls) == {(0, 3), (1, 3), (2, 3)}


def test_evaluate_per_class_gives_nan_for_an_absent_class_without_a_warning(rng):
    import warnings
    network = network_with_dropout()
    X, y = blobs(rng, n=30)
    y = np.where(y == 2, 0, y)                              # no sample of class 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, per_class = network.evaluate(X, y, per_class=True)
    assert np.isnan(per_class[2]) and not np.isnan(per_class[:2]).any()


def test_forward_is_the_plain_computation_in_the_network_s_dtype(rng):
    """forward passes NaN through (train and predict check their data; forward is the notes' step),
    and float32 layers give float32 outputs for uint8 pixels."""
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 3, "ReLU", rng=0))
    network.add_layer(Layer_dense(3, 2, "Softmax", rng=1))
    pixels = rng.integers(0, 256, (5, 4)).astype(np.uint8)
    assert network.forward(pixels).dtype == np.float32
    X = rng.standard_normal((3, 4))
    X[1, 2] = np.nan
    output = network.forward(X)
    assert np.isnan(output[1]).all() and np.isfinite(output[[0, 2]]).all()
    with pytest.raises(ValueError, match="^data contains NaN or infinite values$"):
        network.predict(X)
    with pytest.raises(ValueError, match="^data contains NaN or infinite values$"):
        network.predict(X.astype(np.float32))


NO_LAYERS = "the network has no layers; add some with add_layer(Layer_dense(...))"


@pytest.mark.parametrize("call, message", [
    (lambda n: NeuralNetwork().predict(np.zeros((2, 4))), NO_LAYERS),
    (lambda n: NeuralNetwork().loss(np.zeros((1, 2)), np.zeros((1, 2))), NO_LAYERS),
    (lambda n: n.predict(np.zeros((0, 4))), "data has no samples"),
    (lambda n: n.predict(np.zeros((2, 2, 4))), "data must be 2-D (n_samples, n_features), got shape (2, 2, 4)"),
    (lambda n: n.predict(np.zeros(4)), "data must be 2-D (n_samples, n_features), got shape (4,)"
                                       ": one sample is one row, use x.reshape(1, 4)"),
    (lambda n: NeuralNetwork.calculate_accuracy([], []), "cannot compute the accuracy of zero samples"),
])
def test_each_bad_call_gets_its_exact_message(call, message):
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 2, "Softmax"))
    with pytest.raises(ValueError) as raised:
        call(network)
    assert str(raised.value) == message


@pytest.mark.parametrize("validation", [(np.zeros((2, 5)),), "data", (np.zeros((2, 5)), [0, 1], [1, 0])])
def test_validation_data_must_be_a_pair(rng, validation):
    X, y = blobs(rng, n=10)
    with pytest.raises(TypeError, match=r"^validation_data must be a pair \(X_val, y_val\)$"):
        network_with_dropout().train(X, y, 1, 5, 0.01, verbose=False, validation_data=validation)


@pytest.mark.filterwarnings("ignore::Diagnostics.TrainingWarning")     # 201 steps at 0.001 learn little
def test_the_running_figures_are_refreshed_every_100_batches_and_at_the_end(rng, monkeypatch):
    import Network
    RecordingBar.made = []
    monkeypatch.setattr(Network, "tqdm", RecordingBar)
    X, y = blobs(rng, n=201)
    network_with_dropout().train(X, y, 1, 1, 0.001)
    assert len(RecordingBar.made[0].descriptions) == 3                  # after batches 100, 200 and 201
