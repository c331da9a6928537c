"""The mistakes a new user makes get an error that names the argument and what it got."""
import re

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


# ---- the mistakes of a learner who follows the notes, in their terms --------------------------------

def test_a_layer_given_rows_of_the_wrong_width_names_its_sizes():
    with pytest.raises(ValueError, match=r"^layer 5x3 \(ReLU\) takes inputs of shape \(N, 5\): one row of 5 values "
                                         r"per sample; got shape \(2, 4\)$"):
        Layer_dense(5, 3).Forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"got shape \(5,\)$"):
        Layer_dense(5, 3).Forward(np.ones(5))


def test_backprop_before_forward_says_to_call_forward_first():
    layer = Layer_dense(5, 3, "Sigmoid")
    with pytest.raises(RuntimeError, match=r"^BackProp needs what Forward keeps \(A_prev and Z\): call Forward on "
                                           r"this batch before BackProp \(layer 5x3, Sigmoid\)$"):
        layer.BackProp(np.ones((2, 3)))
    layer.Forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"^dA must have the shape of this layer's output in the last Forward, "
                                         r"\(2, 3\); got \(4, 3\)$"):
        layer.BackProp(np.ones((4, 3)))


@pytest.mark.parametrize("shape, hint", [
    ((28, 28), "data has 28 features per sample but the first layer expects 784: is it one 28x28 image? The network "
               "takes each image as a row of 784 pixels: use image.reshape(1, 784)"),
    ((5, 28, 28), "data must be 2-D (n_samples, n_features), got shape (5, 28, 28): 5 images of 28x28; the network "
                  "takes each image as a row of 784 pixels: use images.reshape(len(images), 784)"),
    ((784,), "data must be 2-D (n_samples, n_features), got shape (784,): one sample is one row, use x.reshape(1, 784)"),
])
def test_an_image_that_is_not_a_row_gets_the_reshape_to_use(shape, hint):
    network = NeuralNetwork()
    network.add_layer(Layer_dense(784, 10, "Softmax"))
    for method in (network.predict, network.predict_proba, lambda images: network.evaluate(images, [0] * len(images))):
        with pytest.raises(ValueError, match="^" + re.escape(hint) + "$"):
            method(np.zeros(shape))
    network.predict(np.zeros(shape).reshape(-1, 784))          # the reshape it names works


@pytest.mark.parametrize("shape, message", [
    ((3, 4), "data has 4 features per sample but the first layer expects 12: is it one 3x4 image? The network "
             "takes each image as a row of 12 pixels: use image.reshape(1, 12)"),
    ((2, 3, 4), "data must be 2-D (n_samples, n_features), got shape (2, 3, 4): 2 images of 3x4; the network takes "
                "each image as a row of 12 pixels: use images.reshape(len(images), 12)"),
    ((12, 5), "data has 5 features per sample but the first layer expects 12"),          # no image: no hint
    ((4, 4), "data has 4 features per sample but the first layer expects 12"),
    ((2, 4, 4), "data must be 2-D (n_samples, n_features), got shape (2, 4, 4)"),
])
def test_images_that_are_not_square_get_their_own_sides_and_other_shapes_no_hint(shape, message):
    network = NeuralNetwork()
    network.add_layer(Layer_dense(12, 3, "Softmax"))
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        network.predict(np.zeros(shape))


# ---- the command line: every option checked before MNIST is loaded ---------------------------------

# The library's own checks (Utils.py) check the options, so the messages are theirs, with the option's name.
@pytest.mark.parametrize("options, message", [
    (["--train-size", "0"], "--train-size must be positive, got 0"),
    (["--elastic", "2"], "--elastic adds a wobble to --augment's random turns, scalings and shifts, so it needs "
                         "--augment too; give both, or leave --elastic out"),
    (["--train-size", "5000", "--validation-size", "5000"],
     "--validation-size must lie in [0, 5000), got 5000 (the validation images are the last of the 5000 training "
     "images used, and some must be left to train on)"),
    (["--save-model", "no/such/folder/m.npz"], "--save-model no/such/folder/m.npz: the folder no/such/folder does "
                                               "not exist, so the trained network could not be saved; create it "
                                               "first, or give a path in a folder that exists"),
    (["--early-stopping", "0", "--validation-size", "100"], "--early-stopping must be positive, got 0"),
    (["--input-dropout", "-0.1"], "--input-dropout must lie in [0, 1), got -0.1"),
    (["--learning-rate", "-1"], "--learning-rate must be a positive number, got -1.0 (the notes use 0.001; "
                                "--find-learning-rate suggests one)"),
    (["--epochs", "0"], "--epochs must be positive, got 0"),
    (["--batch-size", "0"], "--batch-size must be positive, got 0"),
    (["--hidden", "64", "0"], "--hidden needs one positive size per hidden layer, e.g. --hidden 64, got [64, 0]"),
    (["--dropout", "1"], "--dropout must lie in [0, 1), got 1.0"),
    (["--weight-decay", "-0.1"], "--weight-decay must be zero or positive, got -0.1"),
    (["--elastic", "nan"], "--elastic must be a finite number, got nan"),
    (["--learning-rate", "inf"], "--learning-rate must be a finite number, got inf (the notes use 0.001; "
                                 "--find-learning-rate suggests one)"),
    (["--seed", "-3"], "--seed must be zero or positive, got -3"),
    (["--threads", "0"], "--threads must be positive, got 0 (leave it out to let the library choose)"),
    (["--load-model", "model.npz", "--threads", "-2"],
     "--threads must be positive, got -2 (leave it out to let the library choose)"),
    (["--output-activation", "relu"], "--output-activation must be Sigmoid or Softmax (each paired with its "
                                      "cross-entropy), got relu"),
    (["--hidden-activation", "softmax"], "--hidden-activation softmax: softmax makes a layer's outputs compete "
                                         "(they sum to 1), which is what the output layer's probabilities need, not "
                                         "hidden units; use ReLU (the default), LeakyReLU, Tanh or Sigmoid"),
    (["--load-model", "model.npz", "--hidden", "128", "--epochs", "5"],
     "--load-model evaluates a network that is trained already, so it cannot use --epochs, --hidden. Leave those "
     "options out, or leave out --load-model to train a new network."),
    (["--load-model", "model.npz", "--preset", "best"],
     "--load-model evaluates a network that is trained already, so it cannot use --preset. Leave that option "
     "out, or leave out --load-model to train a new network."),
])
def test_a_bad_option_stops_with_status_2_before_mnist_is_loaded(demo, capsys, options, message):
    with pytest.raises(SystemExit) as stopped:
        demo(options + ["--no-plot"])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert err.splitlines()[-1].endswith(": error: " + message)
    assert "Loaded MNIST" not in out and "Training" not in out


def test_find_learning_rate_on_the_command_line_suggests_a_rate_and_trains_nothing(demo, capsys, tmp_path):
    suggestion = demo(["--find-learning-rate", "--train-size", "20000", "--figure-dir", str(tmp_path)])
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Network: 784x64 ReLU -> 64x10 Sigmoid"
    assert re.match(r"^Learning-rate range test: \d+ batches of 32, the rate growing from 1e-06 to [0-9.e-]+; "
                    r"the loss was lowest at [0-9.e-]+\.$", out[2])
    assert out[3] == (f"Suggested learning rate: {suggestion:.2g} (a tenth of that). Train with it: add "
                      f"--learning-rate {suggestion:.2g} to these options, without --find-learning-rate.")
    assert out[4] == f"Saved the loss against the learning rate to {(tmp_path / 'mnist_learning_rates.png').resolve()}"
    assert len(out) == 5 and not any("Trained" in line or "Test accuracy" in line for line in out)


def test_hidden_without_sizes_still_means_no_hidden_layer():
    from Options import build_network, check_options, parse_args
    args = parse_args(["--hidden"])
    check_options(args)
    assert str(build_network(args.hidden, "ReLU", "Sigmoid", 0)) == "784x10 Sigmoid"
