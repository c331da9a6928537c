"""Your own digits: make a drawing or a photo look like an MNIST digit, and a pad to draw on.

MNIST's digits were made by scaling each one to fit a 20x20 box (keeping its aspect ratio,
anti-aliased) and placing it in 28x28 so that its centre of mass sits at the centre. A network
trained on them expects exactly that, so preprocess_digit does the same to your image, one named
step at a time (a notebook can show each):

    grey = to_grey(image)            # 2-D, 0..1, whatever came in (uint8, float, RGB, RGBA)
    ink = extract_ink(grey)          # 0..1 ink on 0 background: polarity found, background removed
    ink = crop_to_ink(ink)           # the ink's bounding box
    small = scale_to_box(ink, 20)    # longer side 20 px, area averaging
    digit = centre_by_mass(small)    # in 28x28, centre of mass at (14, 14), brightest ink 255

load_digit_image(path) does it for a PNG or JPEG file; DigitPad(network) is an interactive
figure to draw in (a desktop window, or a notebook with %matplotlib widget).
NumPy and matplotlib only. Nothing here changes the arrays it is given.
"""
from pathlib import Path

import numpy as np

from Plots import NON_INTERACTIVE_BACKENDS

MNIST_SIDE = 28          # MNIST's images are 28x28 ...
MNIST_BOX = 20           # ... with the digit scaled to fit 20x20 ...
MNIST_CENTRE = 14.0      # ... and its centre of mass at row 14, column 14 (pixel indices from 0).


def preprocess_digit(image):
    """A (784,) float32 array of pixels 0..255 that looks like an MNIST digit made from image.

    image: a 2-D grey array, or (H, W, 3) RGB or (H, W, 4) RGBA, of any size; integers 0..255 or
    floats 0..1. Bright ink on dark (a drawing pad) or dark ink on a light, possibly uneven and
    noisy background (a photo or scan of paper): which one is detected. The caller's array is
    not changed. Raises ValueError for no ink, NaN or infinite values, or a wrong shape.
    """
    return centre_by_mass(scale_to_box(crop_to_ink(extract_ink(to_grey(image))), MNIST_BOX)).reshape(-1)


def to_grey(image):
    """The image as a new 2-D float64 array of grey levels 0 (black) .. 1 (white).

    Integer images are divided by 255 (16-bit ones by 65535); float images are taken as 0..1
    (or 0..255 if their maximum is above 1). RGB becomes luminance 0.299 R + 0.587 G + 0.114 B; RGBA is first laid
    over white, so a transparent background counts as paper.
    """
    array = np.asarray(image)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"image must be an array of numbers, got dtype {array.dtype}")
    if array.ndim != 2 and not (array.ndim == 3 and array.shape[2] in (3, 4)):
        raise ValueError(f"image must be 2-D (grey) or (height, width, 3 or 4) (RGB or RGBA), got shape {array.shape}")
    if array.shape[0] < 2 or array.shape[1] < 2:
        raise ValueError(f"image is too small to hold a digit: shape {array.shape}")
    if np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        raise ValueError("image contains NaN or infinite values")
    grey = array.astype(np.float64)
    if grey.max() > 255:                                     # 16-bit images
        grey = grey / np.iinfo(array.dtype).max if np.issubdtype(array.dtype, np.integer) else grey / grey.max()
    elif np.issubdtype(array.dtype, np.integer) or grey.max() > 1:
        grey = grey / 255.0
    if grey.ndim == 3:
        alpha = grey[..., 3] if grey.shape[2] == 4 else 1.0
        grey = (grey[..., :3] @ np.array([0.299, 0.587, 0.114])) * alpha + (1 - alpha)    # over white
    return np.clip(grey, 0.0, 1.0)


def extract_ink(grey):
    """Ink 0..1 on a background of exact zeros, from grey levels 0..1 (a new array).

    Polarity: the background is most of the picture, so its level is the median grey, and the ink
    is the extreme farther from it: dark ink (on paper, the picture is inverted) when the darkest
    grey is farther below the median than the lightest is above it, bright ink otherwise.
    Background: a smooth surface fitted to the picture with the ink left out (see
    background_surface) is subtracted, which removes uneven lighting. Noise: what is left of the
    background has a spread sigma (from the median absolute deviation); 4 sigma (at least 2% of
    the brightest ink) is subtracted from every pixel (anything weaker becomes 0) and single
    pixels with no inked neighbour are dropped, so that noise never widens the digit's box. The
    result is scaled so that the brightest ink is 1. No ink (nothing 6 sigma, and at least 0.05,
    above the background) is a ValueError.
    """
    level = np.median(grey)
    signal = 1.0 - grey if level - grey.min() > grey.max() - level else grey.copy()
    background, sigma = background_surface(signal)
    residual = signal - background
    peak = residual.max()
    if peak <= max(6 * sigma, 0.05):
        raise ValueError("no ink found: the image is blank (one grey level throughout, or only noise)")
    # 2% of the peak: rounding leaves a clean background a hair above the fitted surface.
    ink = np.clip(residual - max(4 * sigma, 0.02 * peak), 0.0, None)
    ink[neighbour_count(ink > 0) == 0] = 0.0                 # isolated specks are noise
    return ink / ink.max()


def background_surface(signal, rounds=5):
    """The background of signal (ink bright) as a quadratic surface in (row, column), and the spread
    sigma of the background pixels around it.

    Fitted by least squares to the darker half of a grid of at most about 4,000 pixels, then again
    to only those that do not stand out above the fit by more than 2.5 sigma, rounds times: the
    ink, a bright minority however dense it is locally, drops out, and the gentle shading of
    paper remains.
    """
    height, width = signal.shape
    step = max(1, int(np.sqrt(height * width / 4000)))

    def basis(rows, columns):
        y, x = rows / height - 0.5, columns / width - 0.5
        return np.stack([np.ones_like(y), y, x, y * y, x * y, x * x], axis=-1)

    rows, columns = np.mgrid[0:height:step, 0:width:step].astype(np.float64)
    B = basis(rows.ravel(), columns.ravel())                          # (points, 6)
    values = signal[::step, ::step].ravel()
    background = values <= np.median(values)        # a start: the ink is a bright minority
    for _ in range(rounds):
        coefficients = np.linalg.lstsq(B[background], values[background], rcond=None)[0]
        residual = values - B @ coefficients
        sigma = 1.4826 * np.median(np.abs(residual[background] - np.median(residual[background])))
        background = residual <= 2.5 * sigma + 1e-12
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float64)
    return basis(rows, columns) @ coefficients, sigma


def neighbour_count(mask):
    """For each pixel, how many of its 8 neighbours are True."""
    padded = np.pad(mask.astype(np.int8), 1)
    height, width = mask.shape
    return sum(padded[1 + dr:1 + dr + height, 1 + dc:1 + dc + width]
               for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)


def crop_to_ink(ink):
    """The smallest rectangle of ink (a view) that holds every non-zero pixel."""
    rows = np.flatnonzero(ink.any(axis=1))
    columns = np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0:
        raise ValueError("no ink found: the image is blank")
    return ink[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1]


def area_resize_matrix(n_in, n_out, scale):
    """R (n_out, n_in) with R[i, j] = overlap of output pixel i with input pixel j, over the output pixel's width.

    Output pixel i covers the input interval [offset + i scale, offset + (i + 1) scale), centred on
    the input; R @ x averages x over that interval (area averaging: anti-aliased, never skipping
    pixels as nearest-neighbour does, and exact for any scale, up or down).
    """
    offset = (n_in - n_out * scale) / 2
    starts = offset + scale * np.arange(n_out)[:, None]          # (n_out, 1)
    pixel = np.arange(n_in)[None, :]                             # (1, n_in)
    overlap = np.minimum(starts + scale, pixel + 1) - np.maximum(starts, pixel)
    return np.clip(overlap, 0, None) / scale


def scale_to_box(ink, box=MNIST_BOX):
    """ink scaled so that its longer side is box pixels, keeping the aspect ratio (area averaging)."""
    height, width = ink.shape
    scale = max(height, width) / box                             # input pixels per output pixel
    out_height, out_width = (max(1, int(round(n / scale))) for n in (height, width))
    return area_resize_matrix(height, out_height, scale) @ ink @ area_resize_matrix(width, out_width, scale).T


def centre_by_mass(small, side=MNIST_SIDE, centre=MNIST_CENTRE):
    """small placed in a side x side float32 image so that its intensity centre of mass lands at
    (centre, centre), to the nearest whole pixel and without leaving the image; brightest pixel 255."""
    height, width = small.shape
    mass = small.sum()
    row_mass = (small.sum(axis=1) * np.arange(height)).sum() / mass
    column_mass = (small.sum(axis=0) * np.arange(width)).sum() / mass
    top = int(np.clip(round(centre - row_mass), 0, side - height))
    left = int(np.clip(round(centre - column_mass), 0, side - width))
    digit = np.zeros((side, side), dtype=np.float32)
    digit[top:top + height, left:left + width] = small * (255.0 / small.max())
    return digit


def load_digit_image(path):
    """preprocess_digit of the PNG or JPEG file at path: a (784,) float32 array 0..255."""
    return preprocess_digit(read_image(path))


def read_image(path):
    """The pixels of the image file at path, as matplotlib reads them (PNG natively, JPEG via Pillow)."""
    import matplotlib.image
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no image file at {path}")
    try:
        return matplotlib.image.imread(path)
    except Exception as error:       # Pillow and matplotlib raise many kinds for a bad file
        raise ValueError(f"cannot read {path} as an image ({type(error).__name__}: {error})") from error


def output_shares(probabilities):
    """Each output's share of their sum, p_c / sum_j p_j: a Softmax network's probabilities as they are,
    a Sigmoid network's ten independent outputs made comparable. The printed line and the bars show these."""
    shares = np.asarray(probabilities, dtype=np.float64)
    return shares / shares.sum()


def top_classes(probabilities, count=3):
    """'7 96.1%, 1 2.3%, 9 0.8%': the count most likely classes with their share of the outputs."""
    shares = output_shares(probabilities)
    return ", ".join(f"{c} {100 * shares[c]:.1f}%" for c in np.argsort(-shares)[:count])


def plot_digit_predictions(names, images, digits, probabilities):
    """Per file, one row: the image as given, the 28x28 the network saw, and its 10 outputs."""
    import matplotlib.pyplot as plt
    layout = dict(figsize=(9, 2.6 * len(names)), gridspec_kw={"width_ratios": [1, 1, 1.6]})   # pragma: no mutate
    fig, axes = plt.subplots(len(names), 3, squeeze=False, **layout)
    for (given, seen, bars), name, image, digit, p in zip(axes, names, images, digits, probabilities):
        given.imshow(image, cmap="gray" if np.ndim(image) == 2 else None)
        given.set_title(name, fontsize=9)                                     # pragma: no mutate
        seen.imshow(digit.reshape(MNIST_SIDE, MNIST_SIDE), cmap="gray", vmin=0, vmax=255)
        seen.set_title("what the network sees (28x28)", fontsize=9)          # pragma: no mutate
        for ax in (given, seen):
            ax.set_xticks([])
            ax.set_yticks([])
        _output_bars(bars, p)
    fig.tight_layout()
    return fig


def _output_bars(ax, probabilities):
    """A bar chart of the network's 10 outputs on ax, as shares of their sum (the figures top_classes
    prints), titled with the prediction; returns the bars."""
    heights = output_shares(probabilities) if probabilities is not None else np.zeros(10)
    bars = ax.bar(range(10), heights, color="tab:blue")                       # pragma: no mutate
    ax.set_xticks(range(10))
    ax.set_ylim(0, 1)
    ax.set_xlabel("digit")
    ax.set_ylabel("share of the outputs")
    ax.set_title("draw a digit" if probabilities is None else f"prediction: {int(np.argmax(probabilities))}")
    return bars


class DigitPad:
    """An interactive figure: draw a digit with the mouse and watch the network read it.

    Left button: draw. Right button or the key 'c': clear. Beside the drawing, the 28x28 image
    the network sees (preprocess_digit of the drawing) and a bar chart of its 10 outputs, updated
    as you draw (artists updated in place, draw_idle: no flicker, works with ipympl too).

    figure, drawing_axes: the matplotlib Figure and the Axes drawn in.
    canvas_image: the raw drawing, a (size, size) float array, ink 1 on 0.
    probabilities: the network's last (10,) output, None before any ink.
    pen_width: the pen's diameter as a fraction of the pad's side. The default, 0.11, gives a digit
        drawn about three quarters of the pad's height strokes that, once scaled to 20 px, hold
        about as much ink as MNIST's digits (measured on a 1, a 0 and a 7: 0.83, 0.86 and 1.17
        times the mean of MNIST's training digits of their class).
    Keep a reference to the pad: matplotlib holds its event handlers weakly.
    """

    def __init__(self, network, size=280, pen_width=0.11):
        import matplotlib.pyplot as plt
        self.network = network
        self.canvas_image = np.zeros((size, size))
        self.probabilities = None
        self.pen_radius = pen_width * size / 2
        self._last = None                                    # the pen's last point while drawing
        layout = dict(figsize=(11, 3.8), gridspec_kw={"width_ratios": [1.2, 1, 1.4]})   # pragma: no mutate
        self.figure, (self.drawing_axes, self._seen_axes, bar_axes) = plt.subplots(1, 3, **layout)
        self._drawing = self.drawing_axes.imshow(self.canvas_image, cmap="gray", vmin=0, vmax=1,
                                                 extent=(0, size, size, 0))
        self.drawing_axes.set_title("draw here (right click or 'c': clear)", fontsize=9)   # pragma: no mutate
        self._seen = self._seen_axes.imshow(np.zeros((MNIST_SIDE, MNIST_SIDE)), cmap="gray", vmin=0, vmax=255)
        self._seen_axes.set_title("what the network sees", fontsize=9)      # pragma: no mutate
        for ax in (self.drawing_axes, self._seen_axes):
            ax.set_xticks([])
            ax.set_yticks([])
        self._bars = _output_bars(bar_axes, None)
        self._bar_axes = bar_axes
        self.figure.tight_layout()
        canvas = self.figure.canvas
        self._connections = [canvas.mpl_connect("button_press_event", self._on_press),
                             canvas.mpl_connect("motion_notify_event", self._on_move),
                             canvas.mpl_connect("button_release_event", self._on_release),
                             canvas.mpl_connect("key_press_event", self._on_key)]

    def clear(self):
        """Wipe the drawing and the network's answer."""
        self.canvas_image[:] = 0
        self.probabilities = None
        self._last = None
        self._seen.set_data(np.zeros((MNIST_SIDE, MNIST_SIDE)))
        for bar in self._bars:
            bar.set_height(0)
        self._bar_axes.set_title("draw a digit")
        self._drawing.set_data(self.canvas_image)
        self.figure.canvas.draw_idle()

    def stroke(self, start, end):
        """Draw a line of the pen's width from start to end, (x, y) in pad pixels, with soft edges."""
        radius = self.pen_radius
        size = self.canvas_image.shape[0]
        (x0, y0), (x1, y1) = start, end
        left, right = int(max(0, min(x0, x1) - radius - 1)), int(min(size, max(x0, x1) + radius + 2))
        top, bottom = int(max(0, min(y0, y1) - radius - 1)), int(min(size, max(y0, y1) + radius + 2))
        if left >= right or top >= bottom:
            return
        ys, xs = np.mgrid[top:bottom, left:right] + 0.5               # pixel centres
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2, 0, 1) if length2 else 0.0
        distance = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))   # to the segment
        pen = np.clip(radius + 0.5 - distance, 0, 1)
        region = self.canvas_image[top:bottom, left:right]
        np.maximum(region, pen, out=region)

    def update(self):
        """Show the drawing, what the network sees and its outputs (after strokes made by hand)."""
        self._drawing.set_data(self.canvas_image)
        if self.canvas_image.any():
            digit = preprocess_digit(self.canvas_image)
            self.probabilities = self.network.predict_proba(digit.reshape(1, -1))[0]
            self._seen.set_data(digit.reshape(MNIST_SIDE, MNIST_SIDE))
            for bar, share in zip(self._bars, output_shares(self.probabilities)):
                bar.set_height(share)
            self._bar_axes.set_title(f"prediction: {int(np.argmax(self.probabilities))}")
        self.figure.canvas.draw_idle()

    def _on_press(self, event):
        if event.inaxes is not self.drawing_axes:
            return
        if event.button == 3:
            self.clear()
        elif event.button == 1:
            self._last = (event.xdata, event.ydata)
            self.stroke(self._last, self._last)
            self.update()

    def _on_move(self, event):
        if self._last is None or event.inaxes is not self.drawing_axes:
            return
        point = (event.xdata, event.ydata)
        self.stroke(self._last, point)
        self._last = point
        self.update()

    def _on_release(self, event):
        self._last = None

    def _on_key(self, event):
        if event.key == "c":
            self.clear()


def interactive_backend():
    """True when matplotlib's backend can show windows and send mouse events (not Agg, PDF...)."""
    import matplotlib
    backend = matplotlib.get_backend().lower()
    return backend not in NON_INTERACTIVE_BACKENDS and "inline" not in backend


def no_display_message():
    """Why the pad cannot open here, and how to get a backend that can show it."""
    import matplotlib
    return (f"cannot open the drawing pad: matplotlib's backend is {matplotlib.get_backend()!r}, which has "
            f"no window and no mouse (there is no display here). Run it in a desktop session, where "
            f"matplotlib picks TkAgg, QtAgg or macosx (or choose one with MPLBACKEND=TkAgg), or draw in "
            f"Jupyter: `pip install ipympl`, then `%matplotlib widget` and `pad = DigitPad(network)`.")
