"""trace follows a sample through the notes' equations: its numbers are the network's own, its
finite differences agree with its gradients, it changes nothing; explanation's shares add up to the
score; plot_network and plot_explanation draw those numbers."""
import re
from pathlib import Path

import numpy as np
import pytest

import Plots
import Trace
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Playground import playground_network
from Utils import one_hot_encode


def network_of(sizes, hidden="ReLU", output="Sigmoid", dtype=np.float64, input_scale=1 / 255, seed=0):
    network = NeuralNetwork(input_scale=input_scale, rng=seed)
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        activation = output if i == len(sizes) - 2 else hidden
        network.add_layer(Layer_dense(n_in, n_out, activation, rng=seed + i, dtype=dtype))
    for i, layer in enumerate(network.layers):      # biases away from 0, so that a mistake with b shows
        layer.b += np.random.default_rng(100 + i).normal(0, 0.1, layer.b.shape).astype(layer.b.dtype)
    return network


def samples(n, n_in, seed=1):
    return np.random.default_rng(seed).integers(0, 256, (n, n_in)).astype(np.float64)


CASES = [((20, 16, 5), "ReLU", "Sigmoid"), ((20, 16, 5), "Tanh", "Softmax"), ((20, 14, 13, 4), "LeakyReLU", "Softmax"),
         ((20, 14, 3), "Sigmoid", "Sigmoid"), ((20, 6, 3), "Softmax", "Sigmoid"), ((20, 4), "ReLU", "Softmax")]


@pytest.mark.parametrize("sizes, hidden, output", CASES)
@pytest.mark.parametrize("n", [1, 3])
def test_the_trace_holds_what_forward_and_backward_compute(sizes, hidden, output, n):
    network = network_of(sizes, hidden, output)
    X, y = samples(n, sizes[0]), np.arange(n) % sizes[-1]
    t = network.trace(X, y, learning_rate=0.01, verbose=False)
    output_values = network.forward(X)
    Y = one_hot_encode(y, sizes[-1], np.float64)
    np.testing.assert_array_equal(t["Y"], Y)
    np.testing.assert_array_equal(t["A0"], X * network.input_scale)     # as forward scales
    for l, layer in enumerate(network.layers, start=1):
        np.testing.assert_allclose(t[f"Z{l}"], layer.Z, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(t[f"A{l - 1}"], layer.A_prev, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(t[f"A{len(sizes) - 1}"], output_values, rtol=1e-12)
    assert t["loss"] == pytest.approx(network.loss(output_values, Y), rel=1e-12)
    np.testing.assert_allclose(t[f"dZ{len(sizes) - 1}"], output_values - Y, rtol=1e-12)
    dA = output_values - Y                             # backward, layer by layer, keeping each dA
    for l in range(len(network.layers), 0, -1):
        layer = network.layers[l - 1]
        dA_prev = layer.BackProp(dA, output_error=l == len(network.layers))
        np.testing.assert_allclose(t[f"dW{l}"], layer.dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(t[f"db{l}"], layer.db, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(t[f"W{l} updated"], layer.W - 0.01 * layer.dW, rtol=1e-12)
        np.testing.assert_allclose(t[f"b{l} updated"], layer.b - 0.01 * layer.db, rtol=1e-12)
        if l > 1:
            np.testing.assert_allclose(t[f"dA{l - 1}"], dA_prev, rtol=1e-10, atol=1e-14)
            layer_below = network.layers[l - 2]
            if layer_below.d_g is not None:
                np.testing.assert_allclose(t[f"dZ{l - 1}"], dA_prev * layer_below.d_g(layer_below.Z), rtol=1e-10,
                                           atol=1e-14)
        dA = dA_prev
    assert "dA0" not in t                              # the input's gradient: nobody needs it


def test_a_float32_network_is_traced_in_float64_with_its_own_numbers():
    network = network_of((20, 16, 5), dtype=np.float32)
    X = samples(1, 20)
    t = network.trace(X[0], 3, verbose=False)
    assert t["Z1"].dtype == np.float64
    np.testing.assert_allclose(t["A2"], network.forward(X), rtol=1e-5)


@pytest.mark.parametrize("sizes, hidden, output", CASES)
def test_every_finite_difference_agrees_with_its_gradient(sizes, hidden, output):
    network = network_of(sizes, hidden, output)
    t = network.trace(samples(2, sizes[0]), [1, 2], entries=4, verbose=False)
    differences = t["finite differences"]
    L = len(sizes) - 1
    expected = {f"{name}{l}" for l in range(1, L + 1) for name in ("dZ", "dW", "db")} | {f"dA{l}" for l in range(1, L)}
    assert set(differences) == expected
    for name, entries in differences.items():
        assert entries, name
        for index, (backprop, numerical) in entries.items():
            assert backprop == t[name][index]
            assert abs(backprop - numerical) <= 1e-7 * max(1.0, abs(backprop)), (name, index)


def test_a_wrong_gradient_is_seen_by_the_finite_differences(monkeypatch):
    """The finite differences are of the loss itself: a wrong dZ rule in the trace would not fool them."""
    network = network_of((20, 16, 5), "Tanh")
    monkeypatch.setattr(Trace, "_hidden_error", lambda layer, Z, dA: dA)      # g'(Z) forgotten
    t = network.trace(samples(1, 20), 1, verbose=False)
    worst = max(abs(b - n) for b, n in t["finite differences"]["dZ1"].values())
    assert worst > 1e-3


def test_trace_changes_neither_the_network_nor_the_caller_s_arrays():
    network = network_of((20, 16, 5), dtype=np.float32)
    X = samples(2, 20)
    network.forward(X)
    network.backward(network.forward(X) - one_hot_encode([0, 1], 5, np.float32))
    before = [(layer.W.copy(), layer.b.copy(), layer.dW.copy(), layer.db.copy(), layer.Z.copy())
              for layer in network.layers]
    X_before = X.copy()
    network.trace(X, [3, 4], verbose=False)
    for layer, saved in zip(network.layers, before):
        for array, copy in zip((layer.W, layer.b, layer.dW, layer.db, layer.Z), saved):
            np.testing.assert_array_equal(array, copy)
    np.testing.assert_array_equal(X, X_before)


def test_large_layers_show_the_units_with_the_largest_error_and_small_ones_all():
    network = network_of((40, 30, 5))
    t = network.trace(samples(1, 40), 2, entries=3, verbose=False)
    assert t["shown"][2] == [0, 1, 2, 3, 4]                          # 5 outputs: all
    largest = np.argsort(-np.abs(t["dZ1"][0]))[:3]
    assert t["shown"][1] == sorted(largest.tolist())
    assert t["shown"][0] == sorted(np.argsort(-t["A0"][0], kind="stable")[:3].tolist())
    column = int(np.argmax(np.abs(t["dW2"]).sum(axis=0)))          # into the output with the largest dW
    assert t["weights shown"][2] == [(i, column) for i in t["shown"][1]]
    j = max(t["shown"][1], key=lambda unit: abs(t["dW1"][:, unit]).sum())
    assert t["weights shown"][1] == [(i, j) for i in t["shown"][0]]


def test_the_printed_trace_shows_each_step_with_its_shape_and_numbers(capsys):
    network = network_of((40, 30, 5))
    t = network.trace(samples(1, 40), 2)
    out = capsys.readouterr().out
    lines = out.splitlines()
    steps = [line.split("  ")[1] for line in lines if line.startswith("  ") and not line.startswith("    ")
             and "(" in line]
    assert steps[:5] == ["A(0) = input_scale x", "Z(1) = A(0) W(1) + b(1)", "A(1) = ReLU(Z(1))",
                         "Z(2) = A(1) W(2) + b(2)", "A(2) = Sigmoid(Z(2))"]
    order = [line.split()[0] for line in lines if re.match(r"  d[ZWAb]\(\d\) =", line)]
    assert order == ["dZ(2)", "dW(2)", "db(2)", "dA(1)", "dZ(1)", "dW(1)", "db(1)"]
    dz1 = next(line for line in lines if line.startswith("  dZ(1) = dA(1) * ReLU'(Z(1))"))
    assert "(1, 30)" in dz1 and "(3 of 30)" in dz1
    for j in t["shown"][1]:
        assert f"[{j}] {t['dZ1'][0, j] + 0.0:.4g}" in dz1
    under = lines[lines.index(dz1) + 1]
    assert under.strip().startswith("finite differences")
    for j in t["shown"][1]:
        assert f"[{j}] {t['finite differences']['dZ1'][(0, j)][1] + 0.0:.4g}" in under
    assert f"= {t['loss']:.6g}" in out
    assert "binary cross-entropy" in out and "not applied" in out


def test_verbose_false_prints_nothing(capsys):
    network_of((20, 16, 5)).trace(samples(1, 20), 1, verbose=False)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("x, y, options, error, message", [
    (samples(11, 20), np.zeros(11, int), {}, ValueError,
     "trace follows one sample (or a few, up to 10); got 11. Try: network.trace(test_X[0], test_y[0])"),
    (samples(1, 19), 0, {}, ValueError, "data has 19 features per sample but the first layer expects 20"),
    (samples(2, 20), [0], {}, ValueError, "data and labels differ in length: 2 samples but 1 labels"),
    (samples(1, 20), 5, {}, ValueError, "labels must lie in [0, 5) for a network with 5 outputs; found 5"),
    (samples(1, 20), 1, {"learning_rate": -1}, ValueError, "learning_rate must be a positive number, got -1"),
    (samples(1, 20), 1, {"learning_rate": "0.1"}, TypeError, "learning_rate must be a number, got '0.1'"),
    (samples(1, 20), 1, {"entries": 0}, ValueError, "entries must be positive, got 0"),
    (samples(1, 20), 1, {"entries": 2.5}, TypeError, "entries must be an integer, got 2.5"),
])
def test_a_bad_argument_is_named(x, y, options, error, message):
    network = network_of((20, 16, 5))
    with pytest.raises(error) as raised:
        network.trace(x, y, **options)
    assert str(raised.value) == message


def test_inputs_scaled_twice_are_warned_about_at_the_learner_s_line():
    from test_diagnostics import UNDER_MUTMUT         # (mutmut's wrappers stand between the caller and Trace.py)
    network = network_of((20, 16, 5))
    with pytest.warns(UserWarning, match="it sees them scaled twice") as caught:
        network.trace(samples(1, 20) / 255, 1, verbose=False)
    assert caught[0].message.cause == "scaled_inputs"
    assert UNDER_MUTMUT or caught[0].filename == __file__


def test_one_hot_labels_get_the_network_s_message():
    network = network_of((20, 16, 5))
    with pytest.raises(ValueError, match="look one-hot encoded already"):
        network.trace(samples(2, 20), one_hot_encode([1, 2], 5), verbose=False)


# ---- explanation --------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, hidden, output", [c for c in CASES if len(c[0]) > 2])
def test_the_shares_add_up_to_the_score_of_the_answer_and_of_the_runner_up(sizes, hidden, output):
    network = network_of(sizes, hidden, output)
    x = samples(1, sizes[0])[0]
    found = Trace.explanation(network, x)
    outputs = network.forward(x.reshape(1, -1))[0]
    scores = network.layers[-1].Z[0]
    assert found["answer"] == int(np.argmax(outputs))
    assert found["runner_up"] == int(np.argsort(-outputs)[1])
    np.testing.assert_allclose(found["scores"], scores, rtol=1e-12)
    np.testing.assert_allclose(found["hidden"], network.layers[-1].A_prev[0], rtol=1e-12)
    for k in (found["answer"], found["runner_up"]):
        assert found["shares"][k].sum() + found["bias"][k] == pytest.approx(scores[k], rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(found["shares"][k], found["hidden"] * network.layers[-1].W[:, k], rtol=1e-12)


def test_one_hidden_layer_looks_for_its_first_layer_weights():
    network = network_of((20, 16, 5))
    found = Trace.explanation(network, samples(1, 20)[0])
    np.testing.assert_array_equal(found["looks_for"], network.layers[0].W.T)


@pytest.mark.parametrize("hidden", ["Tanh", "LeakyReLU"])
def test_deeper_networks_look_for_the_gradient_of_each_unit(hidden):
    network = network_of((20, 14, 13, 4), hidden)
    x = samples(1, 20)[0]
    found = Trace.explanation(network, x)
    assert found["looks_for"].shape == (13, 20)

    def unit(a0, j):
        A = a0.reshape(1, -1)
        for layer in network.layers[:-1]:
            A = layer.g(A @ layer.W + layer.b)
        return A[0, j]
    a0 = x / 255
    for j in (0, 5, 12):
        for i in (0, 7, 19):
            step = np.zeros(20)
            step[i] = 1e-6
            numerical = (unit(a0 + step, j) - unit(a0 - step, j)) / 2e-6
            assert found["looks_for"][j, i] == pytest.approx(numerical, rel=1e-5, abs=1e-9)


def test_a_network_without_hidden_layers_cannot_be_explained():
    with pytest.raises(ValueError) as raised:
        Trace.explanation(network_of((20, 4)), samples(1, 20)[0])
    assert str(raised.value) == (
        "explanation splits the output's score among the hidden units, and this network has no hidden layer: its "
        "score is sum_i A(0)_i W(1)_ik + b(1)_k. Try: Plots.plot_first_layer_weights(network), which draws W(1)")
    with pytest.raises(ValueError, match="explanation takes one image, got 2"):
        Trace.explanation(network_of((20, 16, 5)), samples(2, 20))


def test_the_explanation_picture_draws_shares_that_add_up_to_the_score():
    network = network_of((16, 12, 5))
    x = samples(1, 16)[0]
    found = Trace.explanation(network, x)
    fig = Plots.plot_explanation(network, x, count=2)
    rows = np.array(fig.axes).reshape(2, -1)
    for row, k in zip(rows, (found["answer"], found["runner_up"])):
        widths = [bar.get_width() for bar in row[1].patches]
        assert sum(widths) == pytest.approx(found["scores"][k], rel=1e-9, abs=1e-12)
        assert widths[-1] == pytest.approx(found["bias"][k])
        names = [label.get_text() for label in row[1].get_yticklabels()]
        assert names[-2:] == ["other units", "bias"]
        shares = found["shares"][k]
        up = [int(j) for j in np.argsort(-shares)[:2] if shares[j] > 0]
        assert names[:len(up)] == [f"unit {j}" for j in up]
        for bar in row[1].patches:
            assert bar.get_facecolor()[:3] == pytest.approx(
                __import__("matplotlib.colors").colors.to_rgb(Plots.POSITIVE if bar.get_width() >= 0 else Plots.NEGATIVE))
        pictures = [ax for ax in row[2:] if ax.images]
        assert [ax.get_title().split("\n")[0] for ax in pictures] == names[:-2]
        for ax, name in zip(pictures, names):
            j = int(name.split()[1])
            np.testing.assert_array_equal(ax.images[0].get_array(), found["looks_for"][j].reshape(4, 4))


# ---- plot_network -------------------------------------------------------------------------------

def test_plot_network_writes_the_trace_s_numbers_in_the_nodes_and_draws_every_weight():
    import matplotlib.colors
    network = playground_network([3], classes=2, seed=0)
    x = np.array([0.5, -0.2])
    t = network.trace(x, 1, verbose=False)
    fig = Plots.plot_network(network, x, 1)
    ax = fig.axes[0]
    texts = [text.get_text() for text in ax.texts]
    for j in range(3):
        assert f"Z {t['Z1'][0, j] + 0.0:.3g}\nA {t['A1'][0, j] + 0.0:.3g}\ndZ {t['dZ1'][0, j] + 0.0:.3g}" in texts
    assert f"x1\nA {t['A0'][0, 0]:.3g}" in texts
    lines = ax.get_lines()
    weights = np.concatenate([layer.W.ravel() for layer in network.layers])
    assert len(lines) == weights.size == 12
    for line, w in zip(lines, weights):
        assert matplotlib.colors.to_rgb(line.get_color()) == matplotlib.colors.to_rgb(
            Plots.POSITIVE if w > 0 else Plots.NEGATIVE)
    largest = ", ".join(f"{np.abs(layer.W).max():.3g}" for layer in network.layers)
    assert ax.get_title().endswith(f"the widest line of each layer: |W| = {largest}")
    first = network.layers[0].W.ravel()
    widths = [line.get_linewidth() for line in lines[:first.size]]
    assert np.argsort(widths).tolist() == np.argsort(np.abs(first)).tolist()
    assert max(widths) == pytest.approx(5.4)
    assert len(fig.axes) == 1


def test_plot_network_with_gradients_draws_dw_in_a_second_panel():
    network = playground_network([3], classes=2, seed=0)
    x = np.array([0.1, 0.3])                          # unit 1 of layer 1 is off: its dW are 0
    t = network.trace(x, 0, verbose=False)
    fig = Plots.plot_network(network, x, 0, gradients=True)
    assert len(fig.axes) == 2
    lines = fig.axes[1].get_lines()[:6]
    widths = [line.get_linewidth() for line in lines]
    assert np.argsort(widths, kind="stable").tolist() == np.argsort(np.abs(t["dW1"].ravel()), kind="stable").tolist()
    grey = [line for line, value in zip(fig.axes[1].get_lines(), np.concatenate([t["dW1"].ravel(), t["dW2"].ravel()]))
            if value == 0]
    assert len(grey) == 4 and all(line.get_color() == "lightgrey" for line in grey)
    assert fig.axes[1].get_title().endswith(f"|dW| = {np.abs(t['dW1']).max():.3g}, {np.abs(t['dW2']).max():.3g}")


def test_plot_network_refuses_a_network_too_large_to_read():
    network = network_of((784, 64, 10))
    with pytest.raises(ValueError) as raised:
        Plots.plot_network(network, samples(1, 784)[0], 3)
    assert str(raised.value) == (
        "plot_network draws layers of up to 16 units (the playground's networks); this one has 784 in a layer "
        "(784x64 ReLU -> 64x10 Sigmoid). Try: network.trace(x, y) for its numbers, or plot_first_layer_weights(network)")
    with pytest.raises(ValueError, match=r"plot_network draws one sample: x of shape \(2,\), got shape \(2, 2\)"):
        Plots.plot_network(playground_network([3]), np.zeros((2, 2)), 1)


# ---- the command line: --trace N and --explain ----------------------------------------------------

def test_demo_traces_a_test_digit_and_explains_it(demo, mnist, tmp_path, capsys):
    demo(["--train-size", "600", "--epochs", "1", "--quiet", "--trace", "3", "--explain",
          "--figure-dir", str(tmp_path)])
    out = capsys.readouterr().out
    label = int(mnist[1][1][3])
    assert f"Test digit 3 through the notes' equations:\nTrace of one sample (label {label}) through " \
           f"784x64 ReLU -> 64x10 Sigmoid" in out
    assert out.index("Test accuracy") < out.index("Test digit 3")
    path = tmp_path / "mnist_explanation.png"
    assert f"Saved why the network gave its answer for test digit 3 to {path.resolve()}" in out
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_explains_each_digit_it_predicts(demo, mnist, tmp_path, capsys):
    import matplotlib.pyplot as plt
    digit = tmp_path / "my_digit.png"
    plt.imsave(digit, 255 - np.asarray(mnist[1][0][0]).reshape(28, 28), cmap="gray", vmin=0, vmax=255)
    demo(["--train-size", "600", "--epochs", "1", "--quiet", "--predict", str(digit), "--explain",
          "--figure-dir", str(tmp_path / "figures")])
    out = capsys.readouterr().out
    path = tmp_path / "figures" / "mnist_explanation_my_digit.png"
    assert f"Saved why the network gave its answer for my_digit to {path.resolve()}" in out
    assert path.exists()


@pytest.mark.parametrize("options, message", [
    (["--trace", "10000"], "--trace takes the index of a test digit, 0 to 9999; got 10000"),
    (["--trace", "-1"], "--trace takes the index of a test digit, 0 to 9999; got -1"),
    (["--explain"], "--explain draws why the network answered for the --trace digit or the --predict files: "
                    "give --trace N or --predict FILE with it"),
    (["--explain", "--trace", "0", "--no-plot"], "--explain draws why the network answered for the --trace digit or "
     "the --predict files: give --trace N or --predict FILE with it, and leave out --no-plot (it turns every "
     "picture off)"),
    (["--explain", "--trace", "0", "--hidden"], "--explain splits the answer among the hidden units, and --hidden "
     "with no sizes makes a network without any; give --hidden 64 (the default), or leave out --explain"),
])
def test_a_bad_trace_or_explain_option_stops_before_mnist_is_loaded(demo, capsys, options, message):
    with pytest.raises(SystemExit) as stopped:
        demo(options)
    out, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert err.splitlines()[-1].endswith(": error: " + message)
    assert "Loaded MNIST" not in out


def test_the_pad_explains_its_drawing():
    from Draw import DigitPad, preprocess_digit
    network = network_of((784, 16, 10), dtype=np.float32)
    pad = DigitPad(network)
    with pytest.raises(ValueError) as raised:
        pad.explain()
    assert str(raised.value) == "the pad is empty: draw a digit first, then call pad.explain()"
    pad.stroke((140, 50), (140, 230))
    fig = pad.explain()
    found = Trace.explanation(network, preprocess_digit(pad.canvas_image))
    assert fig.axes[0].get_title().startswith(f"answer: {found['answer']}")


def test_a_real_digit_through_the_notes_network_fits_on_a_screen_and_agrees_with_its_definition(mnist, capsys):
    (train_X, train_y), (test_X, test_y) = mnist
    network = network_of((784, 64, 10), dtype=np.float32)
    network.train(train_X[:2000], train_y[:2000], 1, 32, 0.001, verbose=False)
    t = network.trace(test_X[0], test_y[0])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 40 and max(map(len, lines)) <= 200
    assert lines[0] == (f"Trace of one sample (label {test_y[0]}) through 784x64 ReLU -> 64x10 Sigmoid, computed in "
                        f"float64 without dropout; the network is not changed.")
    np.testing.assert_allclose(t["A2"], network.predict_proba(test_X[:1]), rtol=1e-5)
    assert t["shown"][0] == sorted(np.argsort(-test_X[0].astype(float), kind="stable")[:3].tolist())
    for name, entries in t["finite differences"].items():
        for backprop, numerical in entries.values():
            assert abs(backprop - numerical) <= 1e-7 * max(1.0, abs(backprop)), name


def test_the_tiny_network_s_trace_is_printed_as_the_walkthrough_shows_it(capsys):
    """Section 14 of the walkthrough (a doctest too) holds the whole printed trace: here it is compared
    line by line, so that the mutation run, which runs tests/ only, sees every word of it."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "walkthrough.md").read_text(encoding="utf-8")
    call = ">>> t = tiny.trace([0.5, -0.2], 1)\n"
    shown = text[text.index(call) + len(call):].split("\n>>> ")[0].splitlines()
    playground_network([3], classes=2, seed=0).trace([0.5, -0.2], 1)
    assert capsys.readouterr().out.splitlines() == shown


def test_a_trace_of_two_samples_through_larger_layers_is_printed_as_stored(capsys):
    """Two samples, layers larger than SHOW_ALL (2 entries shown of 13, of 39...), a Sigmoid output and
    ties among the brightest pixels (the first ones are shown): tests/traces/two_samples.txt, read and
    checked by eye, holds what is printed. The numbers themselves are tested above."""
    network = network_of((14, 13, 3), "Tanh", "Sigmoid", input_scale=1 / 255, seed=3)
    X = samples(2, 14, seed=5)
    X[:, :4] = 255
    t = network.trace(X, [2, 0], learning_rate=0.01, entries=2)
    assert t["shown"][0] == [0, 1]
    stored = (Path(__file__).resolve().parent / "traces" / "two_samples.txt").read_text(encoding="utf-8")
    assert capsys.readouterr().out == stored


def test_a_negative_times_zero_prints_as_0_and_each_sample_has_its_line(capsys):
    playground_network([3], classes=2, seed=0).trace([[0.5, -0.2], [0.1, 0.3]], [1, 0])
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("  dZ(1) = dA(1) * ReLU'(Z(1))        (2, 3)")
    assert lines[at + 1:at + 6] == ["      sample 0: [0] 0.09927  [1] 0.1562  [2] -0.1848",
                                    "      sample 1: [0] -0.106  [1] 0  [2] 0.1973",
                                    "    finite differences",
                                    "      sample 0: [0] 0.09927  [1] 0.1562  [2] -0.1848",
                                    "      sample 1: [0] -0.106  [1] 0  [2] 0.1973"]


def test_ten_samples_are_a_few_and_a_layer_of_twelve_is_shown_whole():
    network = network_of((20, 12, 3))                # W(2): 36 entries; W(1): 240
    t = network.trace(samples(10, 20), np.arange(10) % 3, entries=2, verbose=False)
    assert t["shown"][1] == list(range(12))
    small = network_of((3, 4, 3))                    # W(1): 12 entries, all shown
    t = small.trace(samples(1, 3), 1, verbose=False)
    assert t["weights shown"][1] == [(i, j) for i in range(3) for j in range(4)]
    assert len(t["weights shown"][2]) == 12


def test_the_update_line_shows_at_most_six_entries_and_a_small_layer_its_weights(capsys):
    network = network_of((3, 4, 3))                  # W(1): 12 entries, small enough to print
    network.trace(samples(1, 3), 1)
    lines = capsys.readouterr().out.splitlines()
    line = next(line for line in lines if line.startswith("  W(1): "))
    assert line.count("->") == 6
    weights = next(line for line in lines if line.startswith("  W(1) "))
    assert weights.split()[1:3] == ["(3,", "4)"] and weights.count("[") == 12



def test_a_deeper_network_names_its_own_output_in_the_loss(capsys):
    network_of((20, 14, 13, 4), "Tanh", "Softmax").trace(samples(1, 20), 1)
    out = capsys.readouterr().out
    assert "L = -sum Y log A(3) (categorical cross-entropy) = " in out
    assert "dZ(2) = dA(2) * Tanh'(Z(2))" in out and "dA(2) = dZ(3) W(3)^T" in out


def test_a_one_hot_row_for_one_sample_is_named():
    network = network_of((20, 16, 5))
    with pytest.raises(ValueError) as raised:
        network.trace(samples(1, 20), one_hot_encode([3], 5)[0])
    assert str(raised.value) == ("y looks like one one-hot row (5 entries, a single 1) for one sample: trace takes the "
                                 "class index. Try: y.argmax(), here 3")


def test_the_pictures_refuse_what_they_cannot_draw_with_what_to_use_instead():
    with pytest.raises(ValueError) as raised:
        Plots.plot_network(NeuralNetwork(), [0.1, 0.2], 0)
    assert str(raised.value) == "the network has no layers; add some with add_layer(Layer_dense(...))"
    with pytest.raises(ValueError) as raised:
        Plots.plot_explanation(playground_network([3]), [0.1, 0.2])
    assert str(raised.value) == (
        "plot_explanation draws images (a square number of inputs, 784 for MNIST); this network has 2 inputs. Try: "
        "Trace.explanation(network, x) for the shares, or Plots.plot_network(network, x, y) for a small network")
    with pytest.raises(TypeError):                   # a label where count would go: count is named
        Plots.plot_explanation(network_of((16, 12, 5)), samples(1, 16)[0], 7)


def test_the_loss_of_several_samples_is_said_to_be_a_sum(capsys):
    network = network_of((20, 16, 5))
    t = network.trace(samples(3, 20), [0, 1, 2])
    assert f"= {t['loss']:.6g} (summed over the 3 samples, as are the gradients)" in capsys.readouterr().out
