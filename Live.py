"""Watch it learn: one figure, updated in place while NeuralNetwork.train runs (train(..., live=True)).

The figure shows the running training loss and accuracy (the epoch so far, every 100 batches: the
numbers of train's progress bar), the validation loss and accuracy after each epoch when
validation_data is given, a few fixed digits with the network's current answer to each (the
validation digits, else the first training digits), and the first layer's weights as images (what
each hidden unit looks for). The last two need inputs that make a square picture (MNIST's 784
pixels); a playground network's two inputs get the curves alone.

Its artists are changed in place and the figure drawn again: nothing is cleared, so it does not
flicker and the progress bar stays. A drawing costs time training does not get, so the figure is
drawn at most as often as keeps that under SHARE of the time: after a drawing that took t seconds,
the next waits until t / SHARE seconds have passed (and the last numbers are always drawn at the end).
benchmarks/live.py measures the cost.

Where it is drawn: in a window (TkAgg, QtAgg, macosx), the figure itself, drawn again; in a
notebook (%matplotlib widget or inline), one picture in the cell's output, replaced in place
(IPython's display handle: an ipympl widget made in the training cell could show nothing until the
cell ends). Without either (a script with no display, the Agg backend) train says so once and
trains as usual.
"""
import io
import time

import numpy as np

import Plots
from Diagnostics import warn_at_caller

SHARE = 0.02          # drawings take at most this share of the training time (the first and last aside)
DIGITS = 8            # fixed digits whose answers are shown
UNITS = 16            # first-layer units whose weights are shown (a 4x4 mosaic)


class LiveView:
    """The live figure of one training run. train makes it (start) and calls it:

    batches(epoch, step, loss, accuracy): the running figures of epoch (from 0) after step of its
        batches (the loss per sample and the accuracy, a fraction, of the epoch so far);
    epoch(epoch, history): after a finished epoch, its validation figures from history if any;
    finish(): after training, the last numbers drawn.
    figure: the matplotlib Figure; draws: how many times it was drawn.
    """

    def __init__(self, network, X, y, batches_per_epoch, epochs, validation=None, show=None):
        self.network, self.batches_per_epoch = network, batches_per_epoch
        self.draws, self._next = 0, 0.0
        self._train = ([], [], [])        # epochs (fractional), loss, accuracy
        self._validation = ([], [], [])
        images = validation[0] if validation is not None else X
        labels = validation[1] if validation is not None else y
        self._digits, self._labels = images[:DIGITS], np.asarray(labels[:DIGITS])
        pictures = _square(X.shape[1]) is not None
        size = (12, 6.2) if pictures else (10, 3.6)
        where = None if show is not None else _where()
        if where == "window":
            import matplotlib.pyplot as plt
            self.figure = plt.figure(figsize=size)
        else:                                  # a picture for a notebook (or for show): no window, no widget
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
            self.figure = Figure(figsize=size)
            FigureCanvasAgg(self.figure)
        grid = self.figure.add_gridspec(2 if pictures else 1, 2, height_ratios=[1, 1.15] if pictures else None)
        self._loss_axes = self.figure.add_subplot(grid[0, 0])
        self._accuracy_axes = self.figure.add_subplot(grid[0, 1])
        self._loss_lines = self._curves(self._loss_axes, "loss per sample", epochs)
        self._accuracy_lines = self._curves(self._accuracy_axes, "accuracy", epochs)
        self._accuracy_axes.set_ylim(0, 1)
        self._digit_titles, self._weights = [], None
        if pictures:
            self._add_digits(grid[1, 0], "validation" if validation is not None else "training")
            self._add_weights(grid[1, 1])
        self.figure.suptitle("training: waiting for the first 100 batches", fontsize=11)
        self.figure.tight_layout()
        self._show = show if show is not None else _shower(self.figure, where)

    def _curves(self, ax, name, epochs):
        """A training line and validation points on ax, epochs on the x-axis."""
        train, = ax.plot([], [], color="C0", label=f"training {name} (the epoch so far)")
        validation, = ax.plot([], [], "o-", color="C1", label=f"validation {name}")
        ax.set_xlim(0, epochs)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend(fontsize=8, loc="best")
        return train, validation

    def _add_digits(self, cell, source):
        """DIGITS fixed digits in a 2 x 4 grid, each titled with the network's answer."""
        side = _square(self._digits.shape[1])
        inner = cell.subgridspec(2, DIGITS // 2)
        for k, image in enumerate(self._digits):
            ax = self.figure.add_subplot(inner[k // (DIGITS // 2), k % (DIGITS // 2)])
            ax.imshow(np.reshape(image, (side, side)), cmap="gray")
            ax.axis("off")
            self._digit_titles.append(ax.set_title("", fontsize=9))
        first = self._digit_titles[0].axes
        first.text(0, 1.35, f"{source} digits, titled with the network's answer now (red: wrong)",
                   transform=first.transAxes, fontsize=9)

    def _add_weights(self, cell):
        """The first layer's weights of UNITS units as one 4x4 mosaic image (one artist to update)."""
        ax = self.figure.add_subplot(cell)
        self._weights = ax.imshow(self._mosaic(), cmap="bwr", vmin=-1, vmax=1)
        ax.axis("off")
        ax.set_title("first-layer weights of 16 units (red: ink here pushes Z up; each on its own scale)",
                     fontsize=9)

    def _mosaic(self):
        """The first layer's weights of up to UNITS units, each scaled to -1..1, tiled 4 x 4 with gaps."""
        W = self.network.layers[0].W
        side = _square(W.shape[0])
        tiles = np.zeros((4 * (side + 1), 4 * (side + 1)))
        for j in range(min(UNITS, W.shape[1])):
            column = W[:, j] / max(float(np.abs(W[:, j]).max()), 1e-12)
            row, col = divmod(j, 4)
            tiles[row * (side + 1):row * (side + 1) + side, col * (side + 1):col * (side + 1) + side] = \
                column.reshape(side, side)
        return tiles

    def batches(self, epoch, step, loss, accuracy):
        """Record the running figures after step batches of epoch; draw if a drawing is due."""
        done = epoch + step / self.batches_per_epoch
        for values, value in zip(self._train, (done, loss, accuracy)):
            values.append(value)
        self._title = f"epoch {epoch + 1}, batch {step} of {self.batches_per_epoch}: loss {loss:.4f}, " \
                      f"accuracy {100 * accuracy:.2f}%"
        if time.perf_counter() >= self._next:
            self.draw()

    def epoch(self, epoch, history):
        """After a finished epoch: its validation loss and accuracy, if train measured them."""
        if "val_loss" in history:
            for values, value in zip(self._validation, (epoch + 1, history["val_loss"][-1],
                                                        history["val_accuracy"][-1])):
                values.append(value)

    def finish(self):
        """Draw the last numbers, whenever the last drawing was."""
        if self._train[0]:
            self.draw()

    def draw(self):
        """Put the numbers recorded so far into the artists and show the figure; the next drawing
        waits until this one's cost is SHARE of the time since."""
        start = time.perf_counter()
        for (train, validation), series in ((self._loss_lines, 1), (self._accuracy_lines, 2)):
            train.set_data(np.array(self._train[0]), np.array(self._train[series]))
            validation.set_data(np.array(self._validation[0]), np.array(self._validation[series]))
        self._loss_axes.set_ylim(0, 1.05 * max(self._train[1] + self._validation[1]))
        if self._digit_titles:
            answers = self.network.predict(self._digits)
            for title, answer, label in zip(self._digit_titles, answers, self._labels):
                title.set_text(f"{answer}" + ("" if answer == label else f" (is {label})"))
                title.set_color("green" if answer == label else "red")
            self._weights.set_data(self._mosaic())
        self.figure.suptitle(self._title, fontsize=11)
        self._show()
        self.draws += 1
        cost = time.perf_counter() - start
        self._next = time.perf_counter() + cost / SHARE


def _square(n_features):
    """The side of the square picture n_features make, or None."""
    try:
        return Plots._image_side(n_features)
    except ValueError:
        return None


def _where():
    """'window' (TkAgg, QtAgg, macosx), 'notebook' (a Jupyter kernel: %matplotlib widget or inline) or
    None (no display)."""
    import matplotlib
    kind = Plots.display_kind()
    backend = matplotlib.get_backend().lower()
    if kind is None:
        return None
    return "notebook" if kind == "inline" or "ipympl" in backend or "widget" in backend else "window"


def _shower(figure, where):
    """A function that shows figure as it is now: in a window, the figure itself drawn again; in a
    notebook, one picture in the cell's output replaced in place (IPython's display handle). An
    ipympl widget would not do there: its picture reaches the browser only once the cell has ended,
    since the widget's first messages wait for the busy kernel; a picture is sent at once."""
    if where == "notebook":
        from IPython.display import Image, display
        handle = None

        def show():
            nonlocal handle
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=80)
            picture = Image(data=buffer.getvalue(), format="png")
            if handle is None:
                handle = display(picture, display_id=True)
            else:
                handle.update(picture)
        return show
    import matplotlib.pyplot as plt
    plt.figure(figure.number)
    plt.show(block=False)

    def show():
        figure.canvas.draw_idle()
        figure.canvas.flush_events()           # the window repaints now, while training goes on
    return show


def start(live, network, X, y, batches_per_epoch, epochs, validation):
    """The LiveView train uses for live=True (a view given, such as a LiveView with its own show, is
    used as it is), or None when there is no display to show it: then a UserWarning says so, once,
    at the learner's call of train."""
    if not isinstance(live, (bool, np.bool_)):
        return live
    if _where() is None:
        import matplotlib
        warn_at_caller(UserWarning(
            f"live=True: there is no display to show the live view here (matplotlib's backend is "
            f"{matplotlib.get_backend()!r}), so training goes on without it. Plots.plot_history(history) draws "
            f"the curves afterwards; in Jupyter, run %matplotlib widget (or %matplotlib inline) first."))
        return None
    return LiveView(network, X, y, batches_per_epoch, epochs, validation)
