"""Live.py: train(..., live=True) draws one figure updated in place while it trains, within its share of the time."""
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import Live  # noqa: E402
import Playground  # noqa: E402
from Options import build_network  # noqa: E402


class Recorder:
    """A show function for a LiveView: keeps what the figure held at each drawing."""

    def __init__(self):
        self.view, self.seen = None, []

    def __call__(self):
        figure = self.view.figure
        loss_line = figure.axes[0].lines[0]
        self.seen.append({"title": figure._suptitle.get_text(), "points": len(loss_line.get_xdata()),
                          "answers": [text.get_text() for text in self.view._digit_titles],
                          "weights": self.view._weights.get_array().copy() if self.view._weights else None})


def watched(network, X, y, epochs, batch_size, validation=None):
    recorder = Recorder()
    batches = -(-len(X) // batch_size)
    recorder.view = Live.LiveView(network, X, y, batches, epochs, validation, show=recorder)
    return recorder


@pytest.fixture(autouse=True)
def no_figures_left():
    yield
    plt.close("all")


@pytest.fixture
def every_time(monkeypatch):
    """A drawing is due after every 100 batches (SHARE so large that no wait follows a drawing)."""
    monkeypatch.setattr(Live, "SHARE", 1e12)


def test_the_live_view_shows_the_numbers_train_reports_and_changes_between_drawings(mnist, every_time):
    (train_X, train_y), _ = mnist
    X, y, X_val, y_val = train_X[:2000], train_y[:2000], train_X[2000:2500], train_y[2000:2500]
    network = build_network([16], "ReLU", "Sigmoid", seed=0)
    recorder = watched(network, X, y, 2, 10, (X_val, y_val))
    history = network.train(X, y, 2, 10, 0.01, verbose=False, validation_data=(X_val, y_val), live=recorder.view)
    seen = recorder.seen
    # 200 batches an epoch: drawn after batches 100 and 200 of each epoch, and once more at the end
    assert [s["points"] for s in seen] == [1, 2, 3, 4, 4]
    assert seen[0]["title"].startswith("epoch 1, batch 100 of 200: loss ")
    assert seen[-1]["title"] == (f"epoch 2, batch 200 of 200: loss {history['loss'][-1]:.4f}, "
                                 f"accuracy {100 * history['accuracy'][-1]:.2f}%")
    loss, accuracy = recorder.view._loss_lines[0], recorder.view._accuracy_lines[0]
    np.testing.assert_allclose(loss.get_ydata()[[1, 3]], history["loss"], rtol=1e-6)        # each epoch's end
    np.testing.assert_allclose(accuracy.get_ydata()[[1, 3]], history["accuracy"], rtol=1e-6)
    np.testing.assert_allclose(loss.get_xdata(), [0.5, 1, 1.5, 2])
    validation = recorder.view._loss_lines[1]
    np.testing.assert_allclose(validation.get_ydata(), history["val_loss"])
    np.testing.assert_allclose(recorder.view._accuracy_lines[1].get_ydata(), history["val_accuracy"])
    assert not np.array_equal(seen[0]["weights"], seen[-1]["weights"])                    # the weights learnt
    answers = network.predict(X_val[:Live.DIGITS])
    assert seen[-1]["answers"] == [f"{a}" + ("" if a == t else f" (is {t})") for a, t in zip(answers, y_val[:8])]
    assert recorder.view.figure.axes[2].get_title().startswith("validation digits")
    assert not any(artist.get_animated() for artist in recorder.view._moving)     # an ordinary figure after


def test_watching_changes_nothing_the_network_learns(mnist, every_time):
    (train_X, train_y), _ = mnist
    X, y = train_X[:1000], train_y[:1000]
    plain, live = (build_network([16], "ReLU", "Sigmoid", seed=3) for _ in range(2))
    expected = plain.train(X, y, 2, 10, 0.01, verbose=False)
    recorder = watched(live, X, y, 2, 10)
    history = live.train(X, y, 2, 10, 0.01, verbose=False, live=recorder.view)
    assert history["loss"] == expected["loss"] and len(recorder.seen) == 3
    for a, b in zip(plain.layers, live.layers):
        np.testing.assert_array_equal(a.W, b.W)
    assert recorder.view.figure.axes[2].get_title().startswith("training digits")


def test_drawings_stay_within_their_share_of_the_time_since_training_started(monkeypatch):
    """A drawing is made only if all of them, with it (its cost taken to be the last one's), stay within
    SHARE of the time since the view was made; the last numbers are drawn at the end (a clock stands in)."""
    clock = {"now": 100.0}
    monkeypatch.setattr(Live.time, "perf_counter", lambda: clock["now"])
    network = build_network([4], "ReLU", "Sigmoid", seed=0)
    X, y = np.zeros((10, 784)), np.zeros(10, dtype=int)
    drawings = []

    def show():                        # the first drawing takes 0.3 s of the clock, the others 0.1 s
        drawings.append(round(clock["now"] - 100, 6))
        clock["now"] += 0.3 if len(drawings) == 1 else 0.1
    view = Live.LiveView(network, X, y, 1000, 1, show=show)
    for step in range(100, 1001, 100):
        clock["now"] += 1.5            # 100 batches take 1.5 s
        view.batches(0, step, 0.5, 0.5)
    assert (Live.SHARE, Live.FIRST_COST) == (0.03, 0.12)
    # the first when 0.12 <= 0.03 t: t = 4.5 (after 300 batches); the next one's cost is then guessed
    # at 0.12 (a first drawing costs the most), so 0.3 + 0.12 <= 0.03 t: t = 14, the record at 15.3
    assert drawings == [4.5, 15.3]
    view.finish()
    assert drawings == [4.5, 15.3, 15.4] and view.draws == 3           # the last numbers, whenever
    assert view._spent == pytest.approx(0.5)


def test_a_long_run_is_drawn_again_and_again_within_its_share(monkeypatch):
    clock = {"now": 0.0}
    monkeypatch.setattr(Live.time, "perf_counter", lambda: clock["now"])
    network = build_network([4], "ReLU", "Sigmoid", seed=0)
    view = Live.LiveView(network, np.zeros((10, 784)), np.zeros(10, dtype=int), 100, 600,
                         show=lambda: clock.__setitem__("now", clock["now"] + 0.06))
    for epoch in range(600):           # 100 batches a second for 10 minutes
        clock["now"] += 1.0
        view.batches(epoch, 100, 0.5, 0.5)
        assert view._spent <= Live.SHARE * clock["now"] + 1e-9
    assert view._spent > 0.9 * Live.SHARE * clock["now"]               # and it uses its share
    assert view.draws == int(Live.SHARE * clock["now"] / 0.06)        # 0.06 s each, the clock counting them too


def test_a_playground_network_gets_the_curves_alone(every_time):
    X, y = Playground.spirals(points_per_class=100, classes=3, seed=0)
    network = Playground.playground_network([8], "ReLU", classes=3, seed=0)
    recorder = watched(network, X, y, 3, 10)
    network.train(X, y, 3, 10, 0.05, verbose=False, live=recorder.view)
    assert len(recorder.view.figure.axes) == 2 and recorder.view._weights is None
    assert [s["points"] for s in recorder.seen] == [1, 2, 3, 3]         # 30 batches an epoch: each epoch's end
    plt.close(recorder.view.figure)


def test_live_without_a_display_says_so_once_where_train_was_called_and_trains_as_usual():
    X, y = Playground.xor(points=100, seed=0)
    network, plain = (Playground.playground_network([4], "ReLU", seed=0) for _ in range(2))
    assert plt.get_fignums() == []
    with pytest.warns(UserWarning) as caught:
        history = network.train(X, y, 2, 10, 0.1, verbose=False, live=np.True_)     # (a NumPy bool too)
    [warning] = caught
    assert str(warning.message) == (
        f"live=True: there is no display to show the live view here (matplotlib's backend is "
        f"{matplotlib.get_backend()!r}), so training "
        "goes on without it. Plots.plot_history(history) draws the curves afterwards; in Jupyter, run "
        "%matplotlib widget (or %matplotlib inline) first.")
    from test_diagnostics import UNDER_MUTMUT
    assert UNDER_MUTMUT or warning.filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert plain.train(X, y, 2, 10, 0.1, verbose=False)["loss"] == history["loss"]    # no warning, same run
    assert plt.get_fignums() == []


@pytest.mark.parametrize("live", ["yes", 1.5, None])
def test_live_must_be_true_or_false(live):
    X, y = Playground.xor(points=20, seed=0)
    network = Playground.playground_network([4], "ReLU", seed=0)
    with pytest.raises(TypeError, match=rf"^live must be True \(watch it learn: Live.py\) or False, got {live!r}$"):
        network.train(X, y, 1, 10, 0.1, verbose=False, live=live)


def test_the_demo_without_a_display_says_live_cannot_be_shown_and_trains(demo, capsys):
    demo(["--hidden", "8", "--epochs", "1", "--train-size", "2000", "--no-plot", "--live"])
    out = capsys.readouterr().out
    assert out.startswith(f"--live: there is no display here (matplotlib's backend is {matplotlib.get_backend()!r}), "
                          f"so training goes on without the live view; --plots history draws the curves afterwards.\n")
    assert "Epoch 1/1 completed" in out and "Test accuracy" in out


def test_the_demo_refuses_live_with_a_loaded_model(demo, tmp_path, capsys):
    with pytest.raises(SystemExit):
        demo(["--load-model", str(tmp_path / "m.npz"), "--live"])
    assert "--load-model evaluates a network that is trained already, so it cannot use --live." in \
        capsys.readouterr().err


@pytest.mark.process
def test_in_a_notebook_with_inline_pictures_the_live_view_is_one_picture_replaced_in_place(mnist_dir):
    """%matplotlib inline: one display_data output, updated (update_display_data), and not shown again at the end."""
    import nbformat
    from nbclient import NotebookClient
    from pathlib import Path
    source = f"""
%matplotlib inline
import sys
sys.path.insert(0, {str(Path(Live.__file__).parent)!r})
import Live
from MNIST import load_mnist
from Options import build_network
(train_X, train_y), _ = load_mnist({str(mnist_dir)!r})
Live.SHARE = 1e12
network = build_network([16], 'ReLU', 'Sigmoid', seed=0)
history = network.train(train_X[:3000], train_y[:3000], 2, 10, 0.01, verbose=False, live=True)
"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3")
    updates = []
    original = client._update_display_id

    def update(display_id, msg):         # a display_data or update_display_data message with a display id
        updates.append(display_id)
        return original(display_id, msg)
    client._update_display_id = update
    client.execute()
    outputs = notebook.cells[0].outputs
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) == 1, [out.get("output_type") for out in outputs]
    # 300 batches an epoch: drawn after 100, 200 and 300 of each, and at the end: 7 messages for one display id
    assert len(updates) == 7 and len(set(updates)) == 1
    assert not [out for out in outputs if out.get("name") == "stderr"], outputs
