import os
import warnings

import numpy as np
import pytest

from helpers import numerical_gradient, relative_error
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Utils import batch, one_hot_encode


def small_network(output_activation, rng, hidden="Tanh", sizes=(5, 4, 3), input_scale=1.0):
    network = NeuralNetwork(input_scale=input_scale, rng=rng)
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
        network.add_layer(Layer_dense(n_in, n_out, hidden, rng=rng, dtype=np.float64))
    network.add_layer(Layer_dense(sizes[-2], sizes[-1], output_activation, rng=rng, dtype=np.float64))
    return network


def blobs(rng, n=300, classes=3, features=5):
    """Well separated Gaussian clusters: an easy problem any working network learns."""
    y = rng.integers(0, classes, n)
    centres = rng.standard_normal((classes, features)) * 3
    return centres[y] + rng.standard_normal((n, features)), y


@pytest.mark.parametrize("output_activation", ["Softmax", "Sigmoid"])
@pytest.mark.parametrize("hidden", ["Tanh", "Sigmoid"])
def test_network_gradient_matches_finite_differences_of_the_reported_loss(output_activation, hidden, rng):
    network = small_network(output_activation, rng, hidden=hidden, sizes=(5, 4, 4, 3))
    X = rng.standard_normal((6, 5))
    Y = one_hot_encode(rng.integers(0, 3, 6), 3)

    def loss():
        return network.loss(network.forward(X), Y)

    output = network.forward(X)
    network.backward(output - Y)        # the notes' output error
    for layer in network.layers:
        assert relative_error(layer.dW, numerical_gradient(loss, layer.W)) < 1e-6
        assert relative_error(layer.db, numerical_gradient(loss, layer.b)) < 1e-6


def test_reported_losses_match_their_formulas(rng):
    A = rng.uniform(0.05, 0.95, (4, 3))
    Y = one_hot_encode([0, 2, 1, 1], 3)
    softmax_net, sigmoid_net = small_network("Softmax", rng), small_network("Sigmoid", rng)
    assert softmax_net.loss(A, Y) == pytest.approx(-np.sum(Y * np.log(A)), rel=1e-12)
    assert sigmoid_net.loss(A, Y) == pytest.approx(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)), rel=1e-12)


def test_a_saturated_output_gives_a_finite_loss():
    network = small_network("Softmax", np.random.default_rng(0))
    assert np.isfinite(network.loss(np.array([[0.0, 1.0, 0.0]]), np.array([[1.0, 0.0, 0.0]])))


def test_notes_batch_walkthrough():
    data = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    labels = np.array(list("abcdefghij"))
    batches = list(batch(data, labels, 3))
    assert [b.tolist() for b, _ in batches] == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]
    assert ["".join(l) for _, l in batches] == ["abc", "def", "ghi", "j"]


def test_batch_rejects_bad_sizes_and_lengths():
    with pytest.raises(ValueError, match="batch_size must be positive, got 0"):
        list(batch(np.arange(4), np.arange(4), 0))
    with pytest.raises(ValueError, match="data and labels differ in length: 4 samples but 3 labels"):
        list(batch(np.arange(4), np.arange(3), 2))


def test_notes_one_hot_example():
    encoded = one_hot_encode(np.array([0, 2, 1, 0, 2]), 3)
    np.testing.assert_array_equal(encoded, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert encoded.dtype == np.float64 and encoded.shape == (5, 3)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\); found 3"):
        one_hot_encode([0, 3], 3)
    np.testing.assert_array_equal(one_hot_encode([0.0, 2.0], 3), one_hot_encode([0, 2], 3))   # from a CSV
    with pytest.raises(TypeError, match=r"labels must be whole numbers \(class indices\), found 1.5"):
        one_hot_encode([0.0, 1.5], 3)
    with pytest.raises(TypeError, match="labels must be integers, got dtype <U1"):
        one_hot_encode(["0", "1"], 3)


def test_notes_accuracy_example_with_indices_one_hot_and_probabilities():
    predicted, true = np.array([1, 2, 1, 0, 2]), np.array([1, 1, 1, 0, 2])
    accuracy = NeuralNetwork.calculate_accuracy
    assert accuracy(predicted, true) == 0.8
    assert accuracy(one_hot_encode(predicted, 3), one_hot_encode(true, 3)) == 0.8
    probabilities = one_hot_encode(predicted, 3) * 0.6 + 0.1
    assert NeuralNetwork().calculate_accuracy(probabilities, true) == 0.8
    with pytest.raises(ValueError, match=r"predictions and labels do not match: shapes \(5,\) and \(4,\)"):
        accuracy(predicted, true[:4])


def test_accuracy_of_the_images_themselves_says_to_give_the_networks_answers(mnist):
    """calculate_accuracy(test_X, test_y), a slip for calculate_accuracy(network.predict(test_X), test_y),
    would take each image's brightest pixel for its answer and say about 0."""
    _, (test_X, test_y) = mnist
    advice = (r"so it is not the network's outputs \(a column per class\): it looks like the images themselves. "
              r"Give the network's answers: calculate_accuracy\(network.predict\(test_X\), test_y\), or "
              r"network.evaluate\(test_X, test_y\) for the percentage.$")
    for images in (test_X[:50], test_X[:50] / 255.0):
        with pytest.raises(ValueError, match=r"^predictions of shape \(50, 784\) has 784 columns, the pixels of an "
                                             r"MNIST image, " + advice):
            NeuralNetwork.calculate_accuracy(images, test_y[:50])
    with pytest.raises(ValueError, match=r"^predictions of shape \(50, 64\) has whole numbers up to 255, " + advice):
        NeuralNetwork.calculate_accuracy(test_X[:50, 392:456], test_y[:50])     # 64 pixels from the middle
    with pytest.raises(ValueError, match=r"^predictions of shape \(50, 10\) has whole numbers up to 2, "):
        NeuralNetwork.calculate_accuracy(2 * np.eye(10, dtype=int)[test_y[:50]], test_y[:50])
    outputs = np.tanh(np.eye(10)[test_y[:50]] * 3 - 1)          # a Tanh output layer's -1..1: still outputs
    assert NeuralNetwork.calculate_accuracy(outputs, test_y[:50]) == 1.0
    assert NeuralNetwork.calculate_accuracy(3.0 * np.eye(10)[test_y[:50]], test_y[:50]) == 1.0   # ReLU's, above 1
    assert NeuralNetwork.calculate_accuracy(np.eye(10, dtype=int)[test_y[:50]], test_y[:50]) == 1.0    # one-hot


def test_training_learns_an_easy_problem_and_halves_the_loss(rng):
    X, y = blobs(rng)
    network = small_network("Softmax", rng, hidden="ReLU", sizes=(5, 16, 3))
    history = network.train(X, y, epochs=20, batch_size=10, learning_rate=0.01, verbose=False)
    assert history["loss"][-1] < history["loss"][0] / 2
    assert history["accuracy"][-1] > 0.95
    assert network.evaluate(X, y) > 95.0
    assert len(history["loss"]) == len(history["accuracy"]) == 20


def test_training_never_changes_the_callers_arrays(rng):
    X = rng.integers(0, 256, (64, 5)).astype(np.uint8)
    y = rng.integers(0, 3, 64)
    X_copy, y_copy = X.copy(), y.copy()
    network = small_network("Sigmoid", rng, input_scale=1 / 255)
    network.train(X, y, 2, 8, 0.01, verbose=False)
    network.predict(X)
    network.evaluate(X, y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert X.dtype == np.uint8


def test_input_scaling_is_the_same_in_train_predict_and_evaluate(rng):
    X, y = blobs(rng)
    scaled = small_network("Softmax", np.random.default_rng(5), input_scale=1 / 255)
    prescaled = small_network("Softmax", np.random.default_rng(5), input_scale=1.0)
    h1 = scaled.train(X * 255, y, 3, 10, 0.05, verbose=False)
    h2 = prescaled.train(X, y, 3, 10, 0.05, verbose=False)
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-9)
    np.testing.assert_array_equal(scaled.predict(X * 255), prescaled.predict(X))
    assert scaled.evaluate(X * 255, y) == prescaled.evaluate(X, y)


def test_same_seed_gives_identical_weights_and_history(rng):
    X, y = blobs(rng)
    runs = []
    for _ in range(2):
        network = small_network("Softmax", np.random.default_rng(42), hidden="ReLU", sizes=(5, 8, 3))
        runs.append((network.train(X, y, 3, 16, 0.01, verbose=False), network))
    (h1, n1), (h2, n2) = runs
    assert h1 == h2
    for l1, l2 in zip(n1.layers, n2.layers):
        np.testing.assert_array_equal(l1.W, l2.W)
        np.testing.assert_array_equal(l1.b, l2.b)


def test_shuffling_changes_the_result_but_not_the_data(rng):
    X, y = blobs(rng)
    X_copy = X.copy()
    results = {}
    for shuffle in (True, False):
        network = small_network("Softmax", np.random.default_rng(3), sizes=(5, 8, 3))
        network.train(X, y, 2, 16, 0.01, shuffle=shuffle, verbose=False)
        results[shuffle] = network.layers[0].W
    assert not np.array_equal(results[True], results[False])
    np.testing.assert_array_equal(X, X_copy)


def test_train_shows_progress_and_epoch_summaries_unless_silenced(rng, capsys):
    X, y = blobs(rng, n=40)
    network = small_network("Softmax", rng)
    network.train(X, y, 2, 8, 0.01)
    out = capsys.readouterr()
    assert "Epoch 1/2 completed: Avg. Loss:" in out.out and "Epoch 2/2 completed" in out.out
    assert "Epoch 1/2" in out.err            # the tqdm bar
    network.train(X, y, 2, 8, 0.01, verbose=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_no_overflow_warnings_on_huge_inputs(rng):
    for output in ("Softmax", "Sigmoid"):
        network = small_network(output, rng, input_scale=1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            A = network.forward(rng.choice([-1000.0, 1000.0], (4, 5)) * 100)
        assert np.all(np.isfinite(A))


def test_divergence_stops_with_advice_and_keeps_the_weights_from_before_the_failing_batch(rng):
    X, y = blobs(rng)
    network = small_network("Softmax", rng, hidden="ReLU", sizes=(5, 8, 3))
    network.layers[0].W[0, 0] = np.nan           # the very first batch's loss is NaN
    before = [(l.W.copy(), l.b.copy()) for l in network.layers]
    with pytest.raises(FloatingPointError, match=r"the network's output became NaN in epoch 1, batch 1: training "
                                                 r"diverged\. "
                                                 r"Try a lower learning_rate than 0\.01"):
        network.train(X, y, 1, 10, 0.01, verbose=False)
    for layer, (W, b) in zip(network.layers, before):
        np.testing.assert_array_equal(layer.W, W)
        np.testing.assert_array_equal(layer.b, b)


def test_a_huge_learning_rate_is_reported_as_divergence(rng):
    X, y = blobs(rng)
    network = small_network("Softmax", rng, hidden="ReLU", sizes=(5, 32, 3))
    with pytest.raises(FloatingPointError, match="Try a lower learning_rate than 1e\\+30"):
        with np.errstate(all="ignore"):
            network.train(X * 1e6, y, 5, 10, 1e30, verbose=False)


def test_add_layer_rejects_mismatched_sizes_dtypes_and_non_layers():
    network = NeuralNetwork()
    network.add_layer(Layer_dense(784, 64))
    with pytest.raises(ValueError, match="layer 2 expects 32 inputs but layer 1 has 64 outputs"):
        network.add_layer(Layer_dense(32, 10))
    with pytest.raises(TypeError, match="layer 2 is float64 but layer 1 is float32: a network computes in one dtype"):
        network.add_layer(Layer_dense(64, 10, dtype=np.float64))
    with pytest.raises(TypeError, match="add_layer expects a Layer_dense, got str"):
        network.add_layer("ReLU")


@pytest.fixture
def net():
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 3, "ReLU"))
    network.add_layer(Layer_dense(3, 2, "Softmax"))
    return network


@pytest.mark.parametrize("call", ["train", "predict", "evaluate", "forward"])
def test_an_empty_network_says_so(call):
    args = {"train": (np.zeros((2, 4)), [0, 1], 1, 1, 0.1), "predict": (np.zeros((2, 4)),),
            "evaluate": (np.zeros((2, 4)), [0, 1]), "forward": (np.zeros((2, 4)),)}[call]
    with pytest.raises(ValueError, match=r"the network has no layers; add some with add_layer"):
        getattr(NeuralNetwork(), call)(*args)


@pytest.mark.parametrize("data, labels, error, message", [
    (np.zeros((3, 5)), [0, 1, 0], ValueError, "data has 5 features per sample but the first layer expects 4"),
    (np.zeros(4), [0], ValueError, r"data must be 2-D \(n_samples, n_features\), got shape \(4,\)"
                                   r": one sample is one row, use x.reshape\(1, 4\)$"),
    (np.zeros((2, 2, 4)), [0, 1], ValueError, r"data must be 2-D \(n_samples, n_features\), got shape \(2, 2, 4\)"),
    (np.zeros((3, 4)), [0, 1], ValueError, "data and labels differ in length: 3 samples but 2 labels"),
    (np.zeros((2, 4)), [0.0, 0.5], TypeError, r"labels must be whole numbers \(class indices\), found 0.5"),
    (np.zeros((2, 4)), [0.0, np.nan], TypeError, r"labels must be whole numbers \(class indices\), found nan"),
    (np.zeros((2, 4)), [0.0, 2.0], ValueError, r"labels must lie in \[0, 2\) for a network with 2 outputs; found 2"),
    (np.zeros((2, 4)), [0, 2], ValueError, r"labels must lie in \[0, 2\) for a network with 2 outputs; found 2"),
    (np.zeros((2, 4)), [-1, 0], ValueError, r"labels must lie in \[0, 2\) for a network with 2 outputs; found -1"),
    (np.zeros((2, 4)), [[0], [1]], ValueError, r"labels must be 1-D class indices, got shape \(2, 1\) \(a column\)\. "
                                               r"Try: labels\.ravel\(\), which gives shape \(2,\)$"),
    (np.zeros((2, 4)), [[1, 0], [0, 1]], ValueError, r"labels must be 1-D class indices, got shape \(2, 2\): these look "
                                                     r"one-hot encoded already\. train one-hot encodes the labels itself; "
                                                     r"try: labels\.argmax\(axis=1\), the class indices$"),
    (np.zeros((2, 4)), [[0, 1, 1], [1, 0, 0]], ValueError, r"labels must be 1-D class indices, got shape \(2, 3\)$"),
    (np.array([[0, 1, np.nan, 3], [0, 0, 0, 0]]), [0, 1], ValueError, "data contains NaN or infinite values"),
    (np.array([[0, 1, np.inf, 3], [0, 0, 0, 0]]), [0, 1], ValueError, "data contains NaN or infinite values"),
    (np.array([["a"] * 4] * 2), [0, 1], TypeError, "data must be numbers"),
])
def test_bad_data_gets_a_clear_error_in_train_and_evaluate(net, data, labels, error, message):
    with pytest.raises(error, match=message):
        net.train(data, labels, 1, 1, 0.1, verbose=False)
    with pytest.raises(error, match=message):
        net.evaluate(data, labels)


@pytest.mark.parametrize("epochs, batch_size, learning_rate, error, message", [
    (0, 1, 0.1, ValueError, "epochs must be positive, got 0"),
    (1.5, 1, 0.1, TypeError, "epochs must be an integer, got 1.5"),
    (1, -2, 0.1, ValueError, "batch_size must be positive, got -2"),
    (1, 1, 0.0, ValueError, "learning_rate must be a positive number, got 0.0"),
    (1, 1, -0.1, ValueError, "learning_rate must be a positive number, got -0.1"),
    (1, 1, float("nan"), ValueError, "learning_rate must be a finite number, got nan"),
])
def test_bad_training_settings_get_a_clear_error(net, epochs, batch_size, learning_rate, error, message):
    with pytest.raises(error, match=message):
        net.train(np.zeros((2, 4)), [0, 1], epochs, batch_size, learning_rate, verbose=False)


def test_training_needs_an_output_activation_paired_with_a_loss():
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 2, "ReLU"))
    with pytest.raises(ValueError, match="train needs a Sigmoid or Softmax output layer .* the last layer is ReLU"):
        network.train(np.zeros((2, 4)), [0, 1], 1, 1, 0.1, verbose=False)


def test_predict_returns_class_indices_and_handles_more_rows_than_one_chunk(rng):
    network = small_network("Softmax", rng)
    X = rng.standard_normal((20000, 5))
    predictions = network.predict(X)
    assert predictions.shape == (20000,)
    np.testing.assert_array_equal(predictions, np.argmax(network.forward(X), axis=1))


def test_one_training_step_applies_the_gradient_summed_over_the_batch(rng):
    X, y = blobs(rng, n=8)
    network = small_network("Sigmoid", np.random.default_rng(9))
    reference = small_network("Sigmoid", np.random.default_rng(9))
    network.train(X, y, epochs=1, batch_size=8, learning_rate=0.1, shuffle=False, verbose=False)
    Y = one_hot_encode(y, 3)
    output = reference.forward(X)
    reference.backward(output - Y)          # sum over the 8 samples, no division by 8
    reference.update_parameters(0.1)
    for layer, expected in zip(network.layers, reference.layers):
        np.testing.assert_allclose(layer.W, expected.W, rtol=1e-12)
        np.testing.assert_allclose(layer.b, expected.b, rtol=1e-12)


def test_batch_with_an_order_gathers_those_rows_and_leaves_the_arrays_alone():
    data, labels = np.arange(10) * 10, np.arange(10)
    order = np.array([3, 1, 4, 0, 9, 2, 6, 5, 8, 7])
    batches = list(batch(data, labels, 4, order))
    assert [b.tolist() for b, _ in batches] == [[30, 10, 40, 0], [90, 20, 60, 50], [80, 70]]
    assert [l.tolist() for _, l in batches] == [[3, 1, 4, 0], [9, 2, 6, 5], [8, 7]]
    np.testing.assert_array_equal(data, np.arange(10) * 10)


def test_history_loss_and_accuracy_match_a_batch_by_batch_recomputation(rng):
    """The bulk bookkeeping in train gives the same numbers as computing them batch by batch."""
    X, y = blobs(rng, n=250)
    network = small_network("Softmax", np.random.default_rng(4), sizes=(5, 8, 3))
    reference = small_network("Softmax", np.random.default_rng(4), sizes=(5, 8, 3))
    history = network.train(X, y, 1, 16, 0.01, shuffle=False, verbose=False)
    loss, correct = 0.0, 0
    for batch_x, batch_y in batch(X, y, 16):
        output = reference.forward(batch_x)
        loss += reference.loss(output, one_hot_encode(batch_y, 3))
        correct += np.sum(output.argmax(axis=1) == batch_y)
        reference.backward(output - one_hot_encode(batch_y, 3))
        reference.update_parameters(0.01)
    assert history["loss"][0] == pytest.approx(loss / 250, rel=1e-12)
    assert history["accuracy"][0] == correct / 250


def test_one_hot_encode_gives_the_dtype_asked_for():
    assert one_hot_encode([0, 2], 3).dtype == np.float64
    Y = one_hot_encode([0, 2], 3, dtype=np.float32)
    assert Y.dtype == np.float32
    np.testing.assert_array_equal(Y, [[1, 0, 0], [0, 0, 1]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_labels_must_be_whole_numbers_in_any_float_dtype(dtype):
    np.testing.assert_array_equal(one_hot_encode(np.array([1.0, 0.0], dtype=dtype), 2), [[0, 1], [1, 0]])
    with pytest.raises(TypeError, match=r"^labels must be whole numbers \(class indices\), found 2.5$"):
        one_hot_encode(np.array([1.0, 2.5], dtype=dtype), 3)


def test_a_network_prints_as_its_layers_in_one_line():
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(784, 64, "ReLU", rng=0))
    network.add_layer(Layer_dense(64, 10, "Sigmoid", rng=1))
    assert str(network) == "784x64 ReLU -> 64x10 Sigmoid"
    assert repr(network).startswith("NeuralNetwork([Layer_dense(784, 64, 'ReLU'")


def test_layers_of_two_dtypes_are_refused_with_the_dtype_to_give_every_layer():
    network = NeuralNetwork()
    network.add_layer(Layer_dense(4, 3, "ReLU", dtype=np.float64))
    with pytest.raises(TypeError) as error:
        network.add_layer(Layer_dense(3, 2, "Softmax"))
    assert str(error.value) == ("layer 2 is float32 but layer 1 is float64: a network computes in one dtype. Likely "
                                "cause: dtype= was given to some layers only (the default is float32). Try: the same "
                                "dtype for every layer, e.g. Layer_dense(..., dtype=np.float64) for each")
    assert len(network.layers) == 1


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_saved_model_gets_the_mode_of_any_other_file_under_the_users_umask(net, tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        net.save(tmp_path / "model.npz")
        (tmp_path / "other").write_text("x")
    finally:
        os.umask(previous)
    assert (tmp_path / "model.npz").stat().st_mode & 0o777 == mode == (tmp_path / "other").stat().st_mode & 0o777
