"""The interactive parts in a real JupyterLab, in a real (headless) browser, with real mouse events:
the pad reads digits drawn on it and settles soon after the pen lifts, and train(..., live=True)
changes its figure while it trains. Skipped, with the reason, where chromium, Playwright or
JupyterLab is missing (.ci/run installs them). SCREENSHOT_DIR=docs keeps the screenshots the README
shows (docs/make_pictures.py makes them small)."""
import io
import os
import statistics
import time
from pathlib import Path

import numpy as np
import pytest

import browser

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.process, pytest.mark.browser]

if browser.missing():
    pytest.skip(f"the real-browser tests need a browser: {browser.missing()}", allow_module_level=True)

LIVE_PICTURE = ".jp-OutputArea-output img"
SETTLE = 0.5           # seconds from the pen lifting to the finished drawing's answer on screen (issue 27)
ANGLES = np.linspace(0, 2 * np.pi, 40)
DIGITS = {7: [[(60, 60), (200, 60), (120, 230)]],
          0: [list(zip(140 + 70 * np.sin(ANGLES), 140 - 105 * np.cos(ANGLES)))],
          1: [[(140, 35), (140, 245)]],
          3: [[(80, 60), (150, 40), (200, 80), (150, 130), (110, 135), (150, 140), (205, 190), (150, 240),
               (80, 220)]]}


def screenshot_dir(tmp_path):
    return Path(os.environ.get("SCREENSHOT_DIR", tmp_path))


def png(data):
    import matplotlib.image
    return matplotlib.image.imread(io.BytesIO(data), format="png")


@pytest.fixture
def lab(tmp_path, small_network):
    small_network.save(tmp_path / "small.npz")
    with browser.JupyterLab(tmp_path, tmp_path / "jupyter.log") as lab:
        yield lab


def pad_to_page(figure_box, canvas_box):
    """A function from pad pixels (x right, y down, 0..280) to the page's pixels."""
    x0, y0, x1, y1, width, height = figure_box
    scale = canvas_box["width"] / width

    def to_page(point):
        x, y = point
        figure_x = x0 + x / 280 * (x1 - x0)
        figure_y = y1 - y / 280 * (y1 - y0)             # matplotlib counts pixels from the bottom
        return canvas_box["x"] + figure_x * scale, canvas_box["y"] + (height - figure_y) * scale
    return to_page


def draw(page, to_page, strokes, events_per_second=60, pixels_per_event=6):
    """Draw strokes with the mouse as a hand does: about 60 moves a second, a few pixels apart."""
    for stroke in strokes:
        page.mouse.move(*to_page(stroke[0]))
        page.mouse.down()
        for start, end in zip(stroke, stroke[1:]):
            steps = max(1, int(np.hypot(end[0] - start[0], end[1] - start[1]) / pixels_per_event))
            for t in np.linspace(0, 1, steps + 1)[1:]:
                page.mouse.move(*to_page((start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]))))
                time.sleep(1 / events_per_second)
        page.mouse.up()


def settle_time(lab, wait=2.0):
    """Seconds from now (the pen just lifted) to the last picture painted into the canvas, watched for
    wait seconds; and what the canvas shows then."""
    lifted = lab.now()
    time.sleep(wait)
    return max(0.0, lab.last_paint() - lifted) / 1000, lab.canvas_shot()


def test_digits_drawn_on_the_pad_in_jupyter_are_read_and_settle_within_half_a_second(lab, tmp_path):
    browser.write_notebook(tmp_path / "pad.ipynb", [
        "%matplotlib widget\n"
        f"import sys, time\nsys.path.insert(0, {str(REPO)!r})\n"
        "from Draw import DigitPad\nfrom Network import NeuralNetwork\n"
        "answers, updates = [], []\n"
        "pad = DigitPad(NeuralNetwork.load('small.npz'), report=answers.append)\n"
        "def timed(update=pad.update):\n"
        "    start = time.perf_counter(); update(); updates.append(time.perf_counter() - start)\n"
        "pad.update = timed\n"
        "box = pad.drawing_axes.get_window_extent()\n"
        "print('BOX', box.x0, box.y0, box.x1, box.y1, pad.figure.bbox.width, pad.figure.bbox.height)"])
    lab.open("pad.ipynb")
    figure_box = [float(v) for v in lab.kernel("print(box.x0, box.y0, box.x1, box.y1, pad.figure.bbox.width, "
                                               "pad.figure.bbox.height)").split()]
    to_page = pad_to_page(figure_box, lab.canvas().bounding_box())
    settles, read = [], []
    for digit, strokes in DIGITS.items():
        lab.kernel("pad.clear()")
        started = lab.now()
        draw(lab.page, to_page, strokes)
        settle, picture = settle_time(lab)
        assert lab.last_paint() > started, "the canvas was not painted while drawing"
        settles.append(settle)
        answer = lab.kernel("print(answers[-1].split()[0], int(pad.probabilities.argmax()))").split()
        read.append(int(answer[0]))
        assert answer[0] == answer[1]                 # the report is the pad's last answer
        if digit == 7:
            (screenshot_dir(tmp_path) / "pad_jupyter.png").write_bytes(picture)
    costs = [float(v) for v in lab.kernel("print(*updates)").split()]
    print(f"pad in the browser: settle times {['%.2f' % s for s in settles]} s; update cost median "
          f"{1000 * statistics.median(costs):.2f} ms over {len(costs)} updates")
    assert read == list(DIGITS)
    assert max(settles) <= SETTLE, settles
    assert statistics.median(costs) < 0.05
    # what is on screen at the end is the last drawing: the drawing panel's ink where the 3 is
    picture = png(lab.canvas_shot())
    assert picture[..., :3].mean() > 0.3


def test_the_clear_button_in_jupyter_wipes_the_pad(lab, tmp_path):
    browser.write_notebook(tmp_path / "clear.ipynb", [
        "%matplotlib widget\n"
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from Draw import DigitPad\nfrom Network import NeuralNetwork\n"
        "pad = DigitPad(NeuralNetwork.load('small.npz'))"])
    lab.open("clear.ipynb")
    figure_box = [float(v) for v in lab.kernel("b = pad.drawing_axes.get_window_extent(); print(b.x0, b.y0, b.x1, "
                                               "b.y1, pad.figure.bbox.width, pad.figure.bbox.height)").split()]
    canvas_box = lab.canvas().bounding_box()
    draw(lab.page, pad_to_page(figure_box, canvas_box), DIGITS[1])
    settle_time(lab, wait=1.0)
    assert lab.kernel("print(pad.canvas_image.max())").strip() == "1.0"
    button = [float(v) for v in lab.kernel("b = pad.clear_button.ax.get_window_extent(); "
                                           "print((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2)").split()]
    scale = canvas_box["width"] / figure_box[4]
    lab.page.mouse.click(canvas_box["x"] + button[0] * scale, canvas_box["y"] + (figure_box[5] - button[1]) * scale)
    settle_time(lab, wait=1.0)
    assert lab.kernel("print(pad.canvas_image.max(), pad.probabilities)").split() == ["0.0", "None"]


def test_training_with_live_true_changes_its_figure_while_it_runs(lab, tmp_path):
    browser.write_notebook(tmp_path / "live.ipynb", [
        "%matplotlib widget\n"
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "import Live\nfrom MNIST import load_mnist\nfrom Options import build_network\n"
        f"(train_X, train_y), (test_X, test_y) = load_mnist({os.environ['MNIST_DATA_DIR']!r})\n"
        "network = build_network([256, 128], 'ReLU', 'Softmax', seed=0)\n"
        "Live.SHARE = 0.3      # drawn often, so that a short run changes it several times\n",
        "history = network.train(train_X, train_y, 4, 32, 0.001, validation_data=(test_X[:2000], test_y[:2000]), "
        "live=True)"])
    lab.page.goto(lab.url("lab/tree/live.ipynb"))
    lab.page.wait_for_function(browser.KERNEL_IDLE, timeout=120000)
    lab.run_all()
    lab.page.wait_for_selector(LIVE_PICTURE, timeout=120000)
    shots = []
    while lab.running() and len(shots) < 240:          # while a cell's prompt says [*]
        shots.append(lab.page.query_selector(LIVE_PICTURE).get_attribute("src"))
        time.sleep(0.5)
    assert len(shots) >= 3, "training ended before the figure could be watched"
    assert len(set(shots)) >= 3, "the figure did not change while training ran"
    lab.page.wait_for_function(browser.KERNEL_IDLE, timeout=300000)
    out = lab.kernel("import matplotlib.pyplot as plt; print(len(history['loss']), len(plt.get_fignums()))")
    assert out.split() == ["4", "0"]                         # trained on; no figure left to show again
    [picture] = lab.page.query_selector_all(LIVE_PICTURE)   # one picture, replaced in place
    assert picture.get_attribute("src") != shots[0]
    picture.screenshot(path=screenshot_dir(tmp_path) / "live_jupyter.png")


def test_the_playground_s_controls_change_the_network_and_its_picture(lab, tmp_path):
    browser.write_notebook(tmp_path / "explore.ipynb", [
        "%matplotlib widget\n"
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "import Playground\nexplorer = Playground.explore()\n"
        # each drawing of the figure notes whether explorer.draw was building it at that moment
        "drawings, building, figure_draw, explorer_draw = [], [False], explorer.figure.draw, explorer.draw\n"
        "def noted(renderer):\n    drawings.append(building[0])\n    return figure_draw(renderer)\n"
        "def build(*args):\n    building[0] = True\n    try:\n        return explorer_draw(*args)\n"
        "    finally:\n        building[0] = False\n"
        "explorer.figure.draw, explorer.draw = noted, build"])
    lab.open("explore.ipynb")
    page = lab.page
    before = lab.canvas_shot()
    page.get_by_role("button", name="Step").click()
    settle_time(lab, wait=1.5)
    stepped = lab.canvas_shot()
    assert stepped != before
    assert lab.kernel("print(explorer.epochs)").strip() == str(5)
    hidden = page.locator(".widget-text input").first
    hidden.fill("3, 3")
    hidden.press("Enter")
    settle_time(lab, wait=1.5)
    assert lab.kernel("print(explorer.network, explorer.epochs)").strip() == \
        "2x3 ReLU -> 3x3 ReLU -> 3x3 Softmax 0"
    assert lab.canvas_shot() != stepped
    page.get_by_role("button", name="Play").click()
    time.sleep(2)
    page.get_by_role("button", name="Pause").click()
    epochs = int(lab.kernel("print(explorer.epochs)"))
    assert epochs >= 10
    time.sleep(1)
    assert int(lab.kernel("print(explorer.epochs)")) == epochs           # paused
    drawn = lab.kernel("print(len(drawings), sum(drawings))").split()
    assert int(drawn[0]) >= 5 and drawn[1] == "0", f"{drawn[1]} of {drawn[0]} drawings caught the figure half built"
    page.locator(".jp-OutputArea").first.screenshot(path=screenshot_dir(tmp_path) / "playground_jupyter.png")
