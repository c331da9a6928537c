"""Draw.py: your own digits made to look like MNIST's, image files, --predict, and the drawing pad."""
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import KeyEvent, MouseEvent

import Draw
from Draw import DigitPad, load_digit_image, preprocess_digit, scale_to_box

REPO = Path(__file__).resolve().parent.parent
N_DIGITS = 600


def enlarge(image, factor):
    """A 28x28 image enlarged factor times with bilinear interpolation."""
    side = int(28 * factor)
    source = (np.arange(side) + 0.5) / factor - 0.5
    M = np.clip(1 - np.abs(source[:, None] - np.arange(28)[None, :]), 0, None)     # (side, 28)
    return M @ image @ M.T


def drawn_like(image, rng):
    """A test digit enlarged 3-7x and put at a random place on a larger dark canvas, ink 0..1."""
    big = enlarge(image.reshape(28, 28) / 255.0, rng.uniform(3, 7))
    canvas = np.zeros((len(big) + rng.integers(20, 200), len(big) + rng.integers(20, 200)))
    top, left = rng.integers(0, canvas.shape[0] - len(big) + 1), rng.integers(0, canvas.shape[1] - len(big) + 1)
    canvas[top:top + len(big), left:left + len(big)] = big
    return canvas


def scan_like(image, rng):
    """Dark ink on light paper that is unevenly lit and noisy, like a photo of a digit on paper."""
    ink = np.clip(drawn_like(image, rng), 0, 1)
    rows, columns = np.mgrid[0:ink.shape[0], 0:ink.shape[1]]
    paper = 0.8 + 0.12 * (columns / ink.shape[1] - 0.5) + 0.08 * (rows / ink.shape[0] - 0.5)
    return np.clip(paper * (1 - 0.85 * ink) + rng.normal(0, 0.03, ink.shape), 0, 1)


def naive_resize(canvas):
    """The whole canvas sampled down to 28x28 (nearest pixel), 0..255: what a user might try first."""
    rows = (np.arange(28) * canvas.shape[0] / 28 + canvas.shape[0] / 56).astype(int)
    columns = (np.arange(28) * canvas.shape[1] / 28 + canvas.shape[1] / 56).astype(int)
    return 255 * canvas[rows][:, columns].reshape(-1)


def centre_and_side(digit):
    """Intensity centre of mass (row, column) and the longer side of the ink's box of a (784,) digit."""
    D = digit.reshape(28, 28).astype(np.float64)
    index = np.arange(28)
    centre = ((D.sum(1) * index).sum() / D.sum(), (D.sum(0) * index).sum() / D.sum())
    rows, columns = np.flatnonzero(D.any(1)), np.flatnonzero(D.any(0))
    return centre, max(rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1)


@pytest.fixture(scope="module")
def own_digit_accuracies(mnist, notes_network):
    """Accuracy of the notes' network on N_DIGITS test digits: untouched, drawn-like and scan-like
    (each preprocessed) and both naively resized; and the preprocessed digits' centres and sides."""
    _, (test_X, test_y) = mnist
    X, y = test_X[:N_DIGITS], test_y[:N_DIGITS]
    rng = np.random.default_rng(0)
    result = {"untouched": notes_network.evaluate(X, y), "centres": [], "sides": []}
    for name, make, invert in (("drawn", drawn_like, False), ("scan", scan_like, True)):
        canvases = [make(image, rng) for image in X]
        digits = np.array([preprocess_digit(canvas) for canvas in canvases])
        result[name] = notes_network.evaluate(digits, y)
        naive = np.array([naive_resize(1 - c if invert else c) for c in canvases])
        result[name + " naive"] = notes_network.evaluate(naive, y)
        for digit in digits:
            centre, side = centre_and_side(digit)
            result["centres"].append(centre)
            result["sides"].append(side)
    print({k: v for k, v in result.items() if k not in ("centres", "sides")})
    return result


def test_preprocessed_drawn_like_digits_score_within_1_5_points_of_the_untouched_ones(own_digit_accuracies):
    r = own_digit_accuracies
    assert r["drawn"] >= r["untouched"] - 1.5
    assert r["drawn naive"] < r["untouched"] - 50          # the lesson: without preprocessing, mostly wrong


def test_preprocessed_scan_like_digits_score_within_3_points_of_the_untouched_ones(own_digit_accuracies):
    r = own_digit_accuracies
    assert r["scan"] >= r["untouched"] - 3
    assert r["scan naive"] < r["untouched"] - 50


def test_preprocessed_digits_are_centred_by_mass_and_20_pixels_on_their_longer_side(own_digit_accuracies):
    centres = np.array(own_digit_accuracies["centres"])
    assert np.abs(centres - 14).max() <= 1.0
    assert set(own_digit_accuracies["sides"]) == {20}


def test_an_mnist_digit_given_as_it_is_comes_back_almost_unchanged(mnist):
    _, (test_X, _) = mnist
    for image in test_X[:50]:
        digit = preprocess_digit(image.reshape(28, 28))
        assert digit.shape == (784,) and digit.dtype == np.float32 and digit.max() == 255
        assert np.abs(digit - image).mean() < 3                  # of 0..255, per pixel


def test_grey_rgb_rgba_uint8_and_float_inputs_of_one_digit_agree(mnist):
    _, (test_X, _) = mnist
    ink = drawn_like(test_X[0], np.random.default_rng(1))
    paper = (255 * (1 - 0.9 * np.clip(ink, 0, 1))).astype(np.uint8)          # dark on white, uint8
    reference = preprocess_digit(paper)
    variants = {
        "float 0..1": paper / 255.0,
        "uint16": paper.astype(np.uint16) * 257,
        "rgb uint8": np.stack([paper] * 3, axis=-1),
        "rgba opaque": np.dstack([np.stack([paper] * 3, -1), np.full(paper.shape, 255, np.uint8)]),
        # black ink whose opacity is the ink, on a transparent (black) background: PNGs of drawing apps
        "rgba transparent": np.dstack([np.zeros(paper.shape + (3,)), 0.9 * np.clip(ink, 0, 1)]),
    }
    for name, image in variants.items():
        copy = image.copy()
        np.testing.assert_allclose(preprocess_digit(image), reference, atol=2.0, err_msg=name)
        np.testing.assert_array_equal(image, copy, err_msg=f"{name} was changed")


def test_scaling_averages_areas_instead_of_picking_pixels():
    checkerboard = (np.indices((40, 40)).sum(0) % 2).astype(float)
    np.testing.assert_allclose(scale_to_box(checkerboard, 20), 0.5)          # nearest-neighbour: 0s or 1s
    wide = np.ones((10, 40))
    small = scale_to_box(wide, 20)
    assert small.shape == (5, 20)
    np.testing.assert_allclose(small, 1.0)
    assert scale_to_box(np.ones((4, 2)), 20).shape == (20, 10)                 # small drawings grow


@pytest.mark.parametrize("image, error, message", [
    (np.zeros((50, 50)), ValueError, "no ink found: the image is blank (one grey level throughout, or only noise)"),
    (np.full((50, 50), 0.7), ValueError, "no ink found: the image is blank (one grey level throughout, or only noise)"),
    (np.random.default_rng(0).normal(0.8, 0.03, (80, 80)), ValueError,
     "no ink found: the image is blank (one grey level throughout, or only noise)"),
    (np.array([[0.0, np.nan], [1.0, 0.5]]), ValueError, "image contains NaN or infinite values"),
    (np.array([[0.0, np.inf], [1.0, 0.5]]), ValueError, "image contains NaN or infinite values"),
    (np.zeros(784), ValueError,
     "image must be 2-D (grey) or (height, width, 3 or 4) (RGB or RGBA), got shape (784,)"),
    (np.zeros((5, 5, 2)), ValueError,
     "image must be 2-D (grey) or (height, width, 3 or 4) (RGB or RGBA), got shape (5, 5, 2)"),
    (np.zeros((1, 40)), ValueError, "image is too small to hold a digit: shape (1, 40)"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "image must be an array of numbers, got dtype <U1"),
])
def test_bad_images_get_a_clear_error(image, error, message):
    with pytest.raises(error) as raised:
        preprocess_digit(image)
    assert str(raised.value) == message


def test_image_files_are_read_in_either_polarity_and_bad_files_are_named(mnist, tmp_path):
    _, (test_X, _) = mnist
    ink = drawn_like(test_X[0], np.random.default_rng(2))
    expected = preprocess_digit(ink)
    plt.imsave(tmp_path / "pad.png", ink, cmap="gray", vmin=0, vmax=1)
    plt.imsave(tmp_path / "paper.jpg", 1 - 0.8 * ink, cmap="gray", vmin=0, vmax=1)
    np.testing.assert_allclose(load_digit_image(tmp_path / "pad.png"), expected, atol=3)
    # JPEG's artefacts may move the centre of mass across a pixel boundary: compare up to a 1 px shift.
    jpeg = load_digit_image(tmp_path / "paper.jpg").reshape(28, 28)
    assert min(np.abs(np.roll(jpeg, (dr, dc), axis=(0, 1)) - expected.reshape(28, 28)).mean()
               for dr in (-1, 0, 1) for dc in (-1, 0, 1)) < 5
    with pytest.raises(FileNotFoundError, match=f"no image file at {tmp_path / 'missing.png'}"):
        load_digit_image(tmp_path / "missing.png")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(ValueError, match=f"cannot read {tmp_path / 'broken.png'} as an image"):
        load_digit_image(tmp_path / "broken.png")


def test_predict_on_png_files_names_the_right_digits(mnist, notes_network, demo, tmp_path, capsys):
    _, (test_X, test_y) = mnist
    rng = np.random.default_rng(3)
    model = tmp_path / "notes.npz"
    notes_network.save(model)
    files, expected = [], []
    for k in range(6):                         # digits the network gets right as they are
        image, label = test_X[k], test_y[k]
        assert notes_network.predict(image.reshape(1, -1))[0] == label
        path = tmp_path / f"digit{k}_{'pad' if k % 2 else 'paper'}.png"
        canvas = drawn_like(image, rng)
        plt.imsave(path, canvas if k % 2 else 1 - 0.8 * np.clip(canvas, 0, 1), cmap="gray", vmin=0, vmax=1)
        files.append(str(path))
        expected.append(label)
    demo(["--load-model", str(model), "--predict", *files, "--figure-dir", str(tmp_path), "--plots", "history"])
    out = capsys.readouterr().out
    for path, label in zip(files, expected):
        line = next(line for line in out.splitlines() if line.startswith(path + ": "))
        assert line.startswith(f"{path}: {label}  ({label} ")
        assert line.count("%") == 3
    assert (tmp_path / "mnist_digits.png").stat().st_size > 10000


def test_predict_reports_unreadable_files_and_exits_non_zero(small_network, demo, tmp_path, capsys):
    model = tmp_path / "small.npz"
    small_network.save(model)
    with pytest.raises(SystemExit, match="1 of the 1 image files could not be read"):
        demo(["--load-model", str(model), "--no-plot",
              "--predict", str(tmp_path / "nothing.png")])
    assert f"{tmp_path / 'nothing.png'}: error: no image file at {tmp_path / 'nothing.png'}" in capsys.readouterr().err


@pytest.mark.process
def test_draw_without_a_display_says_why_and_exits_non_zero_at_once(tmp_path):
    environment = {**os.environ, "MPLBACKEND": "Agg"}
    environment.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, str(REPO / "MNIST.py"), "--draw", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, env=environment, cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot open the drawing pad: matplotlib's backend is 'agg'" in result.stderr.lower()
    assert "%matplotlib widget" in result.stderr
    assert "Loaded MNIST" not in result.stdout                 # it did not load data or train first


# The pad, driven headlessly by synthetic events on an Agg canvas.

def send_mouse(pad, name, x, y, button=1):
    """A MouseEvent at data coordinates (x, y) of the drawing axes, sent through the canvas's callbacks."""
    canvas = pad.figure.canvas
    px, py = pad.drawing_axes.transData.transform((x, y))
    event = MouseEvent(name, canvas, px, py, button=None if name == "motion_notify_event" else button)
    canvas.callbacks.process(name, event)


def draw_polyline(pad, points):
    send_mouse(pad, "button_press_event", *points[0])
    for point in points[1:]:
        send_mouse(pad, "motion_notify_event", *point)
    send_mouse(pad, "button_release_event", *points[-1])


@pytest.fixture
def pad(small_network):
    """A pad on an Agg canvas whose draw_idle only counts its calls: a GUI canvas merely schedules a
    redraw there, while Agg's would render the whole figure after every mouse event (0.2 s each)."""
    pad = DigitPad(small_network)
    pad.figure.canvas.draw()
    pad.redraws = 0

    def draw_idle():
        pad.redraws += 1
    pad.figure.canvas.draw_idle = draw_idle
    yield pad
    plt.close(pad.figure)


def test_a_stroke_drawn_with_the_mouse_inks_the_canvas_and_updates_the_answer_in_place(pad, small_network):
    assert pad.probabilities is None and not pad.canvas_image.any()
    artists_before = len(pad.figure.axes), len(pad.figure.axes[2].patches)
    draw_polyline(pad, [(140, 40), (140, 100), (140, 160), (140, 240)])             # a "1"
    assert pad.canvas_image.shape == (280, 280) and pad.canvas_image.max() == 1
    assert pad.canvas_image[40:240, 140].min() == 1 and pad.canvas_image[:, :100].max() == 0
    expected = small_network.predict_proba(preprocess_digit(pad.canvas_image).reshape(1, -1))[0]
    np.testing.assert_array_equal(pad.probabilities, expected)
    assert int(np.argmax(pad.probabilities)) == 1
    heights = [bar.get_height() for bar in pad.figure.axes[2].patches]
    np.testing.assert_allclose(heights, expected)
    assert pad.figure.axes[2].get_title() == "prediction: 1"
    assert (len(pad.figure.axes), len(pad.figure.axes[2].patches)) == artists_before
    assert pad.redraws == 4                    # one redraw asked for per press and move
    np.testing.assert_array_equal(pad.figure.axes[0].images[0].get_array(), pad.canvas_image)
    np.testing.assert_array_equal(pad.figure.axes[1].images[0].get_array(),
                                  preprocess_digit(pad.canvas_image).reshape(28, 28))


def test_motion_without_a_pressed_button_or_outside_the_pad_draws_nothing(pad):
    send_mouse(pad, "motion_notify_event", 100, 100)
    canvas = pad.figure.canvas
    outside = MouseEvent("button_press_event", canvas, 1, 1, button=1)       # the figure's corner
    canvas.callbacks.process("button_press_event", outside)
    assert not pad.canvas_image.any() and pad.probabilities is None


def test_right_click_the_c_key_and_clear_wipe_the_drawing_and_the_answer(pad):
    for wipe in ("right click", "key c", "clear()"):
        draw_polyline(pad, [(60, 60), (200, 60), (120, 230)])                      # a "7"
        assert pad.canvas_image.any() and pad.probabilities is not None
        if wipe == "right click":
            send_mouse(pad, "button_press_event", 100, 100, button=3)
        elif wipe == "key c":
            pad.figure.canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", pad.figure.canvas, "c"))
        else:
            pad.clear()
        assert not pad.canvas_image.any() and pad.probabilities is None, wipe
        assert all(bar.get_height() == 0 for bar in pad.figure.axes[2].patches)


def test_the_pens_strokes_are_as_wide_as_mnists_after_preprocessing(pad, mnist):
    (train_X, train_y), _ = mnist
    # A "1", a "0" and a "7" drawn about three quarters of the pad's height, as a user would.
    angles = np.linspace(0, 2 * np.pi, 60)
    strokes = {1: [(140, 35), (140, 245)], 0: list(zip(140 + 70 * np.sin(angles), 140 - 105 * np.cos(angles))),
               7: [(60, 60), (200, 60), (120, 230)]}
    ratios = []
    for label, points in strokes.items():
        pad.clear()
        draw_polyline(pad, points)
        ink = preprocess_digit(pad.canvas_image).sum() / 255
        ratios.append(ink / (train_X[train_y == label].sum(axis=1).mean() / 255))
    assert all(0.75 < ratio < 1.3 for ratio in ratios), ratios
    assert 0.9 < np.mean(ratios) < 1.1, ratios


@pytest.mark.process
def test_the_pad_works_in_jupyter_with_the_widget_backend(tmp_path, small_network):
    """%matplotlib widget (ipympl), as the README says: the pad's canvas is ipympl's, and drawing on it works."""
    import nbformat
    from nbclient import NotebookClient
    model = tmp_path / "small.npz"
    small_network.save(model)
    source = f"""
%matplotlib widget
import sys
sys.path.insert(0, {str(REPO)!r})
import numpy as np
from matplotlib.backend_bases import MouseEvent
from Draw import DigitPad
from Network import NeuralNetwork
pad = DigitPad(NeuralNetwork.load({str(model)!r}))
canvas = pad.figure.canvas
for name, y in (("button_press_event", 40), ("motion_notify_event", 140), ("motion_notify_event", 240),
                ("button_release_event", 240)):
    x_pixels, y_pixels = pad.drawing_axes.transData.transform((140, y))
    canvas.callbacks.process(name, MouseEvent(name, canvas, x_pixels, y_pixels, button=1))
print(type(canvas).__module__, int(np.argmax(pad.probabilities)), pad.canvas_image.max())
"""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    text = "".join(out.get("text", "") for out in notebook.cells[0].outputs if out.get("name") == "stdout")
    assert text.split() == ["ipympl.backend_nbagg", "1", "1.0"], notebook.cells[0].outputs
