"""The demo's command line beyond the notes: python MNIST.py --preset best, --predict, --draw, --plots ...

MNIST.py runs the notes' demo as the notes show it when it is given no options, and hands over
to main() here when it is given some. This module parses the options (parse_args, with the
training recipes of PRESETS), builds the network they describe (build_network), trains it with
the extras they ask for (train: validation split, optimiser, schedule, dropout, augmentation,
early stopping), then evaluates, saves, draws (make_figures) and reads your own digits
(predict_files, Draw.DigitPad). It never imports MNIST.py: main() is given the loader to call.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

from Augmentation import random_affine
from Layer_dense import Layer_dense
from Network import SCHEDULES, NeuralNetwork
from Optimizers import OPTIMIZERS, Momentum, get_optimizer
from Utils import evaluation_summary, stop_on_ctrl_c, training_summary

PLOTS = {"predictions": "the 5x5 grid of test digits", "history": "the training curves",
         "confusion": "the confusion matrix", "mistakes": "the misclassified test digits",
         "weights": "the first layer's weights", "augmented": "training digits before and after augmentation"}


# Training recipes. 'notes' is the notes' configuration (the defaults below); the others add the
# ingredients beyond the notes and were tuned on a validation split of the training set.
PRESETS = {
    "notes": {},
    "quick": dict(hidden=[256], output_activation="Softmax", epochs=12, batch_size=128, learning_rate=0.0008,
                  optimizer="momentum", schedule="cosine"),
    "best": dict(hidden=[800, 800], output_activation="Softmax", epochs=60, batch_size=256, learning_rate=0.0006,
                 optimizer="momentum", schedule="cosine", dropout=0.2, input_dropout=0.0, augment=True, elastic=1.0),
}


def parse_args(argv=None):
    """The command line (argv, default sys.argv[1:]) as a Namespace, with the chosen preset's settings."""
    p = argparse.ArgumentParser(description="Train a fully connected network on MNIST with NumPy alone "
                                            "(defaults: the notes' configuration).")
    p.add_argument("--preset", choices=PRESETS, default="notes",
                   help="a training recipe: notes (the default), quick or best; other options override its settings")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=0.001,
                   help="step size; gradients are summed over the batch (default: %(default)s)")
    p.add_argument("--hidden", type=int, nargs="*", default=[64], metavar="SIZE",
                   help="hidden layer sizes, e.g. --hidden 128 64 (default: 64)")
    p.add_argument("--hidden-activation", default="ReLU", help="Sigmoid, ReLU, LeakyReLU or Tanh (default: ReLU)")
    p.add_argument("--output-activation", default="Sigmoid", help="Sigmoid or Softmax (default: Sigmoid)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                   help="the update rule: sgd (the notes' step, the default), momentum, nesterov or adam")
    p.add_argument("--momentum", type=float, default=None,
                   help="momentum mu of --optimizer momentum or nesterov (default: 0.9); alone, it means "
                        "--optimizer momentum")
    p.add_argument("--nesterov", action="store_true", help="Nesterov's form of momentum")
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2 penalty lambda (default: 0, off)")
    p.add_argument("--schedule", choices=SCHEDULES, default="constant",
                   help="how the learning rate changes from epoch to epoch (default: constant)")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout probability of hidden units (default: 0)")
    p.add_argument("--input-dropout", type=float, default=0.0, help="dropout probability of pixels (default: 0)")
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=False,
                   help="train on randomly turned, scaled, sheared and shifted digits (random_affine), "
                        "new ones every epoch")
    p.add_argument("--elastic", type=float, default=0.0, metavar="PIXELS",
                   help="with --augment, also a smooth random displacement of this size (default: 0, off)")
    p.add_argument("--early-stopping", type=int, default=None, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a lower validation loss and keep the best "
                        "epoch's weights (needs --validation-size)")
    p.add_argument("--seed", type=int, default=0, help="seed for the weights, shuffling and dropout (default: 0)")
    p.add_argument("--train-size", type=int, default=60000, metavar="N",
                   help="train on the first N training images only, for quick experiments (default: all 60000)")
    p.add_argument("--validation-size", type=int, default=0, metavar="N",
                   help="hold out the last N training images to report validation loss and accuracy "
                        "per epoch (the test set is never used for this; default: 0)")
    p.add_argument("--data-dir", help="folder with the MNIST IDX files (default: $MNIST_DATA_DIR or the cache)")
    p.add_argument("--no-download", action="store_true", help="fail instead of downloading missing files")
    p.add_argument("--save-model", metavar="PATH", help="save the trained network to this .npz file")
    p.add_argument("--load-model", metavar="PATH", help="skip training: evaluate (and plot) a saved network")
    p.add_argument("--plots", nargs="+", choices=(*PLOTS, "all"), default=["predictions"], metavar="NAME",
                   help=f"pictures to produce: {', '.join(PLOTS)} or all (default: predictions, the 5x5 grid)")
    p.add_argument("--figure-dir", metavar="DIR", help="save the pictures here as mnist_<name>.png "
                                                       "(without a display they go to the current folder)")
    p.add_argument("--save-figure", metavar="PATH", help="save the 5x5 grid to this file")
    p.add_argument("--no-plot", action="store_true", help="no pictures at all")
    p.add_argument("--predict", nargs="+", metavar="FILE",
                   help="after training (or --load-model), read these PNG or JPEG images of handwritten digits "
                        "and print what the network thinks each is (and draw it, unless --no-plot)")
    p.add_argument("--draw", action="store_true",
                   help="after training (or --load-model), open a window to draw digits in and watch the "
                        "network read them (needs a display)")
    p.add_argument("--quiet", action="store_true", help="no progress bars or epoch summaries")
    preset = p.parse_known_args(argv)[0].preset
    p.set_defaults(**PRESETS[preset])       # the preset's settings; options given explicitly still win
    return p.parse_args(argv)


def build_network(hidden_sizes, hidden_activation, output_activation, seed, dropout=0.0, input_dropout=0.0):
    """784 -> hidden_sizes... (hidden_activation) -> 10 (output_activation); seeded weights, shuffling
    and dropout. dropout applies to the hidden layers' outputs, input_dropout to the pixels."""
    rng = np.random.default_rng(seed)
    network = NeuralNetwork(rng=rng)
    sizes = [784, *hidden_sizes, 10]
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        activation = output_activation if i == len(sizes) - 2 else hidden_activation
        network.add_layer(Layer_dense(n_in, n_out, activation, rng=rng, dropout=input_dropout if i == 0 else dropout))
    return network


def make_figures(names, network, history, test_X, test_y, probabilities, train_X=None, seed=0, transform=None):
    """The pictures named in names, as {name: Figure}. 'augmented' shows train_X's first digits
    through transform (default random_affine), drawn with seed."""
    transform = transform or random_affine
    import Plots
    predictions = probabilities.argmax(axis=1)
    makers = {
        "predictions": lambda: Plots.plot_predictions(test_X[:25], test_y[:25], predictions[:25]),
        "history": lambda: Plots.plot_history(history) if history else None,
        "confusion": lambda: Plots.plot_confusion_matrix(Plots.confusion_matrix(test_y, predictions, 10)),
        "mistakes": lambda: Plots.plot_misclassified(test_X, test_y, probabilities),
        "weights": lambda: Plots.plot_first_layer_weights(network),
        "augmented": lambda: Plots.plot_augmented(train_X[:10], transform(train_X[:10], np.random.default_rng(seed))),
    }
    figures = {name: makers[name]() for name in names}
    return {name: fig for name, fig in figures.items() if fig is not None}


def augmentation(args):
    """The transform that --augment and --elastic describe (None without --augment)."""
    if not args.augment:
        return None
    if args.elastic:
        return lambda images, rng: random_affine(images, rng, elastic=args.elastic)
    return random_affine


def make_optimizer(args):
    """The optimiser that --optimizer, --momentum and --nesterov describe."""
    name = args.optimizer
    if name == "sgd" and (args.momentum or args.nesterov):      # --momentum or --nesterov alone
        name = "momentum"
    if args.nesterov and name == "momentum":
        name = "nesterov"
    if name in ("momentum", "nesterov"):
        return Momentum(0.9 if args.momentum is None else args.momentum, nesterov=name == "nesterov")
    if args.momentum or args.nesterov:
        raise ValueError(f"--momentum and --nesterov apply to --optimizer momentum or nesterov, not {name}")
    return get_optimizer(name)


def check_sizes(args, n_images=60000):
    """--train-size, --validation-size and --early-stopping fit together and n_images; else ValueError.
    Returns how many of the n_images are used (training and validation)."""
    if args.train_size <= 0:
        raise ValueError(f"--train-size must be positive, got {args.train_size}")
    available = min(args.train_size, n_images)
    if not 0 <= args.validation_size < available:
        raise ValueError(f"--validation-size must lie in [0, {available}), got {args.validation_size}")
    if args.early_stopping is not None and not args.validation_size:
        raise ValueError("--early-stopping needs --validation-size: the validation loss decides when to stop")
    return available


def train(network, args, train_X, train_y):
    """Train on the first --train-size images, less the last --validation-size ones (held out for
    validation); save the network if asked. Returns the history."""
    optimizer = make_optimizer(args)
    available = check_sizes(args, len(train_X))
    if args.preset != "notes":
        print(f"Preset {args.preset}: {args.epochs} epochs, batch {args.batch_size}, learning rate "
              f"{args.learning_rate} ({args.schedule}), {optimizer}, weight decay {args.weight_decay}, "
              f"dropout {args.dropout} (input {args.input_dropout}){', augmented' if args.augment else ''}")
    n_train = available - args.validation_size
    validation = (train_X[n_train:available], train_y[n_train:available]) if args.validation_size else None
    start = time.perf_counter()
    with stop_on_ctrl_c() as stop:
        print("Training (Ctrl-C stops it after the current batch and goes on with the network as it is)")
        history = network.train(train_X[:n_train], train_y[:n_train], args.epochs, args.batch_size,
                                args.learning_rate, verbose=not args.quiet, validation_data=validation,
                                optimizer=optimizer, weight_decay=args.weight_decay, schedule=args.schedule,
                                early_stopping=args.early_stopping, transform=augmentation(args), stop=stop)
    print(training_summary(history, n_train, time.perf_counter() - start))
    if args.save_model:
        network.save(args.save_model)
        print(f"Saved the network to {args.save_model}")
    return history


def main(argv, load_data):
    """The demo with options: check them, build (or load) a network, load the data with
    load_data(data_dir, download) (MNIST.load_for_the_demo), train, report, draw. Returns the test
    accuracy (%). Exits with an error message for a bad option, model file or data."""
    args = parse_args(argv)
    if args.draw:                      # say it now, not after minutes of training
        import Draw
        if not Draw.interactive_backend():
            sys.exit("error: " + Draw.no_display_message())
    try:                               # options, model file and network first, then the data
        if args.load_model:
            network = NeuralNetwork.load(args.load_model)
        else:
            make_optimizer(args)
            check_sizes(args)
            network = build_network(args.hidden, args.hidden_activation, args.output_activation, args.seed,
                                    args.dropout, args.input_dropout)
    except (ValueError, TypeError, OSError) as error:
        sys.exit(f"error: {error}")
    (train_X, train_y), (test_X, test_y) = load_data(args.data_dir, download=not args.no_download)

    history = None
    try:
        if args.load_model:
            print(f"Loaded the network from {args.load_model}")
        print("Network:", network)
        if not args.load_model:
            history = train(network, args, train_X, train_y)
        accuracy, per_class = network.evaluate(test_X, test_y, per_class=True)
    except (ValueError, TypeError, FloatingPointError, OSError) as error:
        sys.exit(f"error: {error}")
    print(evaluation_summary(accuracy, per_class, len(test_X)))

    own_digits, unread = predict_files(network, args.predict, plot=not args.no_plot) if args.predict else (None, 0)

    if not args.no_plot:
        import Plots
        names = tuple(PLOTS) if "all" in args.plots else tuple(dict.fromkeys(args.plots))
        figures = make_figures(names, network, history, test_X, test_y, network.predict_proba(test_X),
                               train_X, args.seed, augmentation(args))
        if own_digits is not None:
            figures["digits"] = own_digits
        paths = {"predictions": args.save_figure} if args.save_figure else None
        for name, path in Plots.show_or_save(figures, args.figure_dir, paths).items():
            print(f"Saved {PLOTS.get(name, 'your digits and the answers')} to {path.resolve()}")
    if args.draw:
        import matplotlib.pyplot as plt
        import Draw
        pad = Draw.DigitPad(network)   # noqa: F841 (kept alive while the window is open)
        print("Draw a digit with the left mouse button; right click or 'c' clears; close the window to quit.")
        plt.show()
    if unread:
        sys.exit(f"error: {unread} of the {len(args.predict)} image files could not be read (see above)")
    return accuracy


def predict_files(network, paths, plot=True):
    """Print one line per image file: its name, the predicted digit and the three most likely ones.

    Files that cannot be read are reported and skipped. Returns a figure of the images, what the
    network saw and its outputs (None if plot is False or no file could be read), and the number
    of files that could not be read.
    """
    import Draw
    names, images, digits, outputs = [], [], [], []
    for path in paths:
        try:
            image = Draw.read_image(path)
            digit = Draw.preprocess_digit(image)
        except (OSError, ValueError, TypeError) as error:
            print(f"{path}: error: {error}", file=sys.stderr)
            continue
        output = network.predict_proba(digit.reshape(1, -1))[0]
        print(f"{path}: {int(np.argmax(output))}  ({Draw.top_classes(output)})")
        names.append(Path(path).name)
        images.append(image)
        digits.append(digit)
        outputs.append(output)
    figure = Draw.plot_digit_predictions(names, images, digits, outputs) if plot and names else None
    return figure, len(paths) - len(names)
