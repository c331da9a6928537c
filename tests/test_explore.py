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


def test_bad_settings_say_what_they_take():
    with pytest.raises(ValueError, match=r"^data must be one of spirals, circles, xor, got 'moons'$"):
        explorer(data="moons")
    e = explorer()
    with pytest.raises(TypeError, match=r"^unknown setting 'rate'; the settings are data, noise, hidden"):
        e.set(rate=0.1)
