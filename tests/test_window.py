"""python MNIST.py --draw in a real window: Xvfb (a virtual screen), matplotlib's TkAgg, and xdotool
moving a real pointer over it. Skipped, with the reason, where Xvfb, xdotool or Tk is missing
(.ci/run installs them). SCREENSHOT_DIR=docs keeps the screenshot."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.process, pytest.mark.browser]


def _missing():
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool")):
        if shutil.which(tool) is None:
            return f"no {tool} on this machine (Debian: apt-get install -y {package}); .ci/run installs it"
    try:
        import tkinter  # noqa: F401
    except ImportError:
        return "this Python has no tkinter, which matplotlib's TkAgg window needs"
    return None


if _missing():
    pytest.skip(f"the real-window test needs a virtual screen: {_missing()}", allow_module_level=True)


@pytest.fixture
def screen():
    """A virtual 1280x900 screen; its DISPLAY name."""
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    display = f":{number}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert time.monotonic() < deadline and server.poll() is None, "Xvfb did not start"
        time.sleep(0.1)
    yield display
    server.terminate()
    server.wait(timeout=10)


def xdotool(display, *arguments):
    return subprocess.run(["xdotool", *map(str, arguments)], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "DISPLAY": display}, check=True).stdout


def test_draw_opens_the_pad_in_a_window_at_once_reads_a_drawn_7_and_quits_when_closed(screen, small_network,
                                                                                     tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from Draw import DigitPad
    small_network.save(tmp_path / "small.npz")
    layout = DigitPad(small_network)                   # the same figure on Agg: where the drawing panel is
    box, height = layout.drawing_axes.get_window_extent(), layout.figure.bbox.height
    environment = {**os.environ, "DISPLAY": screen, "MPLBACKEND": "TkAgg", "PYTHONUNBUFFERED": "1"}
    demo = subprocess.Popen([sys.executable, str(REPO / "MNIST.py"), "--load-model", "small.npz", "--draw",
                             "--data-dir", os.environ["MNIST_DATA_DIR"]],
                            cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in demo.stdout:
            if line.startswith("Draw a digit"):
                break
        windows = xdotool(screen, "search", "--sync", "--onlyvisible", "--name", "Figure").split()
        assert len(windows) == 1, "only the pad opens (no 5x5 grid in front of it)"
        geometry = dict(item.split("=") for item in xdotool(screen, "getwindowgeometry", "--shell",
                                                            windows[0]).split())
        left, top = int(geometry["X"]), int(geometry["Y"])
        scale = int(geometry["WIDTH"]) / layout.figure.bbox.width        # Tk may scale the figure to the screen

        def on_screen(x, y):                           # pad pixels -> the screen's
            return (round(left + scale * (box.x0 + x / 280 * box.width)),
                    round(top + scale * (height - (box.y1 - y / 280 * box.height))))
        moves = []
        points = [(60, 60), (200, 60), (120, 230)]                        # a 7
        for start, end in zip(points, points[1:]):
            for t in np.linspace(0, 1, 25)[1:]:
                moves += ["mousemove", *on_screen(*(np.add(start, t * np.subtract(end, start)))), "sleep", "0.016"]
        xdotool(screen, "mousemove", *on_screen(*points[0]), "mousedown", "1", *moves, "mouseup", "1")
        lifted = time.monotonic()
        line = demo.stdout.readline()
        answered = time.monotonic() - lifted
        assert line.startswith("the pad reads: 7  (7 "), line
        time.sleep(0.5)
        from PIL import ImageGrab
        shot = ImageGrab.grab(xdisplay=screen).crop((left, top, left + int(geometry["WIDTH"]),
                                                     top + int(geometry["HEIGHT"])))
        shot.save(Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "pad_window.png")
        ink = np.asarray(shot.convert("L"))[round(scale * (height - box.y1)):round(scale * (height - box.y0)),
                                            round(scale * box.x0):round(scale * box.x1)]
        assert (ink > 200).mean() > 0.05                                  # the strokes are on screen
        print(f"window pad: answered {answered:.2f} s after the pen lifted")
        xdotool(screen, "mousemove", *on_screen(140, 140), "key", "q")   # matplotlib's key to close a figure
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()


LIVE_SCRIPT = """
import sys
sys.path.insert(0, {repo!r})
import Live
Live.SHARE = 0.5                                   # drawn often, so that a short run is drawn several times
drawn = Live.LiveView.draw


def draw(view):                                    # says on stdout when each drawing is on screen
    drawn(view)
    print("drawn", view.draws, f"{{view._cost:.3f}}", view._title.get_text(), flush=True)


Live.LiveView.draw = draw
from MNIST import load_mnist
from Options import build_network
(X, y), (test_X, test_y) = load_mnist({data!r})
network = build_network([32], "ReLU", "Sigmoid", seed=0)
network.train(X[:20000], y[:20000], 12, 10, 0.01, verbose=False, live=True,
              validation_data=(test_X[:1000], test_y[:1000]))
print("trained", flush=True)
"""


def test_train_live_in_a_window_redraws_its_figure_while_training_runs(screen, tmp_path):
    from PIL import ImageGrab
    environment = {**os.environ, "DISPLAY": screen, "MPLBACKEND": "TkAgg", "PYTHONUNBUFFERED": "1"}
    script = LIVE_SCRIPT.format(repo=str(REPO), data=os.environ["MNIST_DATA_DIR"])
    run = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, env=environment, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    shots, titles = [], []
    try:
        for line in run.stdout:
            if line.startswith("drawn"):
                titles.append(line.split(" ", 3)[3].strip())
                if len(shots) < 2 and len(titles) in (2, 5):              # two moments while it trains
                    shots.append(ImageGrab.grab(xdisplay=screen))
            if line.startswith("trained"):
                break
        assert run.wait(timeout=60) == 0, run.stderr.read()
    finally:
        if run.poll() is None:
            run.kill()
    assert not run.stderr.read().strip()                                  # no warning: there is a display
    assert len(titles) >= 5 and titles[-1].startswith("epoch 12, batch 2000 of 2000: loss ")
    assert titles[1] != titles[4] and not titles[4].startswith("epoch 12")  # both during training
    first, later = (np.asarray(shot.convert("L")) for shot in shots)
    changed = np.argwhere(first != later)
    assert len(changed) > 500, "the window's picture changed between the two moments"
    assert (first < 250).mean() > 0.02                                    # a figure is on screen, not a blank
    shots[1].save(Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "live_window.png")
