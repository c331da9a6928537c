"""Ctrl-C during training: the first stops after the current batch and the demo goes on; a second quits."""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from Layer_dense import Layer_dense
from Network import NeuralNetwork

REPO = Path(__file__).resolve().parent.parent


def small_network():
    network = NeuralNetwork(input_scale=1.0, rng=0)
    network.add_layer(Layer_dense(5, 3, "Softmax", rng=1, dtype=np.float64))
    return network


def test_train_stops_after_the_batch_during_which_stop_was_set(rng, capsys):
    X, y = rng.standard_normal((100, 5)), rng.integers(0, 3, 100)
    stop = threading.Event()
    calls = []

    def count_batches(batch_x, generator):        # sets stop during the 13th batch (epoch 2, batch 3)
        calls.append(len(batch_x))
        if len(calls) == 13:
            stop.set()
        return batch_x

    network = small_network()
    history = network.train(X, y, 5, 10, 0.01, shuffle=False, transform=count_batches, stop=stop)
    assert history["interrupted"] == {"epoch": 2, "batch": 3}
    assert len(calls) == 13 and len(history["loss"]) == 1
    assert "Epoch 2/5 interrupted after batch 3 of 10" in capsys.readouterr().out
    reference = small_network()                   # the same 13 updates, made without interruption
    reference.train(X, y, 1, 10, 0.01, shuffle=False, verbose=False)
    reference.train(X[:30], y[:30], 1, 10, 0.01, shuffle=False, verbose=False)
    np.testing.assert_allclose(network.layers[0].W, reference.layers[0].W, rtol=1e-12)


def start_demo(tmp_path, mnist_dir, *extra):
    return subprocess.Popen([sys.executable, "-u", str(REPO / "MNIST.py"), "--data-dir", str(mnist_dir),
                             "--epochs", "200", "--save-model", str(tmp_path / "model.npz"),
                             "--figure-dir", str(tmp_path), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "MPLBACKEND": "Agg"})


def wait_for_first_epoch(process):
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Epoch 1/200 completed"):
            return lines
    raise AssertionError("the demo never finished an epoch:\n" + "".join(lines))


@pytest.mark.process
def test_ctrl_c_in_the_demo_stops_training_and_goes_on_to_evaluate_save_and_draw(tmp_path, mnist_dir):
    process = start_demo(tmp_path, mnist_dir)
    lines = wait_for_first_epoch(process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    out = "".join(lines) + out
    assert process.returncode == 0, err
    assert "Ctrl-C: stopping after this batch (press it again to quit at once)." in err
    assert "Training interrupted (Ctrl-C) in epoch " in out and ", after batch " in out
    accuracy = float(out.split("Test accuracy: ")[1].split("%")[0])
    assert accuracy > 80
    assert "Traceback" not in err
    assert NeuralNetwork.load(tmp_path / "model.npz").layers[0].W.shape == (784, 64)
    assert (tmp_path / "mnist_predictions.png").exists()


@pytest.mark.process
def test_a_second_ctrl_c_quits_at_once(tmp_path, mnist_dir):
    process = start_demo(tmp_path, mnist_dir, "--preset", "best", "--plots", "all")
    for line in process.stdout:
        if line.startswith("Training (Ctrl-C stops it"):
            break
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    for line in process.stdout:                   # evaluating and drawing take seconds: quit during them
        if line.startswith("Training interrupted"):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted: quitting." in err and "Traceback" not in err
    assert len(list(tmp_path.glob("mnist_*.png"))) < 6


def test_the_demos_handler_sets_stop_first_then_quits_and_is_removed_afterwards(capsys):
    from Utils import stop_on_ctrl_c
    previous = signal.getsignal(signal.SIGINT)
    with stop_on_ctrl_c() as stop:
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)                          # the handler runs between bytecodes
        assert stop.is_set()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            raise AssertionError("the second Ctrl-C did not quit")
        except SystemExit as error:
            assert error.code == 130
    assert signal.getsignal(signal.SIGINT) is previous
    assert "Ctrl-C again: quitting." in capsys.readouterr().err


def test_an_interrupted_first_epoch_with_early_stopping_keeps_the_weights_as_they_are(rng):
    X, y = rng.standard_normal((50, 5)), rng.integers(0, 3, 50)
    stop = threading.Event()
    stop.set()                                    # as if Ctrl-C came during the first batch
    network = small_network()
    history = network.train(X, y, 5, 10, 0.01, validation_data=(X, y), early_stopping=2, stop=stop, verbose=False)
    assert history["interrupted"] == {"epoch": 1, "batch": 1} and "best_epoch" not in history
    assert not np.array_equal(network.layers[0].W, small_network().layers[0].W)   # the batch's update stays


def test_the_training_summary_says_where_ctrl_c_stopped_and_how_long_it_took():
    from Utils import training_summary
    assert training_summary({"loss": [1.0, 0.5, 0.2]}, 600, 1.234) == "Trained 3 epochs on 600 images in 1.23 s"
    # The BLAS threads are said where an epoch had more than one (history['threads'], Threads.py).
    assert training_summary({"loss": [1, 1], "threads": [1, 1]}, 6, 1) == "Trained 2 epochs on 6 images in 1.00 s"
    assert training_summary({"loss": [1], "threads": [None]}, 6, 1) == "Trained 1 epoch on 6 images in 1.00 s"
    assert training_summary({"loss": [1, 1], "threads": [2, 2]}, 6, 1) == \
        "Trained 2 epochs on 6 images in 1.00 s on 2 BLAS threads"
    assert training_summary({"loss": [1, 1, 1], "threads": [2, 1, 4]}, 6, 1) == \
        "Trained 3 epochs on 6 images in 1.00 s on 1-4 BLAS threads"
    assert training_summary({"loss": [1.0], "interrupted": {"epoch": 2, "batch": 7}}, 50, 0.5).splitlines() == [
        "Training interrupted (Ctrl-C) in epoch 2, after batch 7: going on with the network as it is.",
        "Trained 1 epoch and 7 batches of epoch 2 on 50 images in 0.50 s"]
    assert training_summary({"loss": [], "interrupted": {"epoch": 1, "batch": 587}}, 60000, 4.05).splitlines()[1] == \
        "Trained 587 batches of epoch 1 on 60000 images in 4.05 s"
    assert training_summary({"loss": [], "interrupted": {"epoch": 1, "batch": 1}}, 60, 1).splitlines()[1] == \
        "Trained 1 batch of epoch 1 on 60 images in 1.00 s"
    assert training_summary({"loss": [1.0], "interrupted": {"epoch": 1, "batch": 2}}, 6, 1).splitlines()[1] == \
        "Trained 1 epoch on 6 images in 1.00 s"                  # the epoch it stopped in was finished


def test_the_evaluation_summary_gives_the_accuracy_and_each_digits():
    from Utils import evaluation_summary
    assert evaluation_summary(96.957, [98.64, 99.1, float("nan")], 10000).splitlines() == [
        "Test accuracy: 96.96% on 10000 test images",
        "Per digit:    0: 98.6%  1: 99.1%  2: nan%"]


def test_the_training_line_comes_from_the_ctrl_c_handler_alone(capsys, demo):
    """The demo and the command line both train inside stop_on_ctrl_c, which says what Ctrl-C does."""
    from Utils import TRAINING_LINE, stop_on_ctrl_c
    with stop_on_ctrl_c():
        pass
    assert capsys.readouterr().out == TRAINING_LINE + "\n"
    demo(["--epochs", "1", "--train-size", "500", "--no-plot", "--quiet"])
    assert capsys.readouterr().out.splitlines().count(TRAINING_LINE) == 1
