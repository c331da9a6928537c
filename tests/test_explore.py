"""Playground.Explorer and explore(): TF Playground's loop on this library's network."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import Playground  # noqa: E402


def explorer(**settings):
    figure = Figure(figsize=(12, 4.2))
    FigureCanvasAgg(figure)
    return Playground.Explorer(figure, **settings)


def boundary(e):
    e.draw()
    return e.boundary_axes.images[0].get_array().copy()


def test_a_step_trains_the_network_and_records_both_losses():
    e = explorer()
    before = boundary(e)
    for _ in range(10):
        e.step()
    assert e.epochs == 10 * Playground.EPOCHS_PER_STEP and len(e.losses[0]) == 11
    assert e.losses[1][-1] < 0.8 * e.losses[1][0] and e.losses[2][-1] < e.losses[2][0]
    expected = e.network.loss(e.network.predict_proba(e.test_X), np.eye(3)[e.test_y]) / len(e.test_X)
    assert e.losses[2][-1] == pytest.approx(expected)
    assert not np.array_equal(boundary(e), before)
    assert len(e.train_X) == len(e.test_X) == 150                    # spirals: 300 points, half and half


def test_a_new_learning_rate_keeps_the_network_and_a_new_architecture_starts_again():
    e = explorer(seed=1)
    e.step()
    network, W = e.network, e.network.layers[0].W.copy()
    e.set(learning_rate=0.05, batch_size=20)
    assert e.network is network and e.epochs == Playground.EPOCHS_PER_STEP
    e.step()
    assert not np.array_equal(network.layers[0].W, W)
    e.set(hidden=(4, 4))
    assert e.network is not network and e.epochs == 0 and str(e.network) == "2x4 ReLU -> 4x4 ReLU -> 4x3 Softmax"
    e.set(data="xor")
    assert e.network.layers[-1].n_out == 2 and len(e.train_X) == 150
    e.set(activation="Tanh")
    assert "Tanh" in str(e.network)


def test_a_clicked_point_joins_the_training_points():
    e = explorer(data="circles")
    n = len(e.train_X)
    e.add_point(0.1, -0.2, 1)
    assert len(e.train_X) == n + 1 and e.train_X[-1].tolist() == [0.1, -0.2] and e.train_y[-1] == 1
    with pytest.raises(ValueError, match=r"^label must be a class from 0 to 1, got 2$"):
        e.add_point(0, 0, 2)


def test_the_picture_has_a_boundary_the_losses_and_each_hidden_units_output():
    e = explorer(hidden=(5,))
    figure = e.draw()
    assert len(figure.axes) == 2 + 5
    assert figure.axes[2].get_title() == "unit 0"
    plane = figure.axes[2].images[0].get_array()
    assert plane.shape == (100, 100) and np.ptp(plane) > 0


@pytest.mark.parametrize("bad, error, message", [
    (dict(data="moons"), ValueError, r"^data must be one of spirals, circles, xor, got 'moons'$"),
    (dict(hidden="8, x"), ValueError, r"^hidden: layer sizes separated by commas, e\.g\. '8, 8', got '8, x'$"),
    (dict(hidden="0"), ValueError, r"^each hidden layer's size must be positive, got 0$"),
    (dict(learning_rate="0.1"), TypeError, r"^learning_rate must be a number, got '0.1'$"),
    (dict(batch_size=0), ValueError, r"^batch_size must be positive, got 0$"),
    (dict(activation="relux"), ValueError, r"^unknown activation 'relux'"),
    (dict(rate=0.1), TypeError, r"^unknown setting 'rate'; the settings are data, noise, hidden"),
])
def test_a_bad_setting_says_what_it_takes_and_changes_nothing(bad, error, message):
    e = explorer()
    e.step()
    settings, network = dict(e.settings), e.network
    with pytest.raises(error, match=message):
        e.set(**bad)
    assert e.settings == settings and e.network is network and e.epochs == Playground.EPOCHS_PER_STEP
    if "rate" not in bad:
        with pytest.raises(error, match=message):
            explorer(**bad)


def test_hidden_layers_may_be_given_as_the_widgets_text_or_one_size():
    e = explorer(hidden="8, 8")
    assert str(e.network) == "2x8 ReLU -> 8x8 ReLU -> 8x3 Softmax"
    e.set(hidden=4)
    assert str(e.network) == "2x4 ReLU -> 4x3 Softmax"
    e.set(hidden="")
    assert str(e.network) == "2x3 Softmax" and len(e.draw().axes) == 2     # no hidden units to draw


@pytest.mark.parametrize("point, message", [
    ((0.1, 0.2, 1.5), r"^label must be a class from 0 to 2, got 1\.5$"),
    ((0.1, 0.2, "1"), r"^label must be a class from 0 to 2, got '1'$"),
    ((float("nan"), 0.2, 1), r"^a point needs two finite coordinates, got \(nan, 0\.2\)$"),
])
def test_a_bad_point_is_refused_before_it_joins_the_data(point, message):
    e = explorer()
    n = len(e.train_X)
    with pytest.raises(ValueError, match=message):
        e.add_point(*point)
    assert len(e.train_X) == len(e.train_y) == n


def test_a_training_warning_is_kept_for_the_picture_not_printed_at_every_step(recwarn):
    e = explorer(learning_rate=1.0)
    for _ in range(3):
        e.step()
    assert e.warning.startswith("8 of the 8 units of layer 1 (ReLU) gave 0 for every one of 150 training samples")
    assert not [w for w in recwarn if "units of layer" in str(w.message)]
    e.set(hidden=(8,), learning_rate=0.01)
    assert e.warning is None                                       # a new network, no warning yet


EXPLORE_SCRIPT = """
import asyncio
import sys
import warnings
import matplotlib
matplotlib.use("module://ipympl.backend_nbagg")     # what %matplotlib widget picks
sys.path.insert(0, {repo!r})
warnings.simplefilter("ignore", RuntimeWarning)     # the overflow on the way to NaN
import Playground
# a rate of 1 with LeakyReLU and one point a batch: training fails within a few steps
settings = dict(learning_rate=1.0, activation="LeakyReLU", batch_size=1, hidden=[64, 64])
for press in ("Step", "Play"):
    explorer = Playground.explore(**settings)
    row = explorer.widget.children[0].children
    buttons = {{b.description: b for b in row if hasattr(b, "click")}}

    async def run():
        buttons[press].click()
        for _ in range(400):
            await asyncio.sleep(0.02)
            if explorer.message.startswith("training stopped"):
                break
            if press == "Step":
                buttons[press].click()
        await asyncio.sleep(0.3)                    # Play has stopped: no step after the error
        shown = explorer.widget.children[1].value           # the row under the buttons, as HTML
        assert explorer.message.replace("'", "&#x27;") in shown, shown
        print(press, explorer.epochs, "|", explorer.message)
    asyncio.run(run())
"""


@pytest.mark.process
def test_an_error_while_playing_or_stepping_is_shown_beside_the_buttons_and_play_stops():
    import subprocess
    import sys
    from pathlib import Path
    repo = Path(Playground.__file__).resolve().parent
    result = subprocess.run([sys.executable, "-c", EXPLORE_SCRIPT.format(repo=str(repo))], capture_output=True,
                            text=True, timeout=300, cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("Step ", "Play "))]
    said = ("training stopped: the network's output became NaN in epoch 3, batch 8: training diverged. Try a "
            "lower learning_rate than 1.0; the weights from before this batch are kept.")
    assert lines == [f"Step 15 | {said}", f"Play 15 | {said}"], result.stdout      # the same run both ways
    assert "Traceback" not in result.stderr
