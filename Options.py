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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import Threads
from Augmentation import random_affine
from Layer_dense import Layer_dense, activation_name
from Network import NeuralNetwork
from Optimizers import OPTIMIZERS, SCHEDULES, Momentum, get_optimizer
from Utils import (check_fraction, check_non_negative, check_positive, evaluation_summary, positive_int, stop_on_ctrl_c,
                   training_summary)

PLOTS = {"predictions": "the 5x5 grid of test digits", "history": "the training curves",
         "confusion": "the confusion matrix", "mistakes": "the misclassified test digits",
         "weights": "the first layer's weights", "augmented": "training digits before and after augmentation",
         "activations": "each layer's outputs and gradients on training digits"}

OWN_DIGITS = {"digits": "your digits and the answers", "steps": "each step from your image to the 28x28 digit"}
EXPLANATION = "explanation"   # --explain's figures: 'explanation' (--trace's digit), 'explanation_<file>' (--predict's)

# What --load-model cannot use: it evaluates a network that is trained already.
TRAINING_OPTIONS = ("preset", "epochs", "batch_size", "learning_rate", "hidden", "hidden_activation",
                    "output_activation", "optimizer", "momentum", "nesterov", "weight_decay", "schedule", "dropout",
                    "input_dropout", "augment", "elastic", "early_stopping", "train_size", "validation_size",
                    "save_model", "find_learning_rate", "live")


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
    p = make_parser()
    preset = p.parse_known_args(argv)[0].preset
    p.set_defaults(**PRESETS[preset])       # the preset's settings; options given explicitly still win
    return p.parse_args(argv)


def given_options(argv=None):
    """The names (dests) of the options given on the command line argv, e.g. {'hidden', 'epochs'}."""
    p = make_parser()
    for action in p._actions:
        action.default = argparse.SUPPRESS         # an option not given then leaves no attribute
    return set(vars(p.parse_args(argv)))


def make_parser():
    """The command line's parser, with the notes' configuration as its defaults."""
    p = argparse.ArgumentParser(description="Train a fully connected network on MNIST with NumPy alone "
                                            "(defaults: the notes' configuration).")
    p.add_argument("--preset", choices=PRESETS, default="notes",
                   help="a training recipe: notes (the default), quick or best; other options override its settings")
    p.add_argument("--epochs", type=int, default=10, help="passes over the training images (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=32,
                   help="images per gradient step (default: %(default)s)")
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
    p.add_argument("--explain", action="store_true",
                   help="with --predict or --trace, also draw why the network gave its answer: each hidden unit's "
                        "share of the score and what the units with the largest shares look for")
    p.add_argument("--trace", type=int, default=None, metavar="N",
                   help="after training (or --load-model), print test digit N's way through the notes' equations "
                        "with the network's numbers: forward, loss, backpropagation beside finite differences, "
                        "the update")
    p.add_argument("--draw", action="store_true",
                   help="after training (or --load-model), open a window to draw digits in and watch the "
                        "network read them (needs a display; it opens at once: other pictures only with --plots)")
    p.add_argument("--live", action="store_true",
                   help="watch it learn: one window updated while training runs (the loss and accuracy, a few "
                        "digits' answers, the first layer's weights; needs a display)")
    p.add_argument("--find-learning-rate", action="store_true",
                   help="train nothing: run the learning-rate range test on the network the options describe, "
                        "print the suggested --learning-rate and draw the loss against the rate")
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help="threads for NumPy's matrix products (default: the library chooses for the work and "
                        "the machine, see docs/speed.md)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bars or epoch summaries (the line saying what Ctrl-C does, and the results, stay)")
    return p


# Each option's value is checked by the library's own check (Utils.py), with the option's name in
# its message, and a hint where one helps.
OPTION_CHECKS = {"epochs": positive_int, "batch_size": positive_int, "train_size": positive_int,
                 "early_stopping": positive_int, "threads": positive_int, "learning_rate": check_positive,
                 "weight_decay": check_non_negative, "elastic": check_non_negative, "seed": check_non_negative,
                 "dropout": check_fraction, "input_dropout": check_fraction}
OPTION_HINTS = {"learning_rate": " (the notes use 0.001; --find-learning-rate suggests one)",
                "threads": " (leave it out to let the library choose)"}
MNIST_TRAINING_IMAGES = 60000
MNIST_TEST_IMAGES = 10000


class DemoError(Exception):
    """What ends the demo early, with its message; status 2 for a bad option (as argparse does), 1 otherwise."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


@dataclass
class Plan:
    """What the options work out to, computed once: the optimiser and the augmentation (None: none)
    by check_options; once the data is loaded, how many training images train on (n_train) and how
    many with the validation ones (n_used), by run. A --load-model run trains nothing."""
    optimizer: object = None
    transform: object = None
    n_train: int = 0
    n_used: int = 0


def check_options(args, given=()):
    """Every option's value, checked before anything is loaded or trained; returns the Plan they
    make. A mistake is a ValueError or TypeError that names the option. given: the options given
    explicitly (given_options), to refuse with --load-model those it cannot use."""
    values = {name: getattr(args, name) for name in OPTION_CHECKS if getattr(args, name) is not None}
    if args.load_model:
        values = {name: value for name, value in values.items() if name == "threads"}
        unused = [name for name in TRAINING_OPTIONS if name in given]
        if unused:
            names = ", ".join(_option(name) for name in unused)
            raise ValueError(f"--load-model evaluates a network that is trained already, so it cannot use {names}. "
                             f"Leave {'that option' if len(unused) == 1 else 'those options'} out, or leave out "
                             f"--load-model to train a new network.")
    for name, value in values.items():
        try:
            OPTION_CHECKS[name](value, _option(name))
        except (ValueError, TypeError) as error:
            raise type(error)(f"{error}{OPTION_HINTS.get(name, '')}") from None
    if args.predict:                       # found before training, not after minutes of it
        missing = [path for path in args.predict if not Path(path).is_file()]
        if missing:
            raise ValueError(f"--predict: no image file at {', '.join(missing)} (the paths are taken from "
                             f"{Path.cwd()}); check the name{'s' if len(missing) > 1 else ''}, e.g. with ls")
    if args.trace is not None and not 0 <= args.trace < MNIST_TEST_IMAGES:
        raise ValueError(f"--trace takes the index of a test digit, 0 to {MNIST_TEST_IMAGES - 1}; got {args.trace}")
    if args.explain and (args.trace is None and not args.predict or args.no_plot):
        raise ValueError("--explain draws why the network answered for the --trace digit or the --predict files: "
                         "give --trace N or --predict FILE with it" + (", and leave out --no-plot (it turns every "
                                                                        "picture off)" if args.no_plot else ""))
    if args.load_model:
        return Plan()
    if args.explain and not args.hidden:
        raise ValueError("--explain splits the answer among the hidden units, and --hidden with no sizes makes a "
                         "network without any; give --hidden 64 (the default), or leave out --explain")
    if args.hidden and min(args.hidden) <= 0:      # (no sizes at all: no hidden layer, a valid network)
        raise ValueError(f"--hidden needs one positive size per hidden layer, e.g. --hidden 64, got {args.hidden}")
    hidden = activation_name(args.hidden_activation)
    if hidden == "Softmax":
        raise ValueError("--hidden-activation softmax: softmax makes a layer's outputs compete (they sum to 1), "
                         "which is what the output layer's probabilities need, not hidden units; use ReLU (the "
                         "default), LeakyReLU, Tanh or Sigmoid")
    if activation_name(args.output_activation) not in ("Sigmoid", "Softmax"):
        raise ValueError(f"--output-activation must be Sigmoid or Softmax (each paired with its cross-entropy), "
                         f"got {args.output_activation}")
    if "elastic" in given and args.elastic and not args.augment:
        raise ValueError("--elastic adds a wobble to --augment's random turns, scalings and shifts, so it needs "
                         "--augment too; give both, or leave --elastic out")
    if args.save_model and not Path(args.save_model).parent.is_dir():
        raise ValueError(f"--save-model {args.save_model}: the folder {Path(args.save_model).parent} does not exist, "
                         f"so the trained network could not be saved; create it first, or give a path in a folder "
                         f"that exists")
    check_sizes(args)                  # against MNIST's 60,000, before loading; run fits them to the data
    return Plan(make_optimizer(args), augmentation(args))


def _option(name):
    """The option's name on the command line: 'batch_size' -> '--batch-size'."""
    return "--" + name.replace("_", "-")


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


def make_figures(names, network, test_X, test_y, probabilities, *, history=None, train_X=None, train_y=None, seed=0,
                 transform=None):
    """The pictures named in names, as {name: Figure}; probabilities: the network's outputs on
    test_X. 'history' needs train's history; 'augmented' shows train_X's first digits
    through transform (default random_affine), drawn with seed; 'activations' the layers' outputs
    (and, with train_y, gradients) on train_X's first 512 digits."""
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
        "activations": lambda: Plots.plot_activations(network, train_X, None if train_y is None else train_y),
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


def check_sizes(args, n_images=MNIST_TRAINING_IMAGES):
    """--train-size, --validation-size and --early-stopping fit together and n_images; else ValueError.
    Returns how many of the n_images are used (training and validation)."""
    available = min(args.train_size, n_images)          # (--train-size is positive: check_options)
    if not 0 <= args.validation_size < available:
        raise ValueError(f"--validation-size must lie in [0, {available}), got {args.validation_size} (the validation "
                         f"images are the last of the {available} training images used, and some must be left to "
                         f"train on)")
    if args.early_stopping is not None and not args.validation_size:
        raise ValueError("--early-stopping needs --validation-size: the validation loss decides when to stop")
    return available


def train(network, args, plan, train_X, train_y):
    """Train on the first plan.n_train images; the next --validation-size ones are held out for
    validation. Save the network if asked. Returns the history."""
    if args.preset != "notes":
        print(f"Preset {args.preset}: {args.epochs} epoch{'' if args.epochs == 1 else 's'}, batch {args.batch_size}, learning rate "
              f"{args.learning_rate} ({args.schedule}), {plan.optimizer}, weight decay {args.weight_decay}, "
              f"dropout {args.dropout} (input {args.input_dropout}){', augmented' if args.augment else ''}")
    n_train, n_used = plan.n_train, plan.n_used
    validation = (train_X[n_train:n_used], train_y[n_train:n_used]) if args.validation_size else None
    start = time.perf_counter()
    with stop_on_ctrl_c() as stop:
        history = network.train(train_X[:n_train], train_y[:n_train], args.epochs, args.batch_size,
                                args.learning_rate, verbose=not args.quiet, validation_data=validation,
                                optimizer=plan.optimizer, weight_decay=args.weight_decay, schedule=args.schedule,
                                early_stopping=args.early_stopping, transform=plan.transform, stop=stop,
                                live=args.live)
    print(training_summary(history, n_train, time.perf_counter() - start))
    if args.save_model:
        network.save(args.save_model)
        print(f"Saved the network to {args.save_model}")
    return history


def main(argv, load_data):
    """The demo with options: check them, build (or load) a network, load the data with
    load_data(data_dir, download) (MNIST.load_for_the_demo), train, report, draw. Returns the test
    accuracy (%). Whatever stops it (a bad option, model file or data) ends here, with its message:
    'MNIST.py: error: ...' and exit status 2 for an option, as argparse does; 'error: ...' and 1 otherwise."""
    try:
        args = parse_args(argv)
        given = given_options(argv)
        if args.draw and "plots" not in given:
            args.plots = []                # --draw shows the pad at once: the 5x5 grid only if --plots asks
        try:                               # every option first: a mistake fails at once
            plan = check_options(args, given)
        except (ValueError, TypeError) as error:
            raise DemoError(str(error), status=2) from None
        with Threads.fixed_threads(args.threads):     # --threads N holds for this run only
            return run(args, plan, load_data)
    except DemoError as error:
        if error.status == 2:
            print(f"{Path(sys.argv[0]).name}: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        raise SystemExit(f"error: {error}") from None


def run(args, plan, load_data):
    """main's work once the options are checked: the network, the data, training, the report,
    the pictures, your own digits and the pad. Returns the test accuracy (%); raises DemoError."""
    if args.live:
        import Plots
        if Plots.display_kind() is None:
            import matplotlib
            print(f"--live: there is no display here (matplotlib's backend is {matplotlib.get_backend()!r}), so "
                  f"training goes on without the live view; --plots history draws the curves afterwards.")
            args.live = False
    if args.draw:                      # say it now, not after minutes of training
        import Draw
        import Plots
        if not Plots.interactive_backend():
            raise DemoError(Draw.no_display_message())
    try:                               # options, model file and network first, then the data
        if args.load_model:
            network = NeuralNetwork.load(args.load_model)
        else:
            network = build_network(args.hidden, args.hidden_activation, args.output_activation, args.seed,
                                    args.dropout, args.input_dropout)
    except (ValueError, TypeError, OSError) as error:
        raise DemoError(str(error)) from None
    (train_X, train_y), (test_X, test_y) = load_data(args.data_dir, download=not args.no_download)
    if not args.load_model:
        try:
            plan.n_used = check_sizes(args, len(train_X))
        except ValueError as error:
            raise DemoError(str(error)) from None
        plan.n_train = plan.n_used - args.validation_size
    if args.find_learning_rate:
        return find_learning_rate(network, args, plan, train_X, train_y)

    history = None
    try:
        if args.load_model:
            print(f"Loaded the network from {args.load_model}")
        print("Network:", network)
        if not args.load_model:
            history = train(network, args, plan, train_X, train_y)
        accuracy, per_class = network.evaluate(test_X, test_y, per_class=True)
    except (ValueError, TypeError, FloatingPointError, OSError) as error:
        raise DemoError(str(error)) from None
    print(evaluation_summary(accuracy, per_class, len(test_X)))

    if args.trace is not None:
        print(f"\nTest digit {args.trace} through the notes' equations:")
        network.trace(test_X[args.trace], test_y[args.trace])
    own_digits, unread = predict_files(network, args.predict, plot=not args.no_plot, explain=args.explain) \
        if args.predict else ({}, 0)

    pad = None
    if args.draw:                      # opened first, so that one plt.show() shows it with the pictures
        import Draw
        pad = Draw.DigitPad(network, report=lambda answer: print(f"the pad reads: {answer}", flush=True))
        print("Draw a digit with the left mouse button; the Clear button, a right click or 'c' clears; "
              "close the window to quit.")
    if not args.no_plot:
        import Plots
        # 'all': the pictures of this run (no augmented digits for a network trained without them)
        names = tuple(name for name in PLOTS if name != "augmented" or plan.transform) if "all" in args.plots \
            else tuple(dict.fromkeys(args.plots))
        figures = make_figures(names, network, test_X, test_y, network.predict_proba(test_X), history=history,
                               train_X=train_X, train_y=train_y, seed=args.seed, transform=plan.transform)
        figures.update(own_digits)
        if args.explain and args.trace is not None:
            figures[EXPLANATION] = explanation_figure(network, test_X[args.trace])
        paths = {"predictions": args.save_figure} if args.save_figure else None
        for name, path in Plots.show_or_save(figures, args.figure_dir, paths, report=False).items():
            print(f"Saved {describe(name, args.trace)} to {path.resolve()}")
    if pad is not None:
        import matplotlib.pyplot as plt
        if plt.fignum_exists(pad.figure.number):     # not shown yet (no other picture), or still open
            plt.show()
    if args.live:
        import matplotlib.pyplot as plt
        if plt.get_fignums():                        # the live view's window: kept up until it is closed
            print("The live view stays open with the last numbers: close its window to quit.")
            plt.show()
    if unread:
        raise DemoError(f"{unread} of the {len(args.predict)} image files could not be read (see above)")
    return accuracy


def find_learning_rate(network, args, plan, train_X, train_y):
    """--find-learning-rate: the range test on the training images (less --validation-size), its
    suggestion printed and its picture drawn; nothing is trained. Returns the suggestion."""
    print("Network:", network)
    result = network.find_learning_rate(train_X[:plan.n_train], train_y[:plan.n_train], args.batch_size)
    rates, losses = result["learning_rates"], result["losses"]
    lowest = rates[int(np.argmin(losses))]
    print(f"Learning-rate range test: {len(rates)} batches of {args.batch_size}, the rate growing from "
          f"{rates[0]:.2g} to {rates[-1]:.2g}; the loss was lowest at {lowest:.2g}.")
    print(f"Suggested learning rate: {result['suggestion']:.2g} (a tenth of that). Train with it: "
          f"add --learning-rate {result['suggestion']:.2g} to these options, without --find-learning-rate.")
    if not args.no_plot:
        import Plots
        for path in Plots.show_or_save({"learning_rates": Plots.plot_learning_rates(result)}, args.figure_dir,
                                       report=False).values():
            print(f"Saved the loss against the learning rate to {path.resolve()}")
    return result["suggestion"]


def describe(name, trace=None):
    """What the figure called name shows, for the line that says where it was saved."""
    if name == EXPLANATION:
        return f"why the network gave its answer for test digit {trace}"
    if name.startswith(EXPLANATION + "_"):
        return f"why the network gave its answer for {name[len(EXPLANATION) + 1:]}"
    return PLOTS.get(name) or OWN_DIGITS[name]


def explanation_figure(network, image):
    """Plots.plot_explanation(network, image), its ValueError (a network without hidden units) a DemoError."""
    import Plots
    try:
        return Plots.plot_explanation(network, image)
    except ValueError as error:
        raise DemoError(str(error)) from None


def predict_files(network, paths, plot=True, explain=False):
    """Print one line per image file: its name, the predicted digit and the three most likely ones.

    Files that cannot be read are reported and skipped. Returns the figures ({} if plot is False
    or no file could be read): 'digits', each image beside what the network saw and its outputs,
    and 'steps', each step of the preprocessing (Plots.plot_preprocessing); and the number of files
    that could not be read. explain: also 'explanation_<file name without its suffix>' for each, Plots.plot_explanation.
    """
    import Draw
    names, images, steps, outputs = [], [], [], []
    for path in paths:
        try:
            image = Draw.read_image(path)
            image_steps = Draw.preprocessing_steps(image)
        except (OSError, ValueError, TypeError) as error:
            print(f"{path}: error: {error}", file=sys.stderr)
            continue
        output = network.predict_proba(image_steps["centred"].reshape(1, -1))[0]   # preprocess_digit(image)
        print(f"{path}: {int(np.argmax(output))}  ({Draw.top_classes(output)})")
        names.append(Path(path).name)
        images.append(image)
        steps.append(image_steps)
        outputs.append(output)
    figures = {}
    if plot and names:
        import Plots
        digits = [image_steps["centred"] for image_steps in steps]
        figures = {"digits": Plots.plot_digit_predictions(names, images, digits, outputs),
                   "steps": Plots.plot_preprocessing(names, steps)}
        if explain:
            figures.update({f"{EXPLANATION}_{Path(name).stem}": explanation_figure(network, digit)
                            for name, digit in zip(names, digits)})
    return figures, len(paths) - len(names)
