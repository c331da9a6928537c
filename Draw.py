"""Your own digits: make a drawing or a photo look like an MNIST digit, and a pad to draw on.

MNIST's digits were made by scaling each one to fit a 20x20 box (keeping its aspect ratio,
anti-aliased) and placing it in 28x28 so that its centre of mass sits at the centre. A network
trained on them expects exactly that, so preprocess_digit does the same to your image, one named
step at a time (a notebook can show each):

    grey = to_grey(image)            # 2-D, 0..1, whatever came in (uint8, float, RGB, RGBA)
    ink = extract_ink(grey)          # 0..1 ink on 0 background: polarity found, background and shadows removed
    ink = keep_digit(ink)            # printed lines (ruled, squared paper), frames, ticks, specks dropped
    ink = crop_to_ink(ink)           # the digit's bounding box
    ink = thicken_strokes(ink)       # a thin pen's lines grown to MNIST's stroke width
    small = scale_to_box(ink, 20)    # longer side 20 px, area averaging
    digit = centre_by_mass(small)    # in 28x28, centre of mass at (14, 14), brightest ink 255

preprocessing_steps(image) returns every step by name, and Plots.plot_preprocessing shows them. The
general image operations the steps use (a background surface, line removal, connected pieces,
stroke width, a max filter, area resizing) are in Images.py.

load_digit_image(path) does it for a PNG or JPEG file; DigitPad(network) is an interactive
figure to draw in (a desktop window, or a notebook with %matplotlib widget).
NumPy and matplotlib only. Nothing here changes the arrays it is given.
"""
from pathlib import Path

import numpy as np

import Plots
from Images import (area_resize_matrix, background_surface, label_pieces, max_filter, neighbour_count, remove_lines,
                    shadow, stroke_width)

MNIST_SIDE = 28          # MNIST's images are 28x28 ...
MNIST_BOX = 20           # ... with the digit scaled to fit 20x20 ...
MNIST_CENTRE = 14.0      # ... and its centre of mass at row 14, column 14 (pixel indices from 0).
# MNIST's strokes, measured on its 10,000 test digits as they are (the digit's longer side is the
# 20 px box) with stroke_width: median 2.0 px (10th percentile 1.5, 90th 2.8); ink pixels mostly
# near full strength (70% of them >= 128 of 255). As a share of the box: 0.1.
MNIST_STROKE = 2.0 / MNIST_BOX


def preprocess_digit(image):
    """A (784,) float32 array of pixels 0..255 that looks like an MNIST digit made from image.

    image: a 2-D grey array, or (H, W, 3) RGB or (H, W, 4) RGBA, of any size; integers 0..255 or
    floats 0..1. Bright ink on dark (a drawing pad) or dark ink on a light, possibly uneven and
    noisy background (a photo or scan of paper): which one is detected. The caller's array is
    not changed. Raises ValueError for no ink, NaN or infinite values, or a wrong shape.
    """
    return preprocessing_steps(image)["centred"].reshape(-1)


def preprocessing_steps(image):
    """Every step of preprocess_digit, in order, as {name: 2-D array} (Plots.plot_preprocessing shows them)."""
    steps = {"grey": to_grey(image)}                         # 0..1, whatever came in
    steps["ink"] = extract_ink(steps["grey"])                # ink 0..1 on exact 0: polarity, background, shadow
    steps["digit"] = keep_digit(steps["ink"])                # printed lines, frames, specks dropped
    steps["cropped"] = crop_to_ink(steps["digit"])           # the digit's bounding box
    steps["strokes"] = thicken_strokes(steps["cropped"])     # thin pen lines grown to MNIST's width
    steps["scaled"] = scale_to_box(steps["strokes"], MNIST_BOX)   # longer side 20 px
    steps["centred"] = centre_by_mass(steps["scaled"])       # 28x28, centre of mass at (14, 14), 0..255
    return steps


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
    background_surface) is subtracted, which removes uneven lighting, and then a shadow if there is
    one (see shadow), which is broader than any stroke but too local for the surface. Noise: what is left of the
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
    residual -= np.clip(shadow(residual), 0.0, None)
    peak = residual.max()
    if peak <= max(6 * sigma, 0.05):
        raise ValueError("no ink found: the image is blank (one grey level throughout, or only noise), or a "
                         "digit fills all of it: crop it with some paper left around the digit")
    # 2% of the peak: rounding leaves a clean background a hair above the fitted surface.
    ink = np.clip(residual - max(4 * sigma, 0.02 * peak), 0.0, None)
    ink[neighbour_count(ink > 0) == 0] = 0.0                 # isolated specks are noise
    return ink / ink.max()


def keep_digit(ink):
    """The digit's ink alone (a new array): printed lines, frames, ticks and specks removed.

    What is dropped, and how it is found:
    - printed lines (ruled and squared paper, up to 4 degrees off horizontal or vertical), found and
      taken off by remove_lines: lines with ink across most of the picture that are lighter than
      the digit; a stroke that crosses one stays whole, since it is darker than the line;
    - everything not part of the digit: of the connected pieces of ink left (label_pieces), the
      digit is the one with the most ink weighted by closeness to the centre (pieces as wide or
      tall as most of the picture do not count); pieces that hold at least 2% of its ink, do not
      enclose it (a frame does) and come within a tenth of its size join it, one after another (a
      5's cap, a pen line broken in the photo); frames, ticks, stray marks and specks are dropped.
    A clean digit (one piece, no lines) comes back unchanged.
    """
    ink = remove_lines(ink)
    labels, count = label_pieces(ink > 0)
    if count == 0:
        raise ValueError("no ink found: only straight lines (ruled or squared paper), no digit")
    height, width = ink.shape
    mass = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=count + 1)
    rows, columns = np.nonzero(labels)
    pieces = labels[rows, columns]
    top = np.full(count + 1, height)
    left = np.full(count + 1, width)
    np.minimum.at(top, pieces, rows)
    np.minimum.at(left, pieces, columns)
    bottom, right = np.zeros(count + 1, int), np.zeros(count + 1, int)
    np.maximum.at(bottom, pieces, rows)
    np.maximum.at(right, pieces, columns)
    distance = np.hypot((rows + 0.5) / height - 0.5, (columns + 0.5) / width - 0.5)
    score = np.bincount(pieces, weights=ink[rows, columns] * np.exp(-(distance / 0.35) ** 2), minlength=count + 1)
    spans_picture = ((bottom - top + 1) > 0.85 * height) | ((right - left + 1) > 0.85 * width)
    score[spans_picture | (np.arange(count + 1) == 0)] = -1
    digit = int(np.argmax(score))
    if score[digit] < 0:
        digit = int(np.argmax(mass[1:])) + 1        # only picture-wide pieces: keep the heaviest
    encloses = (top <= top[digit]) & (bottom >= bottom[digit]) & (left <= left[digit]) & (right >= right[digit])
    candidates = (mass >= 0.02 * mass[digit]) & ~spans_picture & ~encloses       # (a frame encloses the digit)
    candidates[0] = False
    keep = np.zeros(count + 1, dtype=bool)
    keep[digit] = True
    box = [top[digit], bottom[digit], left[digit], right[digit]]
    while True:                    # pieces near the digit join it, and widen the box others may join
        reach = 0.1 * max(box[1] - box[0] + 1, box[3] - box[2] + 1)
        gap = np.maximum.reduce([top - box[1], box[0] - bottom, left - box[3], box[2] - right])
        joining = candidates & ~keep & (gap <= reach)
        if not joining.any():
            break
        keep |= joining
        box = [top[keep].min(), bottom[keep].max(), left[keep].min(), right[keep].max()]
    return np.where(keep[labels], ink, 0.0)


def crop_to_ink(ink):
    """The smallest rectangle of ink (a view) that holds every non-zero pixel."""
    rows = np.flatnonzero(ink.any(axis=1))
    columns = np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0:
        raise ValueError("no ink found: the image is blank")
    return ink[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1]


def thicken_strokes(ink):
    """ink (cropped to the digit) with strokes at least as wide, for its size, as MNIST's.

    A pen line on a large photo is a few pixels wide on a digit hundreds of pixels tall: scaled to
    the 20 px box it would be a faint 1-pixel trace, where MNIST's strokes are 2 px and solid. When
    the strokes are thinner than half of MNIST_STROKE times the digit's longer side, they
    are grown (a grey max filter, square) by the difference; strokes already that wide, or bolder,
    are left as they are (never thinned). Returns a new array, larger by the growth on each side.
    """
    target = MNIST_STROKE * max(ink.shape)
    now = stroke_width(ink)
    if now >= 0.5 * target:
        return ink
    grow = int(round((target - now) / 2))                       # pixels added on each side
    if grow < 1:
        return ink
    return max_filter(np.pad(ink, grow), 2 * grow + 1)


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


def pad_digit(drawing):
    """preprocess_digit for a drawing pad's picture: the same steps from crop_to_ink on, without the
    photo steps a pad does not need (a (784,) float32 array 0..255).

    A pad's drawing is ink 0..1 on exact zeros already: no paper, printed lines, frames or shadows to
    take off, so to_grey, extract_ink and keep_digit are left out. They cost a 280x280 drawing about
    25 ms, this under 1 ms (benchmarks/pad.py), which lets DigitPad keep up with the pen. Every mark
    on the pad counts as ink (clear it to start again); a photo needs preprocess_digit.
    """
    ink = crop_to_ink(_checked_drawing(drawing))
    small = scale_to_box(thicken_strokes(ink), MNIST_BOX)
    return centre_by_mass(small).reshape(-1)


def _checked_drawing(drawing):
    """drawing as a new 2-D float64 array, or the error that says what pad_digit takes instead."""
    takes = "pad_digit takes a drawing pad's picture: a 2-D array of ink 0..1 on 0 (DigitPad's canvas_image)"
    array = np.asarray(drawing)
    if not (array.dtype == bool or np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{takes}, got dtype {array.dtype}")
    if array.ndim != 2:
        hint = " (an RGB picture, a photo or a scan: preprocess_digit reads those)" if array.ndim == 3 else \
            " (a flat 784 image is what pad_digit returns: reshape(28, 28) to look at one)" if array.ndim == 1 else ""
        raise ValueError(f"{takes}, got shape {array.shape}{hint}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{takes}, got NaN or infinite values")
    if array.min() < 0 or array.max() > 1:
        raise ValueError(f"{takes}, got values from {array.min():g} to {array.max():g} (a picture 0..255 or dark "
                         f"ink on white paper: preprocess_digit reads those)")
    return array.astype(np.float64)


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


def top_classes(probabilities, count=3):
    """'7 96.1%, 1 2.3%, 9 0.8%': the count most likely classes with their share of the outputs."""
    shares = Plots.output_shares(probabilities)
    return ", ".join(f"{c} {100 * shares[c]:.1f}%" for c in np.argsort(-shares)[:count])


class DigitPad:
    """An interactive figure: draw a digit with the mouse and watch the network read it.

    Left button: draw. The Clear button under the drawing, the right button or the key 'c': clear.
    Beside the drawing, the 28x28 image the network sees (pad_digit of the drawing: preprocess_digit
    without the photo steps, under 1 ms) and a bar chart of its 10 outputs, updated as you draw
    (artists updated in place, draw_idle: no flicker, works with ipympl too). Each mouse event costs
    a stroke, pad_digit and one prediction; the backend draws the figure when it is free (a
    window's idle time, the browser's next frame in Jupyter), so the picture is never more than one
    drawing behind the pen, and the last one is for the finished drawing.
    pad.explain() draws why the network gave its answer (Plots.plot_explanation).

    figure, drawing_axes: the matplotlib Figure and the Axes drawn in.
    canvas_image: the raw drawing, a (size, size) float array, ink 1 on 0.
    probabilities: the network's last (10,) output, None before any ink.
    pen_width: the pen's diameter as a fraction of the pad's side. The default, 0.11, gives a digit
        drawn about three quarters of the pad's height strokes that, once scaled to 20 px, hold
        about as much ink as MNIST's digits (measured on a 1, a 0 and a 7: 0.83, 0.86 and 1.17
        times the mean of MNIST's training digits of their class).
    report: a function given each finished drawing's answer as text when the pen lifts, e.g. print
        (python MNIST.py --draw): '7  (7 96.1%, 1 2.3%, 9 0.8%)'.
    Keep a reference to the pad: matplotlib holds its event handlers weakly.
    """

    def __init__(self, network, size=280, pen_width=0.11, report=None):
        import matplotlib.pyplot as plt
        from matplotlib.widgets import Button
        kind = Plots.display_kind()
        if kind != "interactive":                   # a pad nobody can draw on: say so, and what to do
            from Diagnostics import warn_at_caller
            warn_at_caller(UserWarning(still_pad_message(kind)))
        if not callable(getattr(network, "predict_proba", None)):
            hint = " (a file's path: load it first, DigitPad(NeuralNetwork.load(path)))" \
                if isinstance(network, (str, Path)) else ""
            raise TypeError(f"DigitPad needs a network to read the drawing, such as NeuralNetwork.load('model.npz') "
                            f"or one you trained; got {network!r}{hint}")
        self.network, self.report = network, report
        self.canvas_image = np.zeros((size, size))
        self.probabilities = None
        self.pen_radius = pen_width * size / 2
        self._last = None                                    # the pen's last point while drawing
        layout = dict(figsize=(9.4, 3.3), gridspec_kw={"width_ratios": [1.2, 1, 1.4]})   # fits a notebook
        self.figure, (self.drawing_axes, self._seen_axes, bar_axes) = plt.subplots(1, 3, **layout)
        self._drawing = self.drawing_axes.imshow(self.canvas_image, cmap="gray", vmin=0, vmax=1,
                                                 extent=(0, size, size, 0))
        self.drawing_axes.set_title("draw here with the left button", fontsize=9)
        self._seen = self._seen_axes.imshow(np.zeros((MNIST_SIDE, MNIST_SIDE)), cmap="gray", vmin=0, vmax=255)
        self._seen_axes.set_title("what the network sees", fontsize=9)
        for ax in (self.drawing_axes, self._seen_axes):
            ax.set_xticks([])
            ax.set_yticks([])
        self._bars = Plots.output_bars(bar_axes, None)
        self._bar_axes = bar_axes
        self.figure.tight_layout()
        self.figure.subplots_adjust(bottom=0.16)
        box = self.drawing_axes.get_position()
        self._clear_axes = self.figure.add_axes((box.x0, 0.02, box.width, 0.09))
        self.clear_button = Button(self._clear_axes, "Clear (right click, c)")
        self.clear_button.on_clicked(lambda event: self.clear())
        canvas = self.figure.canvas
        Plots.whole_frames(self.figure)                    # no stale pixels in Jupyter
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

    def explain(self):
        """Why the network reads the drawing as it does: Plots.plot_explanation of the 28x28 digit it
        sees, as a new figure (in a notebook, the cell shows it)."""
        if not self.canvas_image.any():
            raise ValueError("the pad is empty: draw a digit first, then call pad.explain()")
        return Plots.plot_explanation(self.network, pad_digit(self.canvas_image))

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
            digit = pad_digit(self.canvas_image)
            self.probabilities = self.network.predict_proba(digit.reshape(1, -1))[0]
            self._seen.set_data(digit.reshape(MNIST_SIDE, MNIST_SIDE))
            for bar, share in zip(self._bars, Plots.output_shares(self.probabilities)):
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
        if self._last is None:
            return
        self._last = None
        if self.report is not None and self.probabilities is not None:
            self.report(f"{int(np.argmax(self.probabilities))}  ({top_classes(self.probabilities)})")

    def _on_key(self, event):
        if event.key == "c":
            self.clear()


def still_pad_message(kind):
    """Why a DigitPad made here cannot be drawn on (kind: Plots.display_kind(), None or 'inline')."""
    import matplotlib
    if kind == "inline":
        return ("DigitPad: %matplotlib inline shows the pad as a still picture, which takes no mouse. Run "
                "%matplotlib widget (pip install ipympl) in a cell before making the pad.")
    return (f"DigitPad: matplotlib's backend is {matplotlib.get_backend()!r}, which shows no window and takes no "
            f"mouse, so nothing can be drawn on this pad. In Jupyter, run %matplotlib widget first (pip install "
            f"ipympl); from a terminal, python MNIST.py --draw opens the pad in a window.")


def no_display_message():
    """Why the pad cannot open here, and how to get a backend that can show it."""
    import os

    import matplotlib
    asked = os.environ.get("MPLBACKEND", "")
    fell_back = f" (MPLBACKEND={asked} asks for a window, but no display could be opened for it)" \
        if asked and asked.lower() != matplotlib.get_backend().lower() else ""
    return (f"cannot open the drawing pad: matplotlib's backend is {matplotlib.get_backend()!r}{fell_back}, which has "
            f"no window and no mouse (there is no display here). Run it in a desktop session, where "
            f"matplotlib picks TkAgg, QtAgg or macosx (or choose one with MPLBACKEND=TkAgg), or draw in "
            f"Jupyter: `pip install ipympl`, then `%matplotlib widget` and "
            f"`from Draw import DigitPad; pad = DigitPad(network)`.")
