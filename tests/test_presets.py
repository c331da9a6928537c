"""The training recipes of the demo (Options.py): settings, a short run of each, and the quick preset's accuracy.
None of them gives a TrainingWarning: each run here turns one into an error."""
import warnings

import pytest

from Diagnostics import TrainingWarning

from MNIST import main
from Options import PRESETS, parse_args


def test_a_preset_sets_its_defaults_and_explicit_options_win():
    args = parse_args(["--preset", "quick"])
    assert (args.hidden, args.output_activation, args.optimizer, args.schedule) == ([256], "Softmax", "momentum", "cosine")
    best = parse_args(["--preset", "best"])
    assert (best.augment, best.elastic, best.epochs, best.dropout, best.input_dropout) == (True, 1.0, 60, 0.2, 0.0)
    assert parse_args(["--preset", "best", "--no-augment"]).augment is False
    args = parse_args(["--preset", "best", "--epochs", "3", "--dropout", "0"])
    assert args.epochs == 3 and args.dropout == 0 and args.hidden == PRESETS["best"]["hidden"]
    notes = parse_args([])
    assert (notes.hidden, notes.output_activation, notes.epochs, notes.batch_size, notes.learning_rate) == \
        ([64], "Sigmoid", 10, 32, 0.001)


@pytest.mark.heavy
@pytest.mark.parametrize("preset", ["quick", "best"])
def test_a_short_run_of_each_preset_on_a_subset_beats_the_notes_recipe(demo, preset, capsys):
    common = ["--train-size", "6000", "--epochs", "3", "--no-plot", "--quiet"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)         # the recipes give no warning
        notes = demo(common)
        accuracy = demo(common + ["--preset", preset])
    assert accuracy > 90.0
    assert accuracy > notes
    assert f"Preset {preset}:" in capsys.readouterr().out


@pytest.mark.slow
def test_the_quick_preset_reaches_98_percent_on_the_real_test_set(mnist_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)         # and gives no warning on the way
        assert main(["--data-dir", str(mnist_dir), "--preset", "quick", "--no-plot", "--quiet"]) >= 98.0


@pytest.mark.slow
def test_the_best_preset_reaches_99_3_percent_on_the_real_test_set(mnist_dir):
    """About six minutes of training: the preset's claim (seed 0), checked on every CI run."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)         # and gives no warning on the way
        assert main(["--data-dir", str(mnist_dir), "--preset", "best", "--no-plot", "--quiet"]) >= 99.3
