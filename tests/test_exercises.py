"""exercises/check.py: the library passes every check; right answers pass; each known mistake, planted,
gets its own hint and no other; untouched exercises are "not done yet"; a learner's syntax error or
exception names the learner's line. The right answers live here only: the library is the answer."""
import io
import shutil
import sys
import textwrap

import numpy as np
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "exercises"))
from exercises import check  # noqa: E402 (by its package name, as the mutation tool names it)

from exercise_attempts import LEARNERS_WRONG, RIGHT, TRAIN, WRONG  # noqa: E402

ANSWERS = {}                                   # the first right answer of each exercise but 7
for _name, _how, _source in RIGHT:
    ANSWERS.setdefault(_name, _source)
del ANSWERS["ex7_train"]


@pytest.fixture
def folder(tmp_path):
    """A copy of the exercises as a learner gets them."""
    target = tmp_path / "exercises"
    shutil.copytree(REPO / "exercises", target, ignore=shutil.ignore_patterns("check.py", "__pycache__"))
    return target


def answer(folder, name, source=None):
    """Write a learner's answer: the right one from ANSWERS, or source; for exercise 7, source is the
    function train, put in place of the one to write."""
    source = textwrap.dedent(source if source is not None else ANSWERS[name])
    if name == "ex7_train":
        text = (folder / "ex7_train.py").read_text()
        body = 'raise NotImplementedError("write train")'
        start = text.index("def train(")
        end = text.index(body, start) + len(body)
        source = text[:start] + source.strip() + text[end:]
    (folder / f"{name}.py").write_text(source)


def answer_all(folder, upto=10):
    for number in range(1, upto + 1):
        name = check.EXERCISES[number][0]
        if name in ANSWERS:
            answer(folder, name)
        elif name == "ex7_train":
            answer(folder, name, TRAIN)


def run(*argv):
    out = io.StringIO()
    status = check.main([str(a) for a in argv], out=out)
    return status, out.getvalue()


def hints(output):
    return [line.strip()[len("hint: "):] for line in output.splitlines() if line.strip().startswith("hint: ")]


# ---- the library, and right answers ----------------------------------------------------------------

@pytest.mark.heavy
def test_the_library_passes_every_check(mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    status, output = run("--reference")
    assert status == 0 and output.endswith("The library passes every check.\n")
    assert "FAILED" not in output and output.count(" done. The library's version: ") == 10


@pytest.mark.heavy
def test_right_answers_pass_every_exercise_in_order(folder, mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    answer_all(folder)
    text = (folder / "ex9_broken_network.py").read_text()
    (folder / "ex9_broken_network.py").write_text(
        text.replace("pixels = train_X / 255.0", "pixels = train_X").replace("32, 0.1)", "32, 0.001, verbose=False)"))
    status, output = run("--folder", folder)
    assert "FAILED" not in output and status == 0, output
    assert "Exercise 7 done" in output and "Exercise 10 done" in output
    assert "All checked exercises are done." in output


def test_untouched_exercises_say_not_done_yet_without_a_traceback(folder):
    status, output = run("--folder", folder)
    assert status == 1
    assert output.splitlines() == ["Exercise 1: mini-batches (exercises/ex1_batch.py)",
                                   "  not done yet: 10 samples in batches of 3: 3, 3, 3, then the last 1"]
    answer(folder, "ex1_batch")
    status, output = run("--folder", folder)
    assert "Exercise 1 done." in output and output.splitlines()[-1] == (
        "  not done yet: [0, 2, 1] with 3 classes (the notes' example)") and status == 1


def test_a_syntax_error_names_the_learners_line(folder):
    answer(folder, "ex1_batch", "def batch(data, labels, batch_size)\n    yield data, labels\n")
    status, output = run(1, "--folder", folder)
    assert status == 1 and "Traceback" not in output
    assert "  FAILED  the file cannot be imported: ex1_batch.py, line 1: expected ':'" in output


def test_an_exception_in_the_learners_code_names_its_line(folder):
    answer(folder, "ex4_forward", """
        def forward(A_prev, W, b, g):
            Z = A_prev @ W + bias
            return g(Z), Z
    """)
    status, output = run(4, "--folder", folder)
    assert status == 1 and "Traceback" not in output
    assert output.splitlines()[1:] == [
        "  FAILED  N=1, n_in=3, n_out=3, float64: your code raised NameError: name 'bias' is not defined",
        "          at ex4_forward.py, line 3, in forward: Z = A_prev @ W + bias"]


def test_the_checkers_own_lines_are_never_blamed_in_the_exercises_folder(monkeypatch):
    """With the checker beside the exercises (as a learner runs it), its frames are not the learner's."""
    error = None
    try:
        check.compare(np.zeros(2), np.ones((3, 3)), "x")[0]
    except check.Mistake:
        pass
    try:
        check.pair(np.zeros(2), "forward", "A, Z", None)
    except check.Mistake as mistake:
        error = mistake
    assert str(error) == "forward returned an array of shape (2,); it returns the pair A, Z"
    try:
        check.one_line(None)[5]
    except Exception as raised:       # an error inside check.py itself
        error = raised
    assert check.where(error, check.HERE, "ex4_forward").splitlines()[1].strip() == (
        "(in the checker, with what your function returned: see its docstring for what it returns)")


def test_a_backward_loop_in_forward_order_names_the_training_loops_line_and_the_layer_it_reached(
        folder, mnist_dir, monkeypatch):
    from exercise_attempts import train
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    answer_all(folder, upto=6)
    answer(folder, "ex7_train", train(("reversed(range(len(layers)))", "range(len(layers))")))
    status, output = run(7, "--folder", folder)
    lines = output.splitlines()[1:]                  # after "passed  exercises 1, 2, 4, 5 and 6 ..."
    assert status == 1 and lines[1].startswith("  FAILED  2 epochs on 96 images, batches of 32, rate 0.01: the weights "
                                               "and accuracies of the notes' loop: your code raised ValueError: operands could not "
                                               "be broadcast together with shapes (32,10) (32,16) ")
    line = next(n for n, text in enumerate((folder / "ex7_train.py").read_text().splitlines(), start=1)
                if "dA = layers[k].BackProp(" in text)
    assert lines[2] == (f"          at ex7_train.py, line {line}, in train: "
                        f"dA = layers[k].BackProp(dA, output_error=k == len(layers) - 1)")
    assert lines[3] == "          inside ex5_backward.py, line 4, in backward: dZ = dA if output_error else dA * d_g(Z)"
    assert hints(output) == [check.HINTS["backward_loop_order"]]


def test_an_exercise_that_needs_an_earlier_one_names_it(folder, mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    answer_all(folder, upto=4)
    answer(folder, "ex7_train", TRAIN)
    status, output = run(7, "--folder", folder)
    assert status == 1 and output.splitlines()[1:] == [
        "  not done yet: exercises 1, 2, 4, 5 and 6, which train uses, pass their checks: it uses exercise 5, "
        "which still raises NotImplementedError; write ex5_backward.py first (python exercises/check.py 5)"]


def test_without_mnist_exercise_7_says_so_in_two_lines(folder, tmp_path, monkeypatch):
    import MNIST
    monkeypatch.setenv("MNIST_DATA_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setattr(MNIST, "MIRRORS", ["http://127.0.0.1:9/"])
    monkeypatch.setattr(MNIST.load_mnist, "__defaults__", (None, True, ["http://127.0.0.1:9/"]))
    answer_all(folder, upto=7)
    status, output = run(7, "--folder", folder)
    lines = output.splitlines()
    assert status == 1 and "Traceback" not in output and len(lines) == 3, output
    assert lines[1].startswith("  cannot check it without MNIST: could not download train-images-idx3-ubyte.gz:")
    assert lines[2].startswith("  To provide MNIST by hand, put the four files ")


def test_a_failed_check_shows_the_case_expected_beside_yours_and_the_first_difference(folder):
    answer(folder, "ex2_one_hot", """
        import numpy as np

        def one_hot_encode(labels, num_classes):
            return np.eye(num_classes)[labels - 1]
    """)
    status, output = run(2, "--folder", folder)
    assert output.splitlines()[1:] == [
        "  FAILED  [0, 2, 1] with 3 classes (the notes' example): one_hot_encode([0, 2, 1], 3) is wrong",
        "          first difference at [0, 0]: yours 0, expected 1 (6 of 9 entries differ)",
        "          expected: [[1., 0., 0.], [0., 0., 1.], [0., 1., 0.]]",
        "          yours:    [[0., 0., 1.], [0., 1., 0.], [1., 0., 0.]]",
        "          hint: " + check.HINTS["off_by_one"]]


# ---- learners' attempts: each wrong one fails with its hint, each right one passes ------------------

def attempt(folder, name, source, monkeypatch, mnist_dir):
    """The earlier exercises answered right, this one as source; its check's (status, output)."""
    number = int(name[2:].split("_")[0])
    if number in check.NEEDS_MNIST:
        monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    answer_all(folder, upto=min(number - 1, 8))
    answer(folder, name, source)
    return run(number, "--folder", folder)


@pytest.mark.parametrize("name, what, source, hint, words", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_a_wrong_attempt_fails_with_the_hint_that_names_its_mistake(folder, monkeypatch, request, name, what, source,
                                                                     hint, words):
    mnist = request.getfixturevalue("mnist_dir") if int(name[2:].split("_")[0]) in check.NEEDS_MNIST else None
    status, output = attempt(folder, name, source, monkeypatch, mnist)
    assert status == 1 and "  FAILED  " in output and "Traceback" not in output, output
    assert hints(output) == ([check.HINTS[hint]] if hint else []), output
    assert words is None or words in output, output


@pytest.mark.parametrize("name, how, source", RIGHT, ids=[f"{r[0]}-{r[1]}" for r in RIGHT])
def test_a_right_attempt_passes(folder, monkeypatch, request, name, how, source):
    mnist = request.getfixturevalue("mnist_dir") if int(name[2:].split("_")[0]) in check.NEEDS_MNIST else None
    status, output = attempt(folder, name, source, monkeypatch, mnist)
    assert status == 0 and "FAILED" not in output, output


@pytest.mark.parametrize("name, what, source", LEARNERS_WRONG, ids=[f"{w[0]}-{w[1]}" for w in LEARNERS_WRONG])
def test_a_learners_wrong_file_fails_without_a_traceback(folder, monkeypatch, request, name, what, source):
    mnist = request.getfixturevalue("mnist_dir") if int(name[2:].split("_")[0]) in check.NEEDS_MNIST else None
    status, output = attempt(folder, name, source, monkeypatch, mnist)
    assert status == 1 and "  FAILED  " in output and "Traceback" not in output, output


def test_most_wrong_attempts_get_a_hint_that_names_the_mistake():
    named = sum(hint is not None for *_, hint, _ in WRONG)
    assert named / len(WRONG) >= 0.8 and len({w[0] for w in WRONG}) == 10


# ---- a mistake planted in the library makes --reference fail with that mistake's hint ---------------

def test_a_mistake_planted_in_the_library_fails_the_reference_run_with_its_hint(monkeypatch):
    import Layer_dense
    original_backprop = Layer_dense.Layer_dense.BackProp

    def mean_backprop(self, dA, *args, **kwargs):
        dA_prev = original_backprop(self, dA, *args, **kwargs)
        self.dW, self.db = self.dW / len(dA), self.db / len(dA)     # planted: a mean where the notes sum
        return dA_prev
    monkeypatch.setattr(Layer_dense.Layer_dense, "BackProp", mean_backprop)
    status, output = run(5, "--reference")
    assert status == 1 and hints(output) == [check.HINTS["mean"]]
    monkeypatch.setattr(Layer_dense.Layer_dense, "BackProp", original_backprop)

    def wrong_sign(self, learning_rate):
        self.W += learning_rate * self.dW
        self.b += learning_rate * self.db
    monkeypatch.setattr(Layer_dense.Layer_dense, "update_parameters", wrong_sign)
    status, output = run(6, "--reference")
    assert status == 1 and hints(output) == [check.HINTS["sign"]]

    def no_max(z):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)
    monkeypatch.setattr(Layer_dense.Activation, "softmax", staticmethod(no_max))
    status, output = run(3, "--reference")
    assert status == 1 and hints(output) == [check.HINTS["softmax_overflow"]]


def test_the_broken_network_fails_with_what_the_library_said(folder, mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    status, output = run(9, "--folder", folder)
    assert status == 1
    said = [line.strip() for line in output.splitlines() if "the library said:" in line]
    assert [line.split(": ", 1)[1][:40] for line in said] == ["the inputs already lie in 0..1 (the larg",
                                                              "64 of the 64 units of layer 1 (ReLU) gav"]


# ---- the 2-D playground ----------------------------------------------------------------------------

def test_the_data_sets_are_seeded_balanced_and_what_their_docstrings_say():
    import Playground
    X, y = Playground.spirals(points_per_class=50, classes=4, seed=3)
    X2, y2 = Playground.spirals(points_per_class=50, classes=4, seed=3)
    assert X.shape == (200, 2) and np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.bincount(y).tolist() == [50] * 4 and np.abs(X).max() < 1.7
    X, y = Playground.xor(points=400, noise=0.0, seed=1)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))           # opposite corners share a class
    X, y = Playground.circles(points=400, noise=0.0, seed=1)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 1, 0.35, 0.85))
    assert not np.array_equal(Playground.spirals(seed=0)[0], Playground.spirals(seed=1)[0])


def test_the_decision_boundary_picture_shades_each_class_and_changes_where_the_network_does():
    import matplotlib.pyplot as plt

    import Plots
    from Layer_dense import Layer_dense
    from Network import NeuralNetwork
    network = NeuralNetwork(input_scale=1)
    network.add_layer(Layer_dense(2, 2, "Softmax", dtype=np.float64))
    network.layers[0].W[:] = [[1.0, -1.0], [0.0, 0.0]]                      # class 0 where x1 > 0
    network.layers[0].b[:] = 0.0
    X = np.array([[-1.0, -1.0], [-0.5, 1.0], [0.5, -1.0], [1.0, 1.0]])
    y = np.array([1, 1, 0, 0])
    fig = Plots.plot_decision_boundary(network, X, y, resolution=101, margin=0.0)
    ax = fig.axes[0]
    regions = ax.get_images()[0].get_array()
    assert regions.shape == (101, 101) and list(ax.get_images()[0].get_extent()) == [-1.0, 1.0, -1.0, 1.0]
    assert (regions[:, :50] == 1).all() and (regions[:, 51:] == 0).all()    # the boundary at x1 = 0
    tab10 = plt.get_cmap("tab10").colors
    assert [tuple(c[:3]) for c in ax.get_images()[0].cmap.colors] == [tab10[0], tab10[1]]
    faces = ax.collections[0].get_facecolors()[:, :3]
    np.testing.assert_allclose(faces, [tab10[c] for c in y])
    assert ax.get_title() == "2x2 Softmax\naccuracy on these points: 100.0%"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    plt.close(fig)
    with pytest.raises(ValueError, match=r"^plot_decision_boundary draws networks with 2 inputs and points X of "
                                         r"shape \(N, 2\); got X of shape \(4, 3\)"):
        Plots.plot_decision_boundary(network, np.zeros((4, 3)), y)


def test_a_network_without_hidden_layer_on_xor_is_told_why_it_cannot_learn():
    import warnings

    import Playground
    X, y = Playground.xor(seed=0)
    network = Playground.playground_network([], classes=2, seed=0)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        history = network.train(X, y, 30, 30, 0.01, verbose=False)
    assert [w.cause for w in history["warnings"]] == ["no_progress"]
    assert str(history["warnings"][0]).endswith(
        "Likely cause: with no hidden layer the network can only split the inputs by straight lines "
        "(hyperplanes), and these classes need more. Try a hidden layer, e.g. 16 ReLU units.")
    hidden = Playground.playground_network([16], classes=2, seed=0)
    assert hidden.train(X, y, 300, 30, 0.01, verbose=False)["warnings"] == [] and hidden.evaluate(X, y) == 100.0
