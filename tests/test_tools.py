"""Save and load, validation during training, per-class accuracy and the pictures."""
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import Plots
from Layer_dense import Layer_dense
from Options import build_network
from Network import NeuralNetwork
from Utils import one_hot_encode


def trained_network(rng, dtype=np.float32, input_scale=1 / 255):
    network = NeuralNetwork(input_scale=input_scale, rng=rng)
    network.add_layer(Layer_dense(6, 5, "Tanh", rng=rng, dtype=dtype))
    network.add_layer(Layer_dense(5, 4, "LeakyReLU", rng=rng, dtype=dtype, dropout=0.25))
    network.add_layer(Layer_dense(4, 3, "Softmax", rng=rng, dtype=dtype))
    X = rng.integers(0, 256, (60, 6))
    network.train(X, rng.integers(0, 3, 60), 2, 8, 0.01, verbose=False)
    return network, X


@pytest.mark.parametrize("dtype, input_scale", [(np.float32, 1 / 255), (np.float64, 0.5)])
def test_a_loaded_network_predicts_bit_identically(tmp_path, rng, dtype, input_scale):
    network, X = trained_network(rng, dtype, input_scale)
    network.save(tmp_path / "model.npz")
    loaded = NeuralNetwork.load(tmp_path / "model.npz")
    assert [(l.n_in, l.n_out, l.activation) for l in loaded.layers] == [(6, 5, "Tanh"), (5, 4, "LeakyReLU"),
                                                                        (4, 3, "Softmax")]
    assert loaded.input_scale == input_scale
    assert [layer.dropout for layer in loaded.layers] == [0.0, 0.25, 0.0]
    assert all(layer.W.dtype == dtype for layer in loaded.layers)
    np.testing.assert_array_equal(loaded.predict_proba(X), network.predict_proba(X))
    assert os.listdir(tmp_path) == ["model.npz"]


def test_model_files_hold_no_pickled_objects(tmp_path, rng):
    network, _ = trained_network(rng)
    network.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz", allow_pickle=False) as contents:
        assert all(contents[key].dtype != object for key in contents.files)


def save_arrays(path, **arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def valid_arrays():
    return {"format_version": np.array(1), "activations": np.array(["ReLU", "Softmax"]),
            "input_scale": np.array(1.0), "W0": np.zeros((4, 3)), "b0": np.zeros((1, 3)),
            "W1": np.zeros((3, 2)), "b1": np.zeros((1, 2))}


def test_loading_bad_files_names_the_file_and_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"no model file at {tmp_path / 'missing.npz'}"):
        NeuralNetwork.load(tmp_path / "missing.npz")
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ValueError, match=r"notes.txt is not a model file written by NeuralNetwork.save "
                                         r"\(not an .npz archive\)"):
        NeuralNetwork.load(tmp_path / "notes.txt")
    other = save_arrays(tmp_path / "other.npz", x=np.arange(3))
    with pytest.raises(ValueError, match="other.npz is not a model file written by NeuralNetwork.save"):
        NeuralNetwork.load(other)
    future = save_arrays(tmp_path / "future.npz", **{**valid_arrays(), "format_version": np.array(99)})
    with pytest.raises(ValueError, match="future.npz has model format version 99; this code reads version 1"):
        NeuralNetwork.load(future)
    pickled = save_arrays(tmp_path / "pickled.npz", **{**valid_arrays(), "W0": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(ValueError, match="pickled.npz is not a model file .*pickle"):
        NeuralNetwork.load(pickled)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(save_arrays(tmp_path / "good.npz", **valid_arrays()).read_bytes()[:300])
    with pytest.raises(ValueError, match="truncated.npz is not a model file"):
        NeuralNetwork.load(truncated)


@pytest.mark.parametrize("change, message", [
    ({"W1": np.zeros((5, 2))}, "layer 2: layer 2 expects 5 inputs but layer 1 has 3 outputs"),
    ({"b0": np.zeros((1, 7))}, "the weights of layer 1 are missing or do not fit together"),
    ({"activations": np.array(["ReLU", "ReLU", "Softmax"])}, "the weights of layer 3 are missing"),
    ({"activations": np.array(["ReLU", "Swish"])}, "layer 2: unknown activation 'Swish'"),
    ({"dropouts": np.array([0.5])}, "1 dropout rates for 2 layers"),
    ({"dropouts": np.array([0.0, 1.5])}, r"layer 2: dropout must lie in \[0, 1\), got 1.5"),
])
def test_model_files_whose_arrays_do_not_fit_are_rejected(tmp_path, change, message):
    path = save_arrays(tmp_path / "model.npz", **{**valid_arrays(), **change})
    with pytest.raises(ValueError, match=message) as error:
        NeuralNetwork.load(path)
    assert str(path) in str(error.value)


def test_an_interrupted_save_keeps_the_previous_model(tmp_path, rng, monkeypatch):
    network, X = trained_network(rng)
    path = tmp_path / "model.npz"
    network.save(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(np, "savez", fail)
    with pytest.raises(KeyboardInterrupt):
        network.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def test_save_writes_a_temporary_file_beside_the_model_and_removes_it_when_interrupted(tmp_path, rng, monkeypatch):
    network, _ = trained_network(rng)
    path = tmp_path / "model.npz"
    network.save(path)
    before = path.read_bytes()
    renamed = []

    def interrupted_rename(source, destination):
        renamed.append((Path(source), Path(destination)))
        assert Path(source).read_bytes()[:4] == b"PK\x03\x04"          # the whole archive is there
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted_rename)
    with pytest.raises(KeyboardInterrupt):
        network.save(path)
    (source, destination), = renamed
    assert destination == path and source.parent == tmp_path          # the same folder: an atomic rename
    assert source.name.startswith("model.npz") and source.name.endswith(".tmp")
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.npz"]


def test_an_empty_network_cannot_be_saved(tmp_path):
    with pytest.raises(ValueError, match="^the network has no layers; there is nothing to save$"):
        NeuralNetwork().save(tmp_path / "empty.npz")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("drop, message", [
    ("format_version", " is not a model file written by NeuralNetwork.save$"),
    ("activations", " is not a model file written by NeuralNetwork.save$"),
    ("b1", ": the weights of layer 2 are missing or do not fit together$"),
    ("W0", ": the weights of layer 1 are missing or do not fit together$"),
])
def test_model_files_missing_an_array_are_rejected(tmp_path, drop, message):
    arrays = valid_arrays()
    del arrays[drop]
    path = save_arrays(tmp_path / "model.npz", **arrays)
    with pytest.raises(ValueError, match=f"^{path}{message}"):
        NeuralNetwork.load(path)


def test_model_files_with_integer_weights_are_rejected(tmp_path):
    arrays = {**valid_arrays(), "W0": np.zeros((4, 3), dtype=np.int64), "b0": np.zeros((1, 3), dtype=np.int64)}
    path = save_arrays(tmp_path / "model.npz", **arrays)
    with pytest.raises(ValueError, match=f"^{path}: layer 1: dtype must be float32 or float64, got int64$"):
        NeuralNetwork.load(path)


def test_validation_loss_and_accuracy_are_reported_per_epoch(rng, capsys):
    network, X = trained_network(rng)
    y = rng.integers(0, 3, 60)
    X_val, y_val = rng.integers(0, 256, (30, 6)), rng.integers(0, 3, 30)
    history = network.train(X, y, 3, 8, 0.01, validation_data=(X_val, y_val))
    assert len(history["val_loss"]) == len(history["val_accuracy"]) == 3
    output = network.predict_proba(X_val)
    assert history["val_loss"][-1] == pytest.approx(network.loss(output, one_hot_encode(y_val, 3)) / 30, rel=1e-6)
    assert history["val_accuracy"][-1] == np.mean(output.argmax(axis=1) == y_val)
    assert "Epoch 3/3 completed: Avg. Loss:" in capsys.readouterr().out
    with pytest.raises(TypeError, match=r"validation_data must be a pair \(X_val, y_val\)"):
        network.train(X, y, 1, 8, 0.01, validation_data=X_val)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        network.train(X, y, 1, 8, 0.01, validation_data=(X_val, y_val + 3))


def test_evaluate_per_class_counts_each_class_on_its_own(rng):
    network, X = trained_network(rng)
    y = rng.integers(0, 2, 60)          # class 2 never occurs
    accuracy, per_class = network.evaluate(X, y, per_class=True)
    predictions = network.predict(X)
    assert accuracy == 100 * np.mean(predictions == y)
    for c in (0, 1):
        assert per_class[c] == pytest.approx(100 * np.mean(predictions[y == c] == c))
    assert np.isnan(per_class[2])


def test_confusion_matrix_counts_match_the_predictions(mnist):
    (train_X, train_y), (test_X, test_y) = mnist
    network = build_network([32], "ReLU", "Softmax", seed=0)
    network.train(train_X[:5000], train_y[:5000], 1, 32, 0.001, verbose=False)
    predictions = network.predict(test_X)
    matrix = Plots.confusion_matrix(test_y, predictions, 10)
    assert matrix.sum() == len(test_y) == 10000
    assert np.trace(matrix) == np.sum(predictions == test_y)
    for i in range(10):
        for j in range(10):
            assert matrix[i, j] == np.sum((test_y == i) & (predictions == j))
    with pytest.raises(ValueError, match=r"predictions must lie in \[0, 10\)"):
        Plots.confusion_matrix(test_y[:2], np.array([0, 10]), 10)


def test_the_misclassified_picture_shows_exactly_the_first_mistakes_in_red():
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 7])
    said = np.array([0, 7, 2, 3, 9, 5, 1, 7])                # wrong at 1, 4 and 6
    probabilities = np.full((8, 10), 0.01)
    probabilities[np.arange(8), said] = [0.9, 0.6, 0.9, 0.9, 0.75, 0.9, 0.55, 0.9]
    images = np.arange(8 * 784).reshape(8, 784) % 255
    fig = Plots.plot_misclassified(images, labels, probabilities, count=2, cols=5)
    shown = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["true 1, said 7\n(60% sure)", "true 4, said 9\n(75% sure)"]
    assert all(ax.title.get_color() == "red" for ax in shown)
    np.testing.assert_array_equal(shown[1].images[0].get_array(), images[4].reshape(28, 28))
    assert fig._suptitle.get_text() == "Misclassified: 3 of 8 (the first 2 shown)"
    plt.close(fig)


@pytest.mark.heavy
def test_demo_plots_all_into_the_figure_dir_and_the_grid_where_save_figure_says(demo, tmp_path, capsys):
    from Options import PLOTS
    grid = tmp_path / "elsewhere" / "grid.png"
    demo(["--train-size", "600", "--validation-size", "100", "--epochs", "2", "--quiet", "--plots", "all",
          "--figure-dir", str(tmp_path / "figures"), "--save-figure", str(grid)])
    out = capsys.readouterr().out
    expected = {name: tmp_path / "figures" / f"mnist_{name}.png" for name in PLOTS
                if name not in ("predictions", "augmented")}            # trained without augmentation
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == sorted(p.name for p in expected.values())
    for name, path in {**expected, "predictions": grid}.items():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
        assert f"Saved {PLOTS[name]} to {path.resolve()}" in out


def test_demo_saves_a_model_that_loads_to_the_same_accuracy(demo, tmp_path, capsys):
    model = tmp_path / "model.npz"
    common = ["--no-plot", "--quiet"]
    trained = demo(common + ["--epochs", "1", "--hidden", "32", "--train-size", "12000", "--validation-size", "2000",
                             "--save-model", str(model)])
    out = capsys.readouterr().out
    assert "Trained 1 epoch on 10000 images" in out and f"Saved the network to {model}" in out
    assert "Per digit:    0:" in out
    loaded = demo(common + ["--load-model", str(model)])
    assert loaded == trained
    assert f"Loaded the network from {model}" in capsys.readouterr().out


def test_demo_rejects_a_saved_network_that_does_not_fit_mnist(demo, tmp_path, rng):
    network, _ = trained_network(rng)          # 6 inputs, not 784
    network.save(tmp_path / "small.npz")
    with pytest.raises(SystemExit, match="error: data has 784 features per sample but the first layer expects 6"):
        demo(["--load-model", str(tmp_path / "small.npz"), "--no-plot"])


def test_relative_error_is_the_largest_difference_over_the_larger_of_the_two():
    """One definition, for gradient_check, the exercises' checker and the tests."""
    from Utils import relative_error
    assert relative_error(4.0, 5.0) == pytest.approx(0.2)
    assert relative_error(5.0, 4.0) == pytest.approx(0.2)                     # symmetric
    assert relative_error(np.array([100.0, 1e-6]), np.array([100.0, 2e-6])) == pytest.approx(1e-8)   # not 0.5
    assert relative_error(0.0, 1e-12) == pytest.approx(1e-4)                  # below 1e-8 counts as 0 ...
    assert relative_error(0.0, 1e-12, floor=1e-12) == 1.0                     # ... unless the floor is lower
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_layer_outputs_are_what_forward_computes_layer_by_layer(rng):
    network, X = trained_network(rng, np.float64)
    outputs = network.layer_outputs(X)
    assert [A.shape for A in outputs] == [(60, 5), (60, 4), (60, 3)]
    np.testing.assert_array_equal(outputs[-1], network.forward(X))
    A = X / 255
    for layer, output in zip(network.layers, outputs):
        A = layer.g(A @ layer.W + layer.b)
        np.testing.assert_allclose(output, A, rtol=1e-12)
