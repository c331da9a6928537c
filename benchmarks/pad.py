"""The drawing pad's cost per mouse event, measured: what each event computes (a stroke, pad_digit,
one prediction) against the whole photo pipeline (preprocess_digit) it replaced, and what a backend
pays to draw the pad's figure once (Agg, as ipympl and TkAgg use). Prints medians, asserts nothing.

    python benchmarks/pad.py          # a few seconds; an untrained notes'-sized network (the cost does not depend on training)
"""
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import Draw  # noqa: E402
import Options  # noqa: E402

REPEATS = 21


def median_ms(work):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    network = Options.build_network([64], "ReLU", "Sigmoid", 0)
    pad = Draw.DigitPad(network)
    points = [(60, 60), (200, 60), (120, 230)]                 # a 7, drawn as the mouse would
    for start, end in zip(points, points[1:]):
        pad.stroke(start, end)
    drawing = pad.canvas_image
    print(f"per mouse event, on a 280x280 drawing of a 7 (median of {REPEATS}):")
    print(f"  the whole photo pipeline, preprocess_digit: {median_ms(lambda: Draw.preprocess_digit(drawing)):7.2f} ms")
    print(f"  the pad's quick path, pad_digit:            {median_ms(lambda: Draw.pad_digit(drawing)):7.2f} ms")
    print(f"  a stroke (one segment of the pen):          {median_ms(lambda: pad.stroke((120, 230), (121, 228))):7.2f} ms")
    canvas = pad.figure.canvas
    render = median_ms(canvas.draw)
    canvas.draw_idle = lambda: None     # a window or ipympl only schedules the drawing (Agg would draw now)
    print(f"  DigitPad.update (pad_digit, the prediction, the artists): {median_ms(pad.update):.2f} ms")
    print(f"the backend drawing the pad's figure, once per frame it shows (Agg): {render:.1f} ms")


if __name__ == "__main__":
    main()
