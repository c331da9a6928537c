"""The mistakes a new user makes get an error that names the argument and what it got."""
import numpy as np
import pytest

from Layer_dense import Layer_dense
from Network import NeuralNetwork


@pytest.fixture
def net():
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(4, 3, "ReLU", rng=0))
    network.add_layer(Layer_dense(3, 2, "Sigmoid", rng=1))
    return network


X = np.zeros((6, 4))
y = np.array([0, 1, 0, 1, 0, 1])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(learning_rate="0.1"), TypeError, "learning_rate must be a number, got '0.1'"),
    (dict(learning_rate=None), TypeError, "learning_rate must be a number, got None"),
    (dict(learning_rate=[0.1]), TypeError, "learning_rate must be a number, got [0.1]"),
    (dict(optimizer=0.9), TypeError,
     "optimizer must be a name or an object with an update(layer, learning_rate) method, got 0.9"),
    (dict(weight_decay="1e-4"), TypeError, "weight_decay must be a number, got '1e-4'"),
    (dict(epochs="10"), TypeError, "epochs must be an integer, got '10'"),
    (dict(batch_size=32.0), TypeError, "batch_size must be an integer, got 32.0"),
    (dict(early_stopping="3", validation_data=(X, y)), TypeError, "early_stopping must be an integer, got '3'"),
])
def test_train_names_the_argument_that_is_not_a_number(net, kwargs, error, message):
    arguments = dict(epochs=1, batch_size=2, learning_rate=0.1, verbose=False) | kwargs
    with pytest.raises(error) as raised:
        net.train(X, y, **arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize("make, error, message", [
    (lambda: Layer_dense("784", 10), TypeError, "number_inputs must be an integer, got '784'"),
    (lambda: Layer_dense(784, 10.0), TypeError, "number_outputs must be an integer, got 10.0"),
    (lambda: Layer_dense(4, 3, dropout="0.5"), TypeError, "dropout must be a number, got '0.5'"),
    (lambda: Layer_dense(4, 3, dropout=1), ValueError, "dropout must lie in [0, 1), got 1.0"),
    (lambda: Layer_dense(4, 3, rng="seed"), TypeError,
     "rng must be a seed (a non-negative integer), a np.random.Generator or None, got 'seed'"),
    (lambda: Layer_dense(4, 3, 7), TypeError, "activation_function must be a name (str), got int"),
    (lambda: NeuralNetwork(input_scale="1/255"), TypeError, "input_scale must be a number, got '1/255'"),
    (lambda: NeuralNetwork(input_scale=0), ValueError, "input_scale must be a positive number, got 0"),
    (lambda: NeuralNetwork(rng=-1), TypeError,
     "rng must be a seed (a non-negative integer), a np.random.Generator or None, got -1"),
])
def test_constructors_name_the_argument_that_is_wrong(make, error, message):
    with pytest.raises(error) as raised:
        make()
    assert str(raised.value) == message


def test_float_labels_that_are_whole_numbers_are_accepted_everywhere(net):
    as_read_from_a_csv = y.astype(np.float64)
    copy = as_read_from_a_csv.copy()
    one, two = NeuralNetwork(input_scale=1.0, rng=0), NeuralNetwork(input_scale=1.0, rng=0)
    for network in (one, two):
        network.add_layer(Layer_dense(4, 2, "Sigmoid", rng=0, dtype=np.float64))
    data = np.random.default_rng(0).standard_normal((6, 4))
    history_int = one.train(data, y, 3, 2, 0.1, verbose=False)
    history_float = two.train(data, as_read_from_a_csv, 3, 2, 0.1, verbose=False,
                              validation_data=(data, as_read_from_a_csv))
    assert history_int["loss"] == history_float["loss"]
    np.testing.assert_array_equal(one.layers[0].W, two.layers[0].W)
    assert one.evaluate(data, y) == two.evaluate(data, as_read_from_a_csv)
    np.testing.assert_array_equal(as_read_from_a_csv, copy)
    assert as_read_from_a_csv.dtype == np.float64


def test_save_into_a_missing_folder_names_the_folder(net, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "model.npz"
    with pytest.raises(FileNotFoundError) as raised:
        net.save(target)
    assert str(raised.value) == (f"cannot save the network to {target}: the folder {target.parent} "
                                 f"does not exist")
    assert not (tmp_path / "no").exists()
