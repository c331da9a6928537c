"""Two-dimensional data sets for seeing what hidden layers do, in seconds (Plots.plot_decision_boundary
draws the plane as a network divides it).

Each returns (X, y): X (N, 2) floats in about [-1, 1], y (N,) class indices; the same seed gives the
same points. The points are coordinates, not pixels, so build the network with input_scale=1:

>>> X, y = spirals(points_per_class=100, classes=3, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((300, 2), [0, 1, 2])
>>> network = playground_network([16], 'ReLU', classes=3, seed=0)
>>> str(network)
'2x16 ReLU -> 16x3 Softmax'
"""
import warnings

import numpy as np

import Diagnostics
from Layer_dense import Layer_dense, activation_name
from Network import NeuralNetwork
from Utils import check_non_negative, check_positive, one_hot_encode, positive_int


def spirals(points_per_class=100, classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class (the nnfs book's data set): no straight line, nor a few,
    separates them. Arm c: radius r from 0 to 1, angle 4 r + 2 pi c / classes + noise."""
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, points_per_class), classes)
    y = np.repeat(np.arange(classes), points_per_class)
    angle = 4 * r + 2 * np.pi * y / classes + noise * rng.standard_normal(len(r))
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)]), y


def circles(points=300, noise=0.08, seed=0):
    """A disc (class 1) inside a ring (class 0): a boundary that closes on itself."""
    rng = np.random.default_rng(seed)
    y = np.arange(points) % 2
    radius = np.where(y == 1, 0.35, 0.85) + noise * rng.standard_normal(points)
    angle = rng.uniform(0, 2 * np.pi, points)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), y


def xor(points=300, noise=0.1, seed=0):
    """Four clusters at the corners; opposite corners share a class (x1 x2 > 0 is class 1): the classic
    problem no single straight line solves."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 4, points)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]])[corners]
    X = 0.5 * signs + noise * rng.standard_normal((points, 2))
    return X, (corners < 2).astype(np.int64)


def playground_network(hidden, activation="ReLU", classes=2, seed=0):
    """2 inputs -> the hidden layer sizes given (none: a straight boundary) -> classes Softmax outputs,
    with input_scale=1 (coordinates, not pixels) and float64 weights; seeded."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(input_scale=1, rng=rng)
    sizes = [2, *hidden, classes]
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = i == len(sizes) - 2
        network.add_layer(Layer_dense(n_in, n_out, "Softmax" if last else activation, rng=rng, dtype=np.float64))
    return network


# ---- Beyond the notes: the playground with controls (explore), as TensorFlow Playground has them ----

DATA_SETS = {"spirals": lambda noise, seed: spirals(100, 3, noise, seed), "circles": lambda noise, seed: circles(300, noise / 2.5, seed),
             "xor": lambda noise, seed: xor(300, noise / 2, seed)}
HEATMAP_UNITS = 8          # the first hidden layer's units whose outputs are drawn over the plane
EPOCHS_PER_STEP = 5        # one Step (and one frame of Play) trains this many epochs


def checked_settings(settings):
    """The Explorer's settings after checking each (a ValueError or TypeError that names it); hidden may
    be sizes, one size or text such as '8, 8' (the widget's), '' for no hidden layer."""
    s = dict(settings)
    if s["data"] not in DATA_SETS:
        raise ValueError(f"data must be one of {', '.join(DATA_SETS)}, got {s['data']!r}")
    hidden = s["hidden"]
    if isinstance(hidden, str):
        try:
            hidden = [int(size) for size in hidden.replace(",", " ").split()]
        except ValueError:
            raise ValueError(f"hidden: layer sizes separated by commas, e.g. '8, 8', got {s['hidden']!r}") from None
    elif isinstance(hidden, (int, np.integer)):
        hidden = [hidden]
    s["hidden"] = tuple(positive_int(size, "each hidden layer's size") for size in hidden)
    s["activation"] = activation_name(s["activation"])
    s["noise"] = check_non_negative(s["noise"], "noise")
    s["learning_rate"] = check_positive(s["learning_rate"], "learning_rate")
    s["batch_size"] = positive_int(s["batch_size"], "batch_size")
    return s


class Explorer:
    """TF Playground's loop on this library's network, without widgets (explore() adds them).

    settings: data ('spirals', 'circles', 'xor'), noise, hidden (layer sizes), activation,
    learning_rate, batch_size, seed. set(**changes): a new learning rate or batch size applies at the
    next step; new data, noise, hidden layers or activation start a new network (as TF Playground
    does). step() trains EPOCHS_PER_STEP epochs on the training half of the points and records the
    training and test loss; add_point(x1, x2, label) adds one of your own. draw() puts the
    boundary, the losses and the hidden units' outputs into figure (a matplotlib Figure).
    """

    def __init__(self, figure, data="spirals", noise=0.2, hidden=(8,), activation="ReLU", learning_rate=0.01,
                 batch_size=10, seed=0):
        self.figure, self.warning = figure, None
        self.settings = checked_settings(dict(data=data, noise=noise, hidden=hidden, activation=activation,
                                              learning_rate=learning_rate, batch_size=batch_size, seed=seed))
        self.reset()

    def reset(self):
        """New points from the settings, split half for training and half for testing, and a new network."""
        s = self.settings
        X, y = DATA_SETS[s["data"]](s["noise"], s["seed"])
        order = np.random.default_rng(s["seed"]).permutation(len(X))
        half = len(X) // 2
        self.train_X, self.train_y = X[order[:half]], y[order[:half]]
        self.test_X, self.test_y = X[order[half:]], y[order[half:]]
        self.new_network()

    def new_network(self):
        s = self.settings
        classes = max(int(self.train_y.max()), int(self.test_y.max())) + 1
        self.network = playground_network(list(s["hidden"]), s["activation"], classes, s["seed"])
        self.epochs, self.losses, self.warning = 0, ([], [], []), None      # epochs, training loss, test loss
        self.record()

    def set(self, **changes):
        unknown = set(changes) - set(self.settings)
        if unknown:
            raise TypeError(f"unknown setting {sorted(unknown)[0]!r}; the settings are {', '.join(self.settings)}")
        self.settings = checked_settings({**self.settings, **changes})     # nothing is kept from a bad one
        if {"data", "noise", "seed"} & set(changes):
            self.reset()
        elif {"hidden", "activation"} & set(changes):
            self.new_network()

    def add_point(self, x1, x2, label):
        """Your own point, of class label, in the training points (the network keeps what it learnt)."""
        classes = self.network.layers[-1].n_out
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < classes:
            raise ValueError(f"label must be a class from 0 to {classes - 1}, got {label!r}")
        if not np.all(np.isfinite(np.asarray([x1, x2], dtype=float))):
            raise ValueError(f"a point needs two finite coordinates, got ({x1}, {x2})")
        self.train_X = np.vstack([self.train_X, [[x1, x2]]])
        self.train_y = np.append(self.train_y, label)

    def step(self):
        s = self.settings
        with warnings.catch_warnings():                    # said once in self.warning, not at every step
            warnings.simplefilter("ignore", Diagnostics.TrainingWarning)
            history = self.network.train(self.train_X, self.train_y, EPOCHS_PER_STEP, s["batch_size"],
                                         s["learning_rate"], verbose=False)
        if history["warnings"]:
            self.warning = str(history["warnings"][-1])
        self.epochs += EPOCHS_PER_STEP
        self.record()

    def record(self):
        for values, value in zip(self.losses, (self.epochs, self.loss(self.train_X, self.train_y),
                                               self.loss(self.test_X, self.test_y))):
            values.append(value)

    def loss(self, X, y):
        """The loss per point of the network on X, y (the loss train reports)."""
        output = self.network.predict_proba(X)
        return self.network.loss(output, one_hot_encode(y, output.shape[1], output.dtype)) / len(X)

    def draw(self, resolution=100):
        """The boundary with the points (training filled, test hollow), the two losses, and the
        first hidden layer's units' outputs over the plane, into figure (cleared first)."""
        from Plots import draw_regions, plane_points
        fig = self.figure
        fig.clear()
        X = np.vstack([self.train_X, self.test_X])
        low, high = X.min(axis=0) - 0.1, X.max(axis=0) + 0.1
        plane, extent = plane_points(low, high, resolution), (low[0], high[0], low[1], high[1])
        layout = fig.add_gridspec(2, 4, width_ratios=[2, 2, 1, 1])
        ax = fig.add_subplot(layout[:, 0])
        colours = draw_regions(ax, self.network, plane, extent)
        ax.scatter(*self.train_X.T, c=[colours[c] for c in self.train_y], edgecolors="black", s=16)
        ax.scatter(*self.test_X.T, facecolors="none", edgecolors=[colours[c] for c in self.test_y], s=16)
        ax.set_title(f"{self.network}\nepoch {self.epochs}: test accuracy "
                     f"{self.network.evaluate(self.test_X, self.test_y):.1f}%", fontsize=9)
        self.boundary_axes = ax
        curves = fig.add_subplot(layout[:, 1])
        curves.plot(self.losses[0], self.losses[1], label="training loss")
        curves.plot(self.losses[0], self.losses[2], label="test loss")
        curves.set_xlabel("epoch")
        curves.legend(fontsize=8)
        curves.set_title(f"loss: training {self.losses[1][-1]:.3f}, test {self.losses[2][-1]:.3f}", fontsize=9)
        if len(self.network.layers) > 1:
            outputs = self.network.layer_outputs(plane)[0]
            inner = layout[:, 2:].subgridspec(4, 2)
            for j in range(min(HEATMAP_UNITS, outputs.shape[1])):
                unit = fig.add_subplot(inner[j // 2, j % 2])
                unit.imshow(outputs[:, j].reshape(resolution, resolution), origin="lower", extent=extent,
                            cmap="viridis")                           # the plane's own shape
                unit.set_xticks([])
                unit.set_yticks([])
                unit.set_title(f"unit {j}", fontsize=7)
        fig.subplots_adjust(left=0.05, right=0.98, bottom=0.12, top=0.88, wspace=0.35, hspace=0.5)
        return fig


def explore(**settings):
    """The playground with controls, in a notebook with %matplotlib widget (ipympl and ipywidgets):
    the data set, noise, hidden layers, activation, learning rate and batch size; Play, Pause, Step
    and Reset; click the plane to add a point of the chosen class. Returns the Explorer (its
    .widget is what the cell shows). settings: Explorer's."""
    import asyncio
    import threading

    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from Plots import whole_frames
    with plt.ioff():
        figure = plt.figure(figsize=(9.6, 3.6))          # fits a notebook's output
    explorer = Explorer(whole_frames(figure), **settings)      # no stale pixels in the browser
    s = explorer.settings
    controls = {
        "data": widgets.Dropdown(options=list(DATA_SETS), value=s["data"], description="data"),
        "noise": widgets.FloatSlider(value=s["noise"], min=0, max=0.5, step=0.05, description="noise"),
        "hidden": widgets.Text(value=", ".join(map(str, s["hidden"])), description="hidden", continuous_update=False),
        "activation": widgets.Dropdown(options=["ReLU", "Tanh", "Sigmoid", "LeakyReLU"], value=s["activation"],
                                       description="activation"),
        "learning_rate": widgets.FloatLogSlider(value=s["learning_rate"], min=-4, max=0, description="rate"),
        "batch_size": widgets.IntSlider(value=s["batch_size"], min=1, max=100, description="batch"),
    }
    label = widgets.Dropdown(options=[0, 1, 2], value=0, description="click adds")
    message = widgets.HTML(layout=widgets.Layout(width="95%"))     # a row of its own, wrapped: read whole
    explorer.message = ""

    def say(text):
        """Show text under the buttons (explorer.message keeps it as plain text)."""
        import html
        explorer.message = text
        message.value = f'<span style="color: darkred">{html.escape(text)}</span>' if text else ""
    buttons = {name: widgets.Button(description=name) for name in ("Play", "Pause", "Step", "Reset")}
    running = {"task": None}
    # JupyterLab 4.6 with ipykernel 7 handles the widgets' messages (buttons, sliders, ipympl's requests
    # for a picture) in a thread of their own while Play trains in the kernel's: without this lock the
    # figure was drawn half built (the browser test saw curves and heatmaps missing) and a Step could
    # train the network while Play did. Whatever touches the network or the figure holds it.
    lock = threading.RLock()
    canvas_draw = figure.canvas.draw

    def locked_draw(*args, **kwargs):
        with lock:
            return canvas_draw(*args, **kwargs)
    figure.canvas.draw = locked_draw

    def redraw():
        with lock:
            explorer.draw()
        figure.canvas.draw_idle()

    def changed(name):
        def on_change(change):
            try:
                with lock:
                    explorer.set(**{name: change["new"]})
            except (ValueError, TypeError) as error:      # shown beside the buttons, the setting unchanged
                say(str(error))
                return
            say("")
            redraw()
        return on_change
    for name, control in controls.items():
        control.observe(changed(name), names="value")

    def stepped():
        """One step; an error it raises (a learning rate so high that training fails, say) is shown
        beside the buttons, where the learner looks, instead of in JupyterLab's log. True if it went."""
        try:
            with lock:
                explorer.step()
        except Exception as error:             # noqa: BLE001 (whatever it is, the learner must see it)
            say(f"training stopped: {error}")
            return False
        if explorer.warning:
            say(explorer.warning)
        return True

    async def play():
        while stepped():
            redraw()
            await asyncio.sleep(0.05)          # the widgets' messages are handled between frames
        running["task"] = None

    def on_button(name):
        def click(_):
            if name in ("Pause", "Reset", "Play") and running["task"] is not None:
                task = running["task"]                 # cancelled in its own loop, maybe another thread's
                task.get_loop().call_soon_threadsafe(task.cancel)
                running["task"] = None
            if name == "Play":
                running["task"] = asyncio.ensure_future(play())
            elif name == "Step":
                stepped()
            elif name == "Reset":
                with lock:
                    explorer.reset()
            redraw()
        return click
    for name, button in buttons.items():
        button.on_click(on_button(name))

    def on_press(event):
        if event.inaxes is explorer.boundary_axes and event.button == 1:
            if label.value >= explorer.network.layers[-1].n_out:
                say(f"this data set has {explorer.network.layers[-1].n_out} classes")
                return
            with lock:
                explorer.add_point(event.xdata, event.ydata, label.value)
            redraw()
    figure.canvas.mpl_connect("button_press_event", on_press)
    explorer.draw()
    explorer.widget = widgets.VBox([widgets.HBox(list(buttons.values()) + [label]), message,
                                    widgets.HBox([widgets.VBox(list(controls.values())[:3]),
                                                  widgets.VBox(list(controls.values())[3:])]),
                                    figure.canvas])
    from IPython.display import display
    display(explorer.widget)
    return explorer
