"""When training goes wrong, the library says why: one test per mistake a learner makes, with the
message as printed; the learning-rate range test; the pictures of the inside of a network."""
import re
from copy import deepcopy
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import Diagnostics
import Network
from Diagnostics import TrainingWarning
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Options import build_network

NUMBER = r"[0-9.e+-]+"
# Under mutation testing mutmut's wrappers (in its own files) stand between the caller and Network.py,
# so a warning cannot point at the caller's line: that one assertion is left out there.
UNDER_MUTMUT = "mutmut" in Path(Network.__file__).read_text()


def points_here(warning):
    """The warning points at a line of this file (the caller's), not at the library's."""
    return UNDER_MUTMUT or warning.filename == __file__


def train_and_catch(network, X, y, epochs, learning_rate, **options):
    """train, returning (history, the TrainingWarnings shown), each shown warning checked to point at this file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = network.train(X, y, epochs, 32, learning_rate, verbose=False, **options)
    shown = [w for w in caught if issubclass(w.category, TrainingWarning)]
    assert all(points_here(w) for w in shown)                   # the learner's line, not the library's
    assert [str(w.message) for w in shown] == [str(w) for w in history["warnings"]]
    return history, shown


def pattern(message):
    """A regular expression for message in which every {} stands for a number."""
    return "^" + re.escape(message).replace(r"\{\}", NUMBER) + "$"


# ---- the table of issue 18: each mistake, and what the learner is told ----------------------------

def test_a_learning_rate_of_10_saturates_the_sigmoid_output_and_train_says_so(mnist):
    (X, y), _ = mnist
    history, shown = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:10000], y[:10000], 2, 10.0)
    assert [w.cause for w in history["warnings"]] == ["dead_units", "saturated_output"]
    assert re.match(pattern(
        "the output layer (Sigmoid) is saturated after epoch {}: {}% of its outputs on 512 training samples lie "
        "within 0.001 of 0 or 1, and the loss ({} per sample) is {} times what it was at the start ({}): the network "
        "answers with confident nonsense. Likely cause: the learning rate 10 is far too high. Try a much lower "
        "learning_rate (the notes use 0.001 with batches of 32; network.find_learning_rate(data, labels) suggests "
        "one)."), str(history["warnings"][1]))
    assert history["accuracy"][-1] < 0.15                           # it did fail: the warning is not a false alarm


def test_a_learning_rate_of_a_billion_gets_the_same_message_naming_the_rate(mnist):
    (X, y), _ = mnist
    history, _ = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:5000], y[:5000], 1, 1e9)
    assert [w.cause for w in history["warnings"]] == ["dead_units", "saturated_output"]
    assert "Likely cause: the learning rate 1e+09 is far too high." in str(history["warnings"][1])


def test_a_learning_rate_of_0_1_kills_every_relu_unit_and_train_says_how_many(mnist):
    (X, y), (test_X, test_y) = mnist
    network = build_network([64], "ReLU", "Sigmoid", 0)
    history, shown = train_and_catch(network, X[:10000], y[:10000], 3, 0.1)
    assert [w.cause for w in history["warnings"]] == ["dead_units"]      # once, though every epoch has them
    assert str(history["warnings"][0]) == (
        "64 of the 64 units of layer 1 (ReLU) gave 0 for every one of 512 training samples after epoch 1: they "
        "are dead, and a dead unit never learns again (its gradient is 0). Likely cause: the learning rate 0.1 is "
        "too high; large steps pushed their weights and biases so far down that no input turns them on. Try a "
        "lower learning_rate (network.find_learning_rate(data, labels) suggests one).")
    assert history["warnings"][0].epoch == 1 and len(shown) == 1
    assert len(set(network.predict(test_X))) == 1                    # one answer for every digit


def test_saturated_tanh_units_get_their_own_message(mnist):
    (X, y), _ = mnist
    network = build_network([64], "Tanh", "Softmax", 0)
    history, _ = train_and_catch(network, X[:10000], y[:10000], 1, 0.1)
    assert [w.cause for w in history["warnings"]] == ["saturated_units"] and history["warnings"][0].epoch == 1
    share = Diagnostics.unit_statistics(network, X[:10000][::19][:512])[0]["saturated"]
    assert str(history["warnings"][0]).startswith(f"{round(share * 64)} of the 64 units of layer 1 (Tanh)")
    assert re.match(pattern(
        "{} of the 64 units of layer 1 (Tanh) are saturated after epoch 1: on every one of 512 training samples "
        "their output lies within 0.01 of its limits, where the slope g'(z) is almost 0, so they hardly learn. "
        "Likely cause: the learning rate 0.1 is too high. Try a lower learning_rate "
        "(network.find_learning_rate(data, labels) suggests one)."), str(history["warnings"][0]))


SCALED_TWICE = (
    "the inputs already lie in 0..1 (the largest is 1), but this network multiplies every input by input_scale "
    "= 1/255 first, as the notes' loop does, so it sees them scaled twice (0..0.0039) and learns slowly or not at "
    "all. Likely cause: the pixels were divided by 255 before they were passed in. Try: pass the raw pixels "
    "0..255, as load_mnist returns them (or build the network with NeuralNetwork(input_scale=1) for data you have "
    "scaled yourself).")


def test_pixels_divided_by_255_before_train_get_a_warning_before_the_first_batch(mnist):
    (X, y), _ = mnist
    history, shown = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:3000] / 255.0, y[:3000], 1, 0.001)
    assert [w.cause for w in history["warnings"]] == ["scaled_inputs"]
    assert str(history["warnings"][0]) == SCALED_TWICE and history["warnings"][0].epoch == 0


SCALED_TWICE_ANSWERS = SCALED_TWICE.replace(
    "and learns slowly or not at all", "and reads an almost blank picture: its answers are wrong however well it was trained")


@pytest.mark.parametrize("method", ["predict", "predict_proba", "evaluate", "find_learning_rate"])
def test_pixels_divided_by_255_before_a_prediction_get_the_same_warning_once(mnist, small_network, method):
    _, (test_X, test_y) = mnist
    arguments = (test_X[:100] / 255.0,) + ((test_y[:100],) if method in ("evaluate", "find_learning_rate") else ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(small_network, method)(*arguments)
        getattr(small_network, method)(*[np.asarray(a) * 255.0 if i == 0 else a for i, a in enumerate(arguments)])
    expected = SCALED_TWICE if method == "find_learning_rate" else SCALED_TWICE_ANSWERS    # (it trains a copy)
    assert SCALED_TWICE_ANSWERS != SCALED_TWICE
    assert [str(w.message) for w in caught] == [expected]           # once, and not for raw pixels
    assert points_here(caught[0]) and caught[0].category is TrainingWarning
    assert caught[0].message.cause == "scaled_inputs"


def test_no_warning_for_raw_pixels_a_blank_image_or_a_network_that_does_not_rescale(mnist, small_network):
    _, (test_X, _) = mnist
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        small_network.predict(test_X[:10])
        small_network.predict(np.zeros((1, 784)))
        unscaled = NeuralNetwork(input_scale=1)
        unscaled.add_layer(Layer_dense(784, 10, "Softmax", rng=0))
        unscaled.predict(test_X[:10] / 255.0)


def test_a_hardly_learning_network_is_told_after_its_first_epoch(mnist):
    (X, y), _ = mnist
    history, _ = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:10000], y[:10000], 1, 1e-9)
    assert [w.cause for w in history["warnings"]] == ["no_progress"]
    assert re.match(pattern(
        "after epoch 1 the network has hardly learnt: on 512 training samples its accuracy is {}% (chance is 10.0% "
        "for 10 classes) and its loss {} per sample, against {} at the start. Likely cause: a learning rate (1e-09) "
        "far too low or too high, or labels that do not belong to the samples. Try "
        "network.find_learning_rate(data, labels) to find a rate that learns."), str(history["warnings"][0]))


def test_a_loss_that_grows_epoch_after_epoch_is_named(mnist):
    (X, y), _ = mnist
    network = build_network([64], "ReLU", "Softmax", 0)
    history, _ = train_and_catch(network, X[:10000], y[:10000], 4, 0.003, schedule=lambda epoch, epochs: 3.0 ** epoch)
    growing = [w for w in history["warnings"] if w.cause == "loss_growing"]
    assert len(growing) == 1 and growing[0].epoch == 4
    losses = history["loss"]
    assert str(growing[0]) == (
        f"the training loss grew two epochs in a row ({losses[1]:.4f}, {losses[2]:.4f}, {losses[3]:.4f} in epochs "
        f"2 to 4), to {losses[3] / min(losses):.1f} times its lowest ({min(losses):.4f}): the steps overshoot. "
        f"Likely cause: the learning rate 0.003 is too high for this network. Try a lower learning_rate, e.g. 0.001.")


def test_a_handful_of_samples_or_steps_gets_no_verdict():
    rng = np.random.default_rng(0)
    X, y = rng.random((20, 4)) * 255, rng.integers(0, 3, 20)
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(4, 8, "ReLU", rng=0))
    network.add_layer(Layer_dense(8, 3, "Softmax", rng=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        history = network.train(X, y, 4, 5, 1e-9, verbose=False)        # 16 steps: too few to judge
    assert history["warnings"] == []


def test_the_warning_is_shown_again_when_the_mistake_is_repeated(mnist):
    (X, y), _ = mnist
    for _ in range(2):
        _, shown = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:500] / 255.0, y[:500], 1, 0.001)
        assert [str(w.message) for w in shown] == [SCALED_TWICE]


def test_the_notes_recipe_trains_without_a_warning(notes_network):
    assert notes_network.training_warnings == []


def test_the_checks_leave_training_bit_identical_and_the_network_s_caches_alone(mnist):
    """The probe is read with the layers' equations, not their Forward: nothing train keeps changes."""
    (X, y), _ = mnist
    a, b = build_network([32], "ReLU", "Sigmoid", 0), build_network([32], "ReLU", "Sigmoid", 0)
    a.train(X[:2000], y[:2000], 2, 32, 0.001, verbose=False)
    cached = [(layer.A_prev.copy(), layer.Z.copy()) for layer in a.layers]
    Diagnostics.unit_statistics(a, X[:600])
    for layer, (A_prev, Z) in zip(a.layers, cached):
        np.testing.assert_array_equal(layer.A_prev, A_prev)
        np.testing.assert_array_equal(layer.Z, Z)
    watch_free = Diagnostics.TrainingWatch.after_epoch
    try:
        Diagnostics.TrainingWatch.after_epoch = lambda self, epoch, history: None
        b.train(X[:2000], y[:2000], 2, 32, 0.001, verbose=False)
    finally:
        Diagnostics.TrainingWatch.after_epoch = watch_free
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.W, lb.W)


def test_unit_statistics_counts_dead_and_saturated_units_exactly():
    network = NeuralNetwork(input_scale=1)
    network.add_layer(Layer_dense(2, 4, "ReLU", dtype=np.float64))
    network.add_layer(Layer_dense(4, 3, "Sigmoid", dtype=np.float64))
    network.layers[0].W[:] = [[1, -1, 0, 2], [1, -1, 0, -2]]
    network.layers[0].b[:] = [[0, 0, 0, 0.5]]             # unit 1: always < 0, unit 2: always 0 -> dead
    network.layers[1].W[:] = 0
    network.layers[1].b[:] = [[10, -10, 0]]               # outputs 0.99995, 0.00005, 0.5
    X = np.array([[1.0, 2.0], [3.0, 0.5]])
    first, second = Diagnostics.unit_statistics(network, X)
    assert (first["dead"], first["saturated"]) == (0.5, 0.0)
    np.testing.assert_allclose(first["outputs"], [[3, 0, 0, 0], [3.5, 0, 0, 5.5]])
    assert (second["dead"], second["saturated"]) == (0.0, 2 / 3)


# ---- the learning-rate range test ------------------------------------------------------------------

def test_find_learning_rate_tries_geometric_rates_on_a_copy_and_suggests_a_tenth_of_the_best(mnist):
    (X, y), _ = mnist
    network = build_network([64], "ReLU", "Sigmoid", 0)
    weights = [layer.W.copy() for layer in network.layers]
    state = network.rng.bit_generator.state
    result = network.find_learning_rate(X[:20000], y[:20000])
    assert network.rng.bit_generator.state == state                  # the network is untouched
    for layer, W in zip(network.layers, weights):
        np.testing.assert_array_equal(layer.W, W)
    rates, losses = result["learning_rates"], result["losses"]
    np.testing.assert_allclose(rates, 1e-6 * (1e7) ** (np.arange(len(rates)) / 99), rtol=1e-12)
    assert 20 < len(rates) < 100 and losses[-1] > 4 * min(losses)     # stopped once the loss blew up
    assert all(loss <= 4 * min(losses[:k + 1]) for k, loss in enumerate(losses[:-1]))
    assert result["suggestion"] == rates[int(np.argmin(losses))] / 10
    assert 3e-4 < result["suggestion"] < 5e-3                       # the notes' 0.001 is in this range
    assert result == network.find_learning_rate(X[:20000], y[:20000])   # a seed repeats it
    defaults = dict(batch_size=32, start=1e-6, end=10.0, steps=100)       # the documented defaults
    assert result == network.find_learning_rate(X[:20000], y[:20000], **defaults)


def test_find_learning_rate_smooths_the_loss_of_each_batch_as_its_docstring_says():
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 4)) * 255, rng.integers(0, 2, 64)
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(4, 2, "Softmax", rng=0, dtype=np.float64))
    result = network.find_learning_rate(X, y, batch_size=8, start=1e-3, end=1e-2, steps=5)
    copy = NeuralNetwork(rng=0)
    copy.add_layer(Layer_dense(4, 2, "Softmax", rng=0, dtype=np.float64))
    order = np.random.default_rng(0).permutation(64)
    smoothed, expected = 0.0, []
    for k, rate in enumerate(1e-3 * 10 ** (np.arange(5) / 4)):
        rows = order[8 * k:8 * k + 8]
        output = copy.forward(X[rows])
        Y = np.eye(2)[y[rows]]
        smoothed = 0.9 * smoothed + 0.1 * -np.sum(Y * np.log(output)) / 8
        expected.append(smoothed / (1 - 0.9 ** (k + 1)))
        copy.backward(output - Y)
        copy.update_parameters(rate)
    np.testing.assert_allclose(result["losses"], expected, rtol=1e-12)


@pytest.mark.parametrize("options, message", [
    (dict(start=0.1, end=0.01), "find_learning_rate needs 0 < start < end and steps >= 2, got start=0.1, end=0.01, steps=100"),
    (dict(steps=1), "find_learning_rate needs 0 < start < end and steps >= 2, got start=1e-06, end=10.0, steps=1"),
    (dict(start=0), "find_learning_rate needs 0 < start < end and steps >= 2, got start=0.0, end=10.0, steps=100"),
    (dict(batch_size=0), "batch_size must be positive, got 0"),
])
def test_find_learning_rate_rejects_a_range_that_is_not_one(options, message):
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 2, "Softmax"))
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        network.find_learning_rate(np.full((10, 4), 200.0), np.zeros(10, int), **options)


@pytest.mark.parametrize("options, error, message", [
    (dict(steps="5"), TypeError, "steps must be an integer, got '5'"),
    (dict(start="a"), TypeError, "start must be a number, got 'a'"),
    (dict(end=None), TypeError, "end must be a number, got None"),
    (dict(start=0.01, end=0.01), ValueError, "find_learning_rate needs 0 < start < end and steps >= 2, got "
                                             "start=0.01, end=0.01, steps=100"),
])
def test_find_learning_rate_names_the_argument_that_is_wrong(options, error, message):
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 2, "Softmax"))
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        network.find_learning_rate(np.full((10, 4), 200.0), np.zeros(10, int), **options)


def range_test_by_hand(network, X, y, batch_size, start, end, steps):
    """The range test as find_learning_rate's docstring says, written out on a copy of network, in its
    dtype, dropout on: the rates tried and the smoothed losses, stopping past 4 times the lowest."""
    copy = deepcopy(network)
    Y = np.eye(network.layers[-1].n_out, dtype=network.layers[0].W.dtype)[y]
    order = np.concatenate([copy.rng.permutation(len(X)) for _ in range(-(-steps * batch_size // len(X)))])
    rates, losses, smoothed = [], [], 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for k, rate in enumerate(start * (end / start) ** (np.arange(steps) / (steps - 1))):
            rows = order[k * batch_size:(k + 1) * batch_size]
            output = copy.forward(X[rows], training=True)
            smoothed = 0.9 * smoothed + 0.1 * copy.loss(output, Y[rows]) / len(rows)
            if not np.isfinite(smoothed):
                break
            rates.append(rate)
            losses.append(smoothed / (1 - 0.9 ** (k + 1)))
            if losses[-1] > 4 * min(losses):
                break
            copy.backward(output - Y[rows])
            copy.update_parameters(rate)
    return rates, losses


@pytest.mark.parametrize("start, end", [(1e-3, 100.0), (1e20, 1e36)])   # to 4 times the lowest; to overflow
def test_find_learning_rate_is_the_range_test_written_out_bit_for_bit_with_dropout_in_float32(start, end):
    rng = np.random.default_rng(3)
    X, y = rng.uniform(0, 255, (96, 6)), rng.integers(0, 3, 96)
    network = NeuralNetwork(rng=4)
    network.add_layer(Layer_dense(6, 8, "ReLU", rng=5, dropout=0.3))
    network.add_layer(Layer_dense(8, 3, "Softmax", rng=6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                # the blow-up it looks for is silent
        result = network.find_learning_rate(X, y, batch_size=16, start=start, end=end, steps=30)
    rates, losses = range_test_by_hand(network, X, y, 16, start, end, 30)
    assert result["learning_rates"] == [float(rate) for rate in rates] and len(rates) < 30
    assert result["losses"] == losses
    assert np.all(np.diff(result["learning_rates"]) > 0)


@pytest.mark.heavy
def test_the_suggested_rate_trains_the_notes_network_as_well_as_the_notes_rate(mnist):
    """The README's figures: the suggestion for seed 0 is 0.0013, and 10 epochs with it read 97.12%
    of the test digits (96.96% at the notes' 0.001); the bar is the notes' own, 96.5%."""
    (X, y), (test_X, test_y) = mnist
    network = build_network([64], "ReLU", "Sigmoid", 0)
    suggestion = network.find_learning_rate(X, y)["suggestion"]
    assert f"{suggestion:.2g}" == "0.0013"
    history = network.train(X, y, 10, 32, suggestion, verbose=False)
    assert network.evaluate(test_X, test_y) >= 96.5 and history["warnings"] == []


# ---- pictures of the inside ------------------------------------------------------------------------

def test_the_learning_rate_picture_has_a_log_axis_and_marks_the_suggestion():
    result = {"learning_rates": [1e-4, 1e-3, 1e-2, 1e-1], "losses": [2.0, 1.5, 1.0, 5.0], "suggestion": 1e-3}
    import Plots
    fig = Plots.plot_learning_rates(result)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "learning rate (log scale)"
    curve, lowest, suggestion = ax.get_lines()
    np.testing.assert_array_equal(curve.get_xdata(), result["learning_rates"])
    assert (list(lowest.get_xdata()), list(lowest.get_ydata())) == ([1e-2], [1.0])
    assert list(suggestion.get_xdata()) == [1e-3, 1e-3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lowest loss at 0.01",
                                                                   "suggestion 0.001 (a tenth of that)"]
    plt.close(fig)


@pytest.mark.filterwarnings("ignore::Diagnostics.TrainingWarning")      # the dead units, on purpose
def test_the_activations_picture_shows_dead_units_and_gradients_and_changes_nothing(mnist):
    (X, y), _ = mnist
    import Plots
    network = build_network([64], "ReLU", "Sigmoid", 0)
    network.train(X[:10000], y[:10000], 1, 32, 0.1, verbose=False)          # kills every unit (see above)
    W = [layer.W.copy() for layer in network.layers]
    dW = [layer.dW.copy() for layer in network.layers]
    fig = Plots.plot_activations(network, X, y)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:2] == ["layer 1 (ReLU): 100% of units dead", "layer 2 (Sigmoid): output layer"]
    assert titles[2].startswith("layer 1: gradient dW (mean |dW| 0") and titles[3].startswith("layer 2: gradient dW")
    counts = [sum(patch.get_height() for patch in ax.patches) for ax in fig.axes]
    assert counts == [512 * 64, 512 * 10, 784 * 64, 64 * 10]
    for layer, W_before, dW_before in zip(network.layers, W, dW):
        np.testing.assert_array_equal(layer.W, W_before)
        np.testing.assert_array_equal(layer.dW, dW_before)
    plt.close(fig)
    healthy = Plots.plot_activations(build_network([64], "ReLU", "Sigmoid", 0), X)
    assert [ax.get_title() for ax in healthy.axes] == ["layer 1 (ReLU): 0% of units dead",
                                                       "layer 2 (Sigmoid): output layer"]
    plt.close(healthy)


# ---- pictures that say what they show --------------------------------------------------------------

def test_the_confusion_matrix_colours_the_mistakes_on_their_own_scale():
    import Plots
    matrix = np.array([[980, 16, 4], [2, 1100, 0], [9, 1, 1000]])
    fig = Plots.plot_confusion_matrix(matrix)
    ax = fig.axes[0]
    diagonal, mistakes = ax.get_images()
    assert mistakes.get_clim() == (0, 16)                # the largest mistake, not the 1100 correct answers
    shown = np.ma.filled(mistakes.get_array().astype(float), np.nan)
    assert np.isnan(np.diag(shown)).all() and shown[0, 1] == 16 and shown[2, 0] == 9
    assert mistakes.cmap(mistakes.norm(16))[:3] != mistakes.cmap(mistakes.norm(0))[:3]   # 16 mistakes stand out
    texts = {(t.get_position(), t.get_text()): t.get_color() for t in ax.texts}
    assert texts[((1, 0), "16")] == "white" and texts[((1, 1), "1100")] == "black"
    assert fig.axes[1].get_ylabel() == "mistakes: samples of the row's class read as the column's"
    plt.close(fig)


def test_the_weights_picture_says_what_red_and_blue_mean_and_that_each_tile_has_its_own_scale():
    import Plots
    fig = Plots.plot_first_layer_weights(build_network([16], "ReLU", "Sigmoid", 0), cols=4)
    legend = fig.axes[-1]
    assert [t.get_text() for t in legend.get_yticklabels()] == ["ink here\npushes Z\ndown", "no effect",
                                                                "ink here\npushes Z\nup"]
    assert "each tile on its own colour scale" in fig._suptitle.get_text()
    tile = fig.axes[0].get_images()[0]
    W = fig.axes[0].get_images()[0].get_array()
    assert tile.get_clim() == (-np.abs(W).max(), np.abs(W).max())
    plt.close(fig)


def test_the_training_curves_explain_why_validation_can_lie_below_training():
    import Plots
    with_validation = Plots.plot_history({"loss": [0.5, 0.3], "accuracy": [0.8, 0.9], "val_loss": [0.3, 0.2],
                                          "val_accuracy": [0.9, 0.95]})
    assert any("so the validation curves can lie below the training ones" in t.get_text()
               for t in with_validation.texts)
    without = Plots.plot_history({"loss": [0.5, 0.3], "accuracy": [0.8, 0.9]})
    assert without.texts == []
    plt.close("all")


def test_show_or_save_without_a_display_saves_and_says_where(tmp_path, monkeypatch, capsys):
    """The README's script: plot_history, then show_or_save; with no display the printed path is the
    only sign of the picture. report=False leaves the printing to the caller (the demo's own words)."""
    import Plots
    monkeypatch.chdir(tmp_path)
    history = {"loss": [0.5, 0.3], "accuracy": [0.8, 0.9]}
    written = Plots.show_or_save({"history": Plots.plot_history(history)})
    assert written == {"history": Path("mnist_history.png")} and (tmp_path / "mnist_history.png").stat().st_size > 0
    assert capsys.readouterr().out == f"Saved the history figure to {tmp_path / 'mnist_history.png'}\n"
    assert Plots.show_or_save({"history": Plots.plot_history(history)}, tmp_path / "pictures",
                              report=False) == {"history": tmp_path / "pictures" / "mnist_history.png"}
    assert capsys.readouterr().out == "" and plt.get_fignums() == []


def test_more_training_of_a_trained_network_is_not_called_no_progress(small_network, mnist):
    """Its loss falls by less than a tenth in an epoch because it has learnt already, not because it cannot."""
    import copy
    (X, y), _ = mnist
    network = copy.deepcopy(small_network)
    for _ in range(3):
        history, shown = train_and_catch(network, X[:10000], y[:10000], 1, 0.001)
        assert shown == [] and history["warnings"] == []


# ---- the checks' numbers and thresholds, one by one ------------------------------------------------

def test_a_warning_made_without_an_epoch_is_from_before_training():
    assert TrainingWarning("m", "scaled_inputs").epoch == 0
    with pytest.warns(TrainingWarning):
        assert Diagnostics.warn("m", "scaled_inputs").epoch == 0


@pytest.mark.parametrize("input_scale, X, warned", [
    (0.01, np.full((3, 2), 0.5), True),              # 0.01 still shrinks: checked
    (0.011, np.full((3, 2), 0.5), False),            # above 0.01: taken as meant
    (1 / 255, np.full((1, 1), 0.5), True),           # a single value is checked too
    (1 / 255, np.vstack([np.full((1023, 2), 0.5), [[0.5, 1.5]]]), False),   # 1.5 beyond the probed rows: raw
])
def test_scaled_twice_checks_every_value_and_shrinking_scales_up_to_0_01(input_scale, X, warned):
    assert (Diagnostics.scaled_twice(X, input_scale) is not None) is warned


def test_scaled_twice_names_a_scale_other_than_1_over_255_as_it_is():
    message = Diagnostics.scaled_twice(np.full((3, 2), 0.5), 0.005)
    assert "by input_scale = 0.005 first" in message and "(0..0.0025)" in message


def softmax_always_class_0(n_in, classes):
    """A network whose output is the same for every input, class 0 the likeliest."""
    network = NeuralNetwork(input_scale=1, rng=0)
    network.add_layer(Layer_dense(n_in, classes, "Softmax", rng=0, dtype=np.float64))
    network.layers[0].W[...] = 0
    network.layers[0].b[...] = np.arange(classes, 0, -1)
    return network


@pytest.mark.parametrize("share, untrained", [(0.2, False), (0.19, True), (0.25, False)])
def test_a_network_counts_as_untrained_below_twice_chance(share, untrained):
    """10 classes: chance is 10%; a probe accuracy below 20% counts as knowing nothing yet."""
    n = 500                                             # all of them in the probe
    y = np.where(np.arange(n) < round(share * n), 0, 1 + np.arange(n) % 9)
    X = np.zeros((n, 3))
    network = softmax_always_class_0(3, 10)
    Y = np.eye(10)[y]
    watch = Diagnostics.TrainingWatch(network, X, Y, 0.1, Network.categorical_cross_entropy, 10)
    assert np.mean(watch.probe_Y.argmax(axis=1) == 0) == share
    assert watch.untrained is untrained


@pytest.mark.parametrize("n", [600, 1024, 5000])
def test_the_probe_is_spread_over_the_training_data(n):
    X = np.arange(n * 2, dtype=float).reshape(n, 2)
    Y = np.eye(3)[np.arange(n) % 3]
    watch = Diagnostics.TrainingWatch(softmax_always_class_0(2, 3), X, Y, 0.1, Network.categorical_cross_entropy, 10)
    step = max(1, n // Diagnostics.PROBE_SIZE)
    np.testing.assert_array_equal(watch.probe, X[::step][:Diagnostics.PROBE_SIZE])


def test_a_tanh_layer_is_saturated_unit_by_unit_not_sample_by_sample():
    network = NeuralNetwork(input_scale=1, rng=0)
    network.add_layer(Layer_dense(1, 3, "Tanh", rng=0, dtype=np.float64))
    network.add_layer(Layer_dense(3, 2, "Softmax", rng=0, dtype=np.float64))
    network.layers[0].W[...] = [[100.0, -100.0, 0.001]]          # units 1 and 2 saturate for x = +-1, unit 3 never
    network.layers[0].b[...] = 0
    statistics = Diagnostics.unit_statistics(network, np.array([[1.0], [-1.0], [2.0]]))
    assert statistics[0]["saturated"] == pytest.approx(2 / 3)


def test_the_saturated_output_message_gives_the_numbers_of_the_probe(mnist):
    (X, y), _ = mnist
    untrained = build_network([64], "ReLU", "Sigmoid", 0)
    probe, probe_Y = X[:10000][::19][:512], np.eye(10)[y[:10000][::19][:512]]
    initial = Network.binary_cross_entropy(untrained.forward(probe), probe_Y) / 512
    network = build_network([64], "ReLU", "Sigmoid", 0)
    history, _ = train_and_catch(network, X[:10000], y[:10000], 1, 10.0)
    saturated = [w for w in history["warnings"] if w.cause == "saturated_output"][0]
    output = network.forward(probe)
    near = 100 * np.mean(np.minimum(output, 1 - output) < 1e-3)
    loss = Network.binary_cross_entropy(output, probe_Y) / 512
    assert saturated.epoch == 1 and [w.epoch for w in history["warnings"]] == [1, 1]
    assert (f"is saturated after epoch 1: {near:.1f}% of its outputs on 512 training samples lie within 0.001 of 0 "
            f"or 1, and the loss ({loss:.2f} per sample) is {loss / initial:.0f} times what it was at the start "
            f"({initial:.2f})") in str(saturated)
    assert str(saturated).startswith("the output layer (Sigmoid) ")


def test_the_no_progress_message_gives_the_accuracy_of_the_probe(mnist):
    (X, y), _ = mnist
    network = build_network([64], "ReLU", "Sigmoid", 0)
    history, _ = train_and_catch(network, X[:10000], y[:10000], 1, 1e-9)
    warning = history["warnings"][0]
    probe, labels = X[:10000][::19][:512], y[:10000][::19][:512]
    accuracy = 100 * np.mean(network.predict(probe) == labels)
    assert warning.epoch == 1
    assert f"on 512 training samples its accuracy is {accuracy:.1f}% (chance is 10.0% for 10 classes)" in str(warning)


def test_the_range_test_needs_two_steps_and_takes_two():
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 2, "Softmax", rng=0))
    result = network.find_learning_rate(np.full((10, 4), 200.0), np.zeros(10, int), batch_size=5, steps=2)
    assert result["learning_rates"] == [1e-6, 10.0] or len(result["learning_rates"]) <= 2


def dead_second_layer_network():
    """784 -> 16 ReLU -> 16 ReLU (every unit dead: biases far below) -> 10 Sigmoid."""
    network = build_network([16, 16], "ReLU", "Sigmoid", 0)
    network.layers[1].b[...] = -1e3
    return network


@pytest.mark.parametrize("samples, warned", [(100, True), (99, False)])
def test_dead_units_of_any_hidden_layer_are_named_from_a_probe_of_100_samples_on(mnist, samples, warned):
    (X, y), _ = mnist
    history, _ = train_and_catch(dead_second_layer_network(), X[:samples], y[:samples], 1, 1e-6)
    dead = [w for w in history["warnings"] if w.cause == "dead_units"]
    assert bool(dead) is warned
    if warned:
        assert str(dead[0]).startswith(f"16 of the 16 units of layer 2 (ReLU) gave 0 for every one of {samples} ")


def test_the_saturated_output_of_a_deeper_network_is_named_by_its_own_activation(mnist):
    (X, y), _ = mnist
    history, _ = train_and_catch(build_network([32, 32], "Tanh", "Sigmoid", 0), X[:10000], y[:10000], 1, 10.0)
    saturated = [w for w in history["warnings"] if w.cause == "saturated_output"]
    assert len(saturated) == 1 and str(saturated[0]).startswith("the output layer (Sigmoid) is saturated")
    assert str(history["warnings"][0]).endswith("(network.find_learning_rate(data, labels) suggests one).")


@pytest.mark.parametrize("dead, warned", [(8, False), (9, True)])    # "most": more than half of the 16
def test_dead_units_are_named_once_more_than_half_of_a_layer_is_dead(mnist, dead, warned):
    (X, y), _ = mnist
    network = build_network([16, 16], "ReLU", "Sigmoid", 0)
    network.layers[1].b[0, :dead] = -1e3
    history, _ = train_and_catch(network, X[:1000], y[:1000], 1, 1e-6)
    assert ("dead_units" in [w.cause for w in history["warnings"]]) is warned


@pytest.mark.parametrize("samples, warned", [(3200, True), (3168, False)])      # 100 steps of 32, or 99
def test_no_progress_is_said_from_100_training_steps_on(mnist, samples, warned):
    (X, y), _ = mnist
    history, _ = train_and_catch(build_network([64], "ReLU", "Sigmoid", 0), X[:samples], y[:samples], 1, 1e-9)
    assert ([w.cause for w in history["warnings"]] == ["no_progress"]) is warned


@pytest.mark.parametrize("units, cause", [
    (7, "Likely cause: the layer has only 7 units: in so narrow a layer a unit or two die at almost any learning "
        "rate, and each one lost is a large share of the layer. Try a wider layer (16 units or more)."),
    (8, "Likely cause: the learning rate 1 is too high; large steps pushed their weights and biases so far down "
        "that no input turns them on. Try a lower learning_rate (network.find_learning_rate(data, labels) suggests "
        "one)."),
])
def test_dead_units_of_a_narrow_layer_blame_its_width_not_the_learning_rate(mnist, units, cause):
    (X, y), _ = mnist
    history, _ = train_and_catch(build_network([units], "ReLU", "Sigmoid", 0), X[:2000], y[:2000], 1, 1.0)
    assert [w.cause for w in history["warnings"]][:1] == ["dead_units"]
    assert str(history["warnings"][0]).endswith(cause)


def test_the_playgrounds_three_relu_units_that_die_are_told_to_widen():
    import Playground
    X, y = Playground.spirals(seed=0)
    network = Playground.playground_network([3], "ReLU", classes=3, seed=0)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        history = network.train(X, y, 300, 30, 0.01, verbose=False)
    assert [w.cause for w in history["warnings"]] == ["dead_units"]
    assert str(history["warnings"][0]).startswith("2 of the 3 units of layer 1 (ReLU) gave 0 for every one of 300 ")
    assert "Likely cause: the layer has only 3 units" in str(history["warnings"][0])
