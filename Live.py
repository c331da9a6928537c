"""Watch it learn: one figure, updated in place while NeuralNetwork.train runs (train(..., live=True)).

The figure shows the running training loss and accuracy (the epoch so far, every 100 batches: the
numbers of train's progress bar), the validation loss and accuracy after each epoch when
validation_data is given, a few fixed digits with the network's current answer to each (the
validation digits, else the first training digits), and the first layer's weights as images (what
each hidden unit looks for). The last two need inputs that make a square picture (MNIST's 784
pixels); a playground network's two inputs get the curves alone.

Its artists are changed in place and drawn again over the rest of the figure, kept from its first
drawing (blitting): nothing is cleared, so it does not flicker and the progress bar stays. A drawing
costs time training does not get, so one is made only while all of them stay within SHARE of the
time since training started (the next one's cost taken to be the last one's), and the last numbers
are always drawn at the end. The first drawing is the dearest (it makes the figure and lays it out:
about 0.13 s here; the others about 0.025 s). benchmarks/live.py measures the cost.

Where it is drawn: in a window (TkAgg, QtAgg, macosx), the figure itself, drawn again; in a
notebook (%matplotlib widget or inline), one picture in the cell's output, replaced in place
(IPython's display handle: an ipympl widget made in the training cell could show nothing until the
cell ends). Without either (a script with no display, the Agg backend) train says so once and
trains as usual.
"""
import io
import time

import matplotlib
import numpy as np

import Plots
from Diagnostics import warn_at_caller

SHARE = 0.03          # drawings take at most this share of the time since training started (the last aside)
FIRST_COST = 0.12     # what the first drawing is taken to cost (it makes the figure) until one is measured
DPI = 80              # the figure's resolution: 960 x 496 pixels
DIGITS = 8            # fixed digits whose answers are shown
UNITS = 16            # first-layer units whose weights are shown (a 4x4 mosaic)


class LiveView:
    """The live figure of one training run. train makes it (start) and calls it:

    batches(epoch, step, loss, accuracy): the running figures of epoch (from 0) after step of its
        batches (the loss per sample and the accuracy, a fraction, of the epoch so far);
    epoch(epoch, history): after a finished epoch, its validation figures from history if any;
    finish(): after training, the last numbers drawn.
    figure: the matplotlib Figure (made at the first drawing); draws: how many times it was drawn;
    opening: how long opening its window took (0 where there is none).
    """

    def __init__(self, network, X, y, batches_per_epoch, epochs, validation=None, show=None):
        self.network, self.batches_per_epoch, self.epochs = network, batches_per_epoch, epochs
        self.draws, self._spent, self._cost, self.opening = 0, 0.0, FIRST_COST, 0.0
        self._started = time.perf_counter()
        self._train = ([], [], [])        # epochs (fractional), loss, accuracy
        self._validation = ([], [], [])
        images = validation[0] if validation is not None else X
        labels = validation[1] if validation is not None else y
        self._digits, self._labels = images[:DIGITS], np.asarray(labels[:DIGITS])
        self._source = "validation" if validation is not None else "training"
        self._where = None if show is not None else _where()
        self._given_show, self.figure = show, None    # the figure is made at the first drawing, inside its cost

    def _make_figure(self):
        """The figure and its artists, laid out once (fixed margins: no tight_layout to pay for)."""
        pictures = _square(self._digits.shape[1]) is not None
        size = (12, 6.2) if pictures else (10, 3.6)
        if self._where == "window":
            import matplotlib.pyplot as plt
            self.figure = plt.figure(figsize=size, dpi=DPI)
        else:                                  # a picture for a notebook (or for show): no window, no widget
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
            self.figure = Figure(figsize=size, dpi=DPI)
            FigureCanvasAgg(self.figure)
        grid = self.figure.add_gridspec(2 if pictures else 1, 2, height_ratios=[1, 1.15] if pictures else None,
                                        left=0.06, right=0.98, bottom=0.04 if pictures else 0.15,
                                        top=0.9 if pictures else 0.84, wspace=0.18, hspace=0.45)
        self._loss_axes = self.figure.add_subplot(grid[0, 0])
        self._accuracy_axes = self.figure.add_subplot(grid[0, 1])
        self._loss_lines = self._curves(self._loss_axes, "loss per sample")
        self._accuracy_lines = self._curves(self._accuracy_axes, "accuracy")
        self._accuracy_axes.set_ylim(0, 1)
        self._loss_top = None
        self._digit_titles, self._weights = [], None
        if pictures:
            self._add_digits(grid[1, 0])
            self._add_weights(grid[1, 1])
        self._title = self.figure.suptitle("", fontsize=11)
        self._moving = [artist for pair in (self._loss_lines, self._accuracy_lines) for artist in pair] + \
            self._digit_titles + \
            ([self._weights] if self._weights is not None else []) + [self._title]
        for artist in self._moving:            # drawn over the background kept from the last full drawing
            artist.set_animated(True)
        self._background = None
        self.figure.canvas.mpl_connect("draw_event", self._drawn)
        if self._given_show is not None:
            self._show = self._given_show
        else:
            self._show = _shower(self.figure, self._where)

    def _curves(self, ax, name):
        """A training line and validation points on ax, epochs on the x-axis; the title says which is
        which (a title costs the first drawing less than a legend and a y label)."""
        train, = ax.plot([], [], color="C0")
        validation, = ax.plot([], [], "o-", color="C1")
        ax.set_xlim(0, self.epochs)
        ax.set_xlabel("epoch")
        ax.locator_params(nbins=5)             # fewer ticks: a faster first drawing
        ax.set_title(f"{name}: training (blue line, the epoch so far), validation (orange dots)", fontsize=9)
        return train, validation

    def _add_digits(self, cell):
        """DIGITS fixed digits in a 2 x 4 mosaic (one image: one axes costs more to draw than all of
        them), each with a text above it for the network's answer."""
        side, columns = _square(self._digits.shape[1]), DIGITS // 2
        width, height = side + 6, side + 9                 # a digit and the space beside and above it
        mosaic = np.full((2 * height, columns * width), np.nan)
        ax = self.figure.add_subplot(cell)
        for k, image in enumerate(self._digits):
            row, col = divmod(k, columns)
            top, left = row * height + 9, col * width + 3
            mosaic[top:top + side, left:left + side] = np.reshape(image, (side, side))
            self._digit_titles.append(ax.text(left + side / 2, top - 1.5, "", ha="center", fontsize=9))
        colours = matplotlib.colormaps["gray"].with_extremes(bad="white")
        ax.imshow(mosaic, cmap=colours, interpolation="nearest")
        ax.axis("off")
        ax.set_title(f"{self._source} digits, with the network's answer now (red: wrong)", fontsize=9)

    def _add_weights(self, cell):
        """The first layer's weights of UNITS units as one 4x4 mosaic image (one artist to update)."""
        ax = self.figure.add_subplot(cell)
        self._weights = ax.imshow(self._mosaic(), cmap="bwr", vmin=-1, vmax=1, interpolation="nearest")
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
        self._now = f"epoch {epoch + 1}, batch {step} of {self.batches_per_epoch}: loss {loss:.4f}, " \
                    f"accuracy {100 * accuracy:.2f}%"
        if self._spent + self._cost <= SHARE * (time.perf_counter() - self._started):
            self.draw()

    def epoch(self, epoch, history):
        """After a finished epoch: its validation loss and accuracy, if train measured them."""
        if "val_loss" in history:
            for values, value in zip(self._validation, (epoch + 1, history["val_loss"][-1],
                                                        history["val_accuracy"][-1])):
                values.append(value)

    def finish(self):
        """Draw the last numbers, whenever the last drawing was; then the figure is an ordinary one
        again (nothing animated), so that a window drawn again later (another figure shown, a resize)
        still shows them, with no view left to draw them over its background."""
        if self._train[0]:
            self.draw()
        if self.figure is not None:
            for artist in self._moving:
                artist.set_animated(False)

    def draw(self):
        """Put the numbers recorded so far into the artists and show the figure. Only what changes is
        drawn again, over the background kept from the last full drawing (blitting); a full drawing
        is made the first time, when the loss outgrows its axis, and when a window is resized."""
        start = time.perf_counter()
        if self.figure is None:
            self._make_figure()
            if self._where == "window":       # opening a window is paid once, outside the share
                self.opening = time.perf_counter() - start
                start += self.opening
        for (train, validation), series in ((self._loss_lines, 1), (self._accuracy_lines, 2)):
            train.set_data(np.array(self._train[0]), np.array(self._train[series]))
            validation.set_data(np.array(self._validation[0]), np.array(self._validation[series]))
        highest = max(self._train[1] + self._validation[1])
        if self._loss_top is None or highest > self._loss_top:
            self._loss_top = 1.1 * highest
            self._loss_axes.set_ylim(0, self._loss_top)
            self._background = None               # new tick labels: the background is drawn again
        if self._digit_titles:
            answers = self.network.predict(self._digits)
            for title, answer, label in zip(self._digit_titles, answers, self._labels):
                title.set_text(f"{answer}" + ("" if answer == label else f" (is {label})"))
                title.set_color("green" if answer == label else "red")
            self._weights.set_data(self._mosaic())
        self._title.set_text(self._now)
        if self._background is None or not self.figure.canvas.supports_blit:
            self.figure.canvas.draw()             # the background, then the moving artists (_drawn)
        else:
            self.figure.canvas.restore_region(self._background)
            self._draw_moving()
        self._show()
        self.draws += 1
        cost = time.perf_counter() - start
        self._spent += cost
        self._cost = min(cost, FIRST_COST)    # the next one's guess: a first (or full) drawing costs the most

    def _drawn(self, event):
        """After any full drawing of the figure (the first, a new loss axis, a resized window): keep
        the background, without the moving artists, and draw those over it."""
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        self._draw_moving()

    def _draw_moving(self):
        for artist in self._moving:
            if artist is self._title:
                self.figure.draw_artist(artist)
            else:
                artist.axes.draw_artist(artist)


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


def png(figure):
    """The picture figure's canvas holds now (drawn already), as PNG bytes: fast to make
    (compression level 1), since training waits for it."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(figure.canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _shower(figure, where):
    """A function that shows what figure's canvas holds: in a window, the window repainted from it;
    in a notebook, one picture in the cell's output replaced in place (IPython's display handle). An
    ipympl widget would not do there: its picture reaches the browser only once the cell has ended,
    since the widget's first messages wait for the busy kernel; a picture is sent at once."""
    if where == "notebook":
        from IPython.display import Image, display
        handle = None

        def show():
            nonlocal handle
            picture = Image(data=png(figure), format="png")
            if handle is None:
                handle = display(picture, display_id=True)
            else:
                handle.update(picture)
        return show
    import matplotlib.pyplot as plt
    plt.figure(figure.number)
    plt.show(block=False)

    def show():
        figure.canvas.blit(figure.bbox)
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
