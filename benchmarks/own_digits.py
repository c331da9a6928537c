"""Your own digits, measured: two networks on the first 600 MNIST test digits made into pictures of
each kind (tests/photos.py), each read through Draw.preprocess_digit; and the time to preprocess a
600x600 photo. Prints figures, asserts nothing (tests/test_draw.py checks the bars).

    python benchmarks/own_digits.py            # about two minutes: trains the notes' and the quick preset's network
"""
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import Draw  # noqa: E402
import Options  # noqa: E402
import photos  # noqa: E402
from MNIST import load_mnist  # noqa: E402


def trained(preset, train_X, train_y):
    args = Options.parse_args(["--preset", preset])
    network = Options.build_network(args.hidden, args.hidden_activation, args.output_activation, 0)
    network.train(train_X, train_y, args.epochs, args.batch_size, args.learning_rate, verbose=False,
                  optimizer=Options.make_optimizer(args), schedule=args.schedule)
    return network


SHADOW_DIGITS = 200       # the shadows' photos are 1200x900: the first 200 digits only


def main():
    warnings.simplefilter("ignore")
    (train_X, train_y), (test_X, test_y) = load_mnist()
    X, y = test_X[:600], test_y[:600]
    networks = {preset: trained(preset, train_X, train_y) for preset in ("notes", "quick")}
    print(f"{'the first 600 test digits':<28}" + "".join(f"{name:>10}" for name in networks))
    print(f"{'as they are':<28}" + "".join(f"{n.evaluate(X, y):>9.1f}%" for n in networks.values()))
    for kind in photos.KINDS:
        count = SHADOW_DIGITS if kind in photos.SHADOWS else len(X)       # a 1200x900 photo takes 0.3 s
        rng = np.random.default_rng(0)
        digits, unread = [], 0
        for image in X[:count]:
            try:
                digits.append(Draw.preprocess_digit(photos.render(kind, image, rng)))
            except ValueError:                    # "no ink found": counted as read wrong
                digits.append(np.zeros(784))
                unread += 1
        print(f"{kind + ('' if count == len(X) else f' ({count})'):<28}"
              + "".join(f"{n.evaluate(np.array(digits), y[:count]):>9.1f}%" for n in networks.values())
              + (f"   ({unread} with no ink found)" if unread else ""))
    print(f"{f'as they are ({SHADOW_DIGITS})':<28}"
          + "".join(f"{n.evaluate(X[:SHADOW_DIGITS], y[:SHADOW_DIGITS]):>9.1f}%" for n in networks.values()))
    from PIL import Image
    page = photos.grid_paper(X[0], np.random.default_rng(1))
    photo = np.asarray(Image.fromarray((255 * page).astype(np.uint8)).resize((600, 600)))
    times = []
    for _ in range(11):
        start = time.perf_counter()
        Draw.preprocess_digit(photo)
        times.append(time.perf_counter() - start)
    print(f"\npreprocess_digit of a 600x600 photo on grid paper: {1000 * statistics.median(times):.0f} ms (median of 11)")


if __name__ == "__main__":
    main()
