"""Pictures that explain a trained network, and your own digits. Each function takes arrays (or a
network or a history) and returns a matplotlib Figure, so a notebook can show it; show_or_save
puts figures on screen where there is a display and into PNG files where there is none
(display_kind decides which, for every module). Nothing here changes a network.
"""
import copy

import numpy as np

from Diagnostics import unit_statistics
from Utils import check_labels, one_hot_encode

NON_INTERACTIVE_BACKENDS = ("agg", "cairo", "pdf", "pgf", "ps", "svg", "template")


def _image_side(n_features):
    """The side of the square image that n_features pixels make (28 for MNIST's 784)."""
    side = int(round(np.sqrt(n_features)))
    if side * side != n_features:
        raise ValueError(f"cannot draw {n_features} features as a square image")
    return side


def _image_grid(rows, cols, cell_width, cell_height):
    """A figure with a rows x cols grid of frameless axes for images, and those axes in order."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(rows, cols, figsize=(cell_width * cols, cell_height * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def plot_predictions(images, labels, predictions, rows=5, cols=5):
    """A rows x cols grid of digits titled 'predicted (true label)', mistakes in red."""
    fig, axes = _image_grid(rows, cols, 1.6, 1.8)
    side = _image_side(np.shape(images)[1])
    for ax, image, label, prediction in zip(axes, images, labels, predictions):
        ax.imshow(np.reshape(image, (side, side)), cmap="gray_r")
        wrong = prediction != label
        ax.set_title(f"{prediction} (true {label})" + (" ✗" if wrong else ""),
                     color="red" if wrong else "black", fontsize=9)
    fig.suptitle("Test digits: predicted (true label)")
    fig.tight_layout()
    return fig


def plot_history(history):
    """Loss and accuracy per epoch from NeuralNetwork.train's history, training and validation."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history["loss"]) + 1)
    for key, ax, scale in (("loss", ax_loss, 1), ("accuracy", ax_accuracy, 100)):
        ax.plot(epochs, np.multiply(history[key], scale), "o-", label="training")
        if history.get("val_" + key):
            ax.plot(epochs, np.multiply(history["val_" + key], scale), "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("mean loss per sample" if key == "loss" else "accuracy (%)")
        ax.grid(alpha=0.3)
        ax.legend()
    ax_loss.set_title("Loss")
    ax_accuracy.set_title("Accuracy")
    if history.get("val_loss"):
        fig.text(0.5, 0.01, "The training figures are averaged over each epoch while the network is still learning "
                 "(and dropout or augmentation make its training inputs harder), so the validation curves can lie "
                 "below the training ones.", ha="center", va="bottom", fontsize=8, wrap=True)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
    else:
        fig.tight_layout()
    return fig


def confusion_matrix(labels, predictions, num_classes):
    """C[i, j] = number of samples of true class i predicted as class j, shape (num_classes, num_classes)."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions do not match: shapes {labels.shape} and {predictions.shape}")
    check_labels(labels, num_classes)
    check_labels(predictions, num_classes, name="predictions")
    counts = np.bincount(labels * num_classes + predictions, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def plot_confusion_matrix(matrix):
    """The confusion matrix annotated with its counts (rows: true, columns: predicted).

    The mistakes (off the diagonal) are coloured on their own scale, from white to the largest of
    them in red, so that they stand out; the diagonal's counts of correct answers are written on grey.
    """
    import matplotlib.pyplot as plt
    matrix = np.asarray(matrix)
    n = len(matrix)
    mistakes = np.where(np.eye(n, dtype=bool), np.nan, matrix).astype(float)
    largest = max(float(np.nanmax(mistakes)) if n > 1 else 0.0, 1.0)
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.imshow(np.where(np.eye(n, dtype=bool), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)   # the diagonal
    image = ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=largest)
    for i in range(n):
        for j in range(n):
            dark = i != j and matrix[i, j] > largest / 2
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"Confusion matrix ({matrix.sum()} samples, {np.trace(matrix)} correct)")
    fig.colorbar(image, ax=ax, label="mistakes: samples of the row's class read as the column's")
    fig.tight_layout()
    return fig


def plot_misclassified(images, labels, probabilities, count=25, cols=5):
    """Up to count misclassified digits with true label, prediction and its probability (confidence)."""
    predictions = np.argmax(probabilities, axis=1)
    wrong = np.flatnonzero(predictions != labels)[:count]
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = _image_grid(rows, cols, 1.8, 2.0)
    side = _image_side(np.shape(images)[1])
    for ax, i in zip(axes, wrong):
        ax.imshow(np.reshape(images[i], (side, side)), cmap="gray_r")
        ax.set_title(f"true {labels[i]}, said {predictions[i]}\n({probabilities[i, predictions[i]]:.0%} sure)",
                     fontsize=8, color="red")
    fig.suptitle(f"Misclassified: {np.count_nonzero(predictions != labels)} of {len(labels)} "
                 f"(the first {len(wrong)} shown)")
    fig.tight_layout()
    return fig


def plot_first_layer_weights(network, count=64, cols=8):
    """Each hidden neuron's incoming weights W[:, j] of the first layer as an image: what it responds to.

    Red pixels push the neuron's Z up, blue ones push it down.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    W = network.layers[0].W
    side = _image_side(W.shape[0])
    count = min(count, W.shape[1])
    rows = -(-count // cols)
    fig, axes = _image_grid(rows, cols, 1.3, 1.3)
    for j, ax in zip(range(count), axes):
        limit = np.abs(W[:, j]).max()
        ax.imshow(W[:, j].reshape(side, side), cmap="bwr", vmin=-limit, vmax=limit)
        ax.set_title(str(j), fontsize=7)
    fig.suptitle(f"First-layer weights of {count} hidden neurons\n"
                 "(each tile on its own colour scale, from minus to plus its largest |weight|)", fontsize=11)
    fig.tight_layout(rect=(0, 0, 0.84, 1))
    legend = fig.add_axes((0.86, 0.2, 0.02, 0.6))
    bar = fig.colorbar(plt.cm.ScalarMappable(Normalize(-1, 1), cmap="bwr"), cax=legend, ticks=[-1, 0, 1])
    bar.ax.set_yticklabels(["ink here\npushes Z\ndown", "no effect", "ink here\npushes Z\nup"], fontsize=8)
    return fig


def plot_augmented(images, transformed):
    """Each image (top row) above its transformed version (bottom row), e.g. from Augmentation.random_affine."""
    fig, axes = _image_grid(2, len(images), 1.3, 1.5)
    axes = list(axes)
    side = _image_side(np.shape(images)[1])
    for k, (image, new) in enumerate(zip(images, transformed)):
        for ax, picture in ((axes[k], image), (axes[len(images) + k], new)):
            ax.imshow(np.reshape(picture, (side, side)), cmap="gray_r", vmin=0, vmax=255)
    axes[0].set_title("as given", fontsize=8, loc="left")
    axes[len(images)].set_title("augmented", fontsize=8, loc="left")
    fig.suptitle("Training digits before and after augmentation")
    fig.tight_layout()
    return fig


def plot_learning_rates(result):
    """The learning-rate range test of NeuralNetwork.find_learning_rate: the smoothed loss against
    the learning rate (log scale), with the suggestion marked."""
    import matplotlib.pyplot as plt
    rates, losses, suggestion = result["learning_rates"], result["losses"], result["suggestion"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.semilogx(rates, losses, "-", color="tab:blue")
    lowest = int(np.argmin(losses))
    ax.plot(rates[lowest], losses[lowest], "o", color="tab:orange", label=f"lowest loss at {rates[lowest]:.2g}")
    ax.axvline(suggestion, color="tab:green", linestyle="--",
               label=f"suggestion {suggestion:.2g} (a tenth of that)")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("loss per sample (smoothed)")
    ax.set_title("Learning-rate range test: one batch per rate, the rate growing each step")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_activations(network, data, labels=None, samples=512, bins=50):
    """Per layer, the histogram of its outputs a(l) on the first `samples` rows of data, titled with
    the share of dead (ReLU: 0 for every sample) or saturated (Sigmoid, Tanh: at their limits for
    every sample) units. With labels, a second row: the histogram of each layer's weight gradient
    dW after one backward pass of that batch (on a copy; the network is not changed). Healthy
    layers spread their outputs; a spike at 0 (dead) or at the limits (saturated) means units
    that no longer learn, and gradients all near 0 mean a layer that barely moves.
    """
    import matplotlib.pyplot as plt
    X = np.asarray(data)[:samples]
    statistics = unit_statistics(network, network._check_inputs(X))
    rows = 1 if labels is None else 2
    fig, axes = plt.subplots(rows, len(statistics), figsize=(3.6 * len(statistics), 3.2 * rows), squeeze=False)
    for number, (ax, layer) in enumerate(zip(axes[0], statistics), start=1):
        ax.hist(layer["outputs"].ravel(), bins=bins, color="tab:blue")
        if layer["activation"] == "ReLU":
            state = f"{100 * layer['dead']:.0f}% of units dead"
        elif layer["activation"] in ("Sigmoid", "Tanh") and number < len(statistics):
            state = f"{100 * layer['saturated']:.0f}% of units saturated"
        else:
            state = "output layer"
        ax.set_title(f"layer {number} ({layer['activation']}): {state}", fontsize=9)
        ax.set_xlabel(f"output a({number})")
        ax.set_ylabel("count")
    if labels is not None:
        copied = copy.deepcopy(network)
        output = copied.forward(X)
        copied.backward(output - one_hot_encode(np.asarray(labels)[:samples], output.shape[1], output.dtype))
        for number, (ax, layer) in enumerate(zip(axes[1], copied.layers), start=1):
            ax.hist(layer.dW.ravel(), bins=bins, color="tab:orange")
            ax.set_title(f"layer {number}: gradient dW (mean |dW| {np.abs(layer.dW).mean():.2g})", fontsize=9)
            ax.set_xlabel(f"dW({number})")
            ax.set_ylabel("count")
    fig.suptitle(f"Inside the network: {len(X)} samples")
    fig.tight_layout()
    return fig


def plot_decision_boundary(network, X, y, resolution=300, margin=0.1, title=None):
    """A network with 2 inputs divides the plane: each point of a resolution x resolution grid is
    shaded by the class the network predicts there, and the samples X (N, 2) are drawn on top in
    their classes' colours (black edges). The boundaries are where the shading changes colour; a
    network without hidden layers can only draw straight ones. The title gives the accuracy on X.
    """
    import matplotlib.pyplot as plt
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or network.layers[0].n_in != 2:
        raise ValueError(f"plot_decision_boundary draws networks with 2 inputs and points X of shape (N, 2); "
                         f"got X of shape {X.shape} and a first layer with {network.layers[0].n_in} inputs")
    check_labels(y, network.layers[-1].n_out)
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    fig, ax = plt.subplots(figsize=(5.5, 5))
    colours = draw_regions(ax, network, plane_points(low, high, resolution), (low[0], high[0], low[1], high[1]))
    ax.scatter(X[:, 0], X[:, 1], c=[colours[c] for c in y], edgecolors="black", linewidths=0.5, s=18)
    accuracy = 100 * np.mean(network.predict(X) == y)
    ax.set_title(f"{title or network}\naccuracy on these points: {accuracy:.1f}%", fontsize=10)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    fig.tight_layout()
    return fig



def plane_points(low, high, resolution):
    """The resolution x resolution points of the plane from low to high (each (x1, x2)), as rows:
    row i * resolution + j is x1 = the j-th, x2 = the i-th of the evenly spaced values."""
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


def draw_regions(ax, network, plane, extent):
    """Shade ax by the class network predicts at each point of plane (plane_points, covering extent
    (x1 low, x1 high, x2 low, x2 high)); returns the classes' colours, for the points drawn on top."""
    from matplotlib.colors import ListedColormap
    import matplotlib.pyplot as plt
    classes = network.layers[-1].n_out
    resolution = int(round(np.sqrt(len(plane))))
    colours = plt.get_cmap("tab10").colors[:classes]
    ax.imshow(network.predict(plane).reshape(resolution, resolution), origin="lower", extent=extent, aspect="auto",
              cmap=ListedColormap(colours), vmin=-0.5, vmax=classes - 0.5, alpha=0.35, interpolation="nearest")
    return colours


NETWORK_MAX_UNITS = 16   # plot_network draws layers of at most this many units (the playground's sizes)
POSITIVE, NEGATIVE = "tab:orange", "tab:blue"   # a weight's or share's sign, as TF Playground colours them


def plot_network(network, x, y, gradients=False):
    """A small network (the playground's sizes) as TF Playground draws it, with one sample's numbers.

    Every unit is a node showing its Z and A (forward) and dZ (backward) for the sample x (n_in,) of
    label y, the input nodes their A(0); every weight is a line, orange when positive, blue when
    negative (grey when 0), as wide as its size relative to the largest of its layer (the title gives it). gradients=True adds a second panel where the lines are the
    gradients dW instead (what backpropagation found for this sample). The numbers are those of
    network.trace(x, y) (Trace.py): nothing is changed.
    """
    import matplotlib.pyplot as plt
    if not network.layers:
        raise ValueError("the network has no layers; add some with add_layer(Layer_dense(...))")
    widths = [network.layers[0].n_in] + [layer.n_out for layer in network.layers]
    if max(widths) > NETWORK_MAX_UNITS:
        raise ValueError(f"plot_network draws layers of up to {NETWORK_MAX_UNITS} units (the playground's "
                         f"networks); this one has {max(widths)} in a layer ({network}). Try: "
                         f"network.trace(x, y) for its numbers, or plot_first_layer_weights(network)")
    if np.ndim(x) != 1:
        raise ValueError(f"plot_network draws one sample: x of shape ({widths[0]},), got shape {np.shape(x)}")
    t = network.trace(x, y, verbose=False)
    L, tallest = len(network.layers), max(widths)
    panels = [("W", "weights")] + ([("dW", "gradients dW of this sample's loss")] if gradients else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(2.4 * (L + 1) * len(panels), 0.95 * tallest + 1.4),
                             squeeze=False)
    for ax, (name, meaning) in zip(axes[0], panels):
        largest = _draw_network(ax, network, t, widths, name)
        ax.set_title(f"lines: {meaning} (orange positive, blue negative, grey 0; width their size)\n"
                     f"the widest line of each layer: |{name}| = {', '.join(f'{value:.3g}' for value in largest)}",
                     fontsize=9)
    label, answer = int(t["Y"][0].argmax()), int(t[f"A{L}"][0].argmax())
    fig.suptitle(f"{network}: one sample, label {label}, answer {answer}, loss {t['loss']:.3g}", fontsize=10)
    fig.tight_layout()
    return fig


def _draw_network(ax, network, t, widths, name):
    """plot_network's drawing on ax: nodes with their numbers, lines for W (name 'W') or dW ('dW').
    Returns each layer's largest |value|, the width of its widest line."""
    import matplotlib.pyplot as plt
    L, tallest, spacing = len(network.layers), max(widths), 2.0

    def place(l):            # the (x, y) of each unit of layer l, centred vertically
        return [(spacing * l, (widths[l] - 1) / 2 - j) for j in range(widths[l])]

    largest = []
    for l, layer in enumerate(network.layers, start=1):
        values = layer.W if name == "W" else t[f"dW{l}"]
        largest.append(float(np.abs(values).max()))
        for i, start in enumerate(place(l - 1)):
            for j, end in enumerate(place(l)):
                value = values[i, j]
                colour = POSITIVE if value > 0 else NEGATIVE if value < 0 else "lightgrey"
                ax.plot(*zip(start, end), color=colour, linewidth=0.4 + 5 * abs(value) / (largest[-1] or 1.0),
                        alpha=0.7, zorder=1)
    for l in range(L + 1):
        for j, (cx, cy) in enumerate(place(l)):
            if l == 0:
                text = f"x{j + 1}\nA {t['A0'][0, j] + 0.0:.3g}"
            else:
                text = "\n".join(f"{symbol} {t[f'{symbol}{l}'][0, j] + 0.0:.3g}" for symbol in ("Z", "A", "dZ"))
            ax.add_patch(plt.Circle((cx, cy), 0.36, facecolor="white", edgecolor="black", zorder=2))
            ax.text(cx, cy, text, fontsize=7, ha="center", va="center", zorder=3)
    names = ["input"] + [f"layer {l}: {layer.activation}" for l, layer in enumerate(network.layers, start=1)]
    for l, layer_name in enumerate(names):
        ax.text(spacing * l, (tallest - 1) / 2 + 0.6, layer_name, ha="center", fontsize=9)
    ax.set_xlim(-0.6, spacing * L + 0.6)
    ax.set_ylim(-(tallest - 1) / 2 - 0.5, (tallest - 1) / 2 + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    return largest


def plot_explanation(network, image, *, count=3):
    """Why the network gave its answer for image (n_in,): for the answer and the runner-up, the score
    Z(L)_k split into the last hidden layer's shares A(L-1)_j W(L)_jk (Trace.explanation): the count
    units that pushed it most up and most down, the rest and the bias as bars that add up to the score,
    and what each of those units looks for (its first-layer weights, orange where ink raises it)."""
    import matplotlib.pyplot as plt
    import Trace
    found = Trace.explanation(network, image)
    try:
        side = _image_side(network.layers[0].n_in)
    except ValueError:
        raise ValueError(f"plot_explanation draws images (a square number of inputs, 784 for MNIST); this network "
                         f"has {network.layers[0].n_in} inputs. Try: Trace.explanation(network, x) for the shares, "
                         f"or Plots.plot_network(network, x, y) for a small network") from None
    columns = 2 + 2 * count
    fig, axes = plt.subplots(2, columns, figsize=(1.55 * columns + 3, 4.6), squeeze=False,
                             gridspec_kw={"width_ratios": [1.2, 2.6] + [1] * 2 * count})
    for row, k in zip(axes, (found["answer"], found["runner_up"])):
        shares = found["shares"][k]
        order = np.argsort(shares, kind="stable")
        up = [int(j) for j in order[::-1][:count] if shares[j] > 0]
        down = [int(j) for j in order[:count] if shares[j] < 0]
        rest = shares.sum() - shares[up + down].sum()
        picture, bars = row[0], row[1]
        picture.imshow(np.reshape(image, (side, side)), cmap="gray_r")
        which = "answer" if k == found["answer"] else "runner-up"
        picture.set_title(f"{which}: {k}\noutput {found['outputs'][k]:.3g}", fontsize=9)
        names = [f"unit {j}" for j in up + down] + ["other units", "bias"]
        values = list(shares[up + down]) + [rest, found["bias"][k]]
        bars.barh(range(len(values)), values, color=[POSITIVE if v >= 0 else NEGATIVE for v in values])
        bars.set_yticks(range(len(values)), names, fontsize=8)
        bars.invert_yaxis()
        bars.axvline(0, color="black", linewidth=0.6)
        bars.set_title(f"score Z({len(network.layers)}) for {k} = {found['scores'][k]:.3g}:\nthe sum of these",
                       fontsize=9)
        bars.tick_params(axis="x", labelsize=7)
        for ax, j in zip(row[2:], up + down):
            limit = np.abs(found["looks_for"][j]).max() or 1.0
            ax.imshow(found["looks_for"][j].reshape(side, side), cmap="PuOr_r", vmin=-limit, vmax=limit)
            ax.contour(np.reshape(image, (side, side)), levels=[0.5 * np.max(image)], colors="black",
                       linewidths=0.6)
            ax.set_title(f"unit {j}\n{'+' if shares[j] > 0 else ''}{shares[j]:.3g}", fontsize=8,
                         color=POSITIVE if shares[j] > 0 else NEGATIVE)
        for ax in row[[0] + list(range(2, columns))]:
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in row[2 + len(up + down):]:
            ax.axis("off")
    looks = "their first-layer weights" if len(network.layers) == 2 else "the gradient of each unit at this image"
    fig.suptitle(f"Why {found['answer']} and not {found['runner_up']}: each hidden unit's share A_j W_jk of the "
                 f"score, and what the units with the largest shares look for ({looks}: orange where ink "
                 f"raises the unit; the digit's outline in black)", fontsize=9)
    fig.tight_layout()
    return fig

STEP_TITLES = {"grey": "grey", "ink": "ink found", "digit": "the digit kept", "cropped": "cropped",
               "strokes": "strokes as MNIST's", "scaled": "20 px box", "centred": "28x28: what the network sees"}


def output_shares(probabilities):
    """Each output's share of their sum, p_c / sum_j p_j: a Softmax network's probabilities as they are,
    a Sigmoid network's ten independent outputs made comparable. Draw.top_classes and the bars show these."""
    shares = np.asarray(probabilities, dtype=np.float64)
    return shares / shares.sum()


def plot_preprocessing(names, steps):
    """Per image, one row: each step from a photo to the 28x28 digit, titled, so that a learner sees
    what each one does. steps: per image, the {step: 2-D array} of Draw.preprocessing_steps(image)
    (for one image, its name and its dict alone will do)."""
    import matplotlib.pyplot as plt
    if isinstance(names, str):
        names = [names]
    if isinstance(steps, dict):
        steps = [steps]
    if len(names) != len(steps) or not all(isinstance(image_steps, dict) for image_steps in steps):
        raise TypeError("plot_preprocessing takes names and, for each, the dict that Draw.preprocessing_steps(image) "
                        "returns: plot_preprocessing(['my7.png'], [Draw.preprocessing_steps(image)])")
    fig, axes = plt.subplots(len(names), len(STEP_TITLES), squeeze=False,
                             figsize=(2.1 * len(STEP_TITLES), 2.4 * len(names)))
    for row, name, image_steps in zip(axes, names, steps):
        for ax, (step, picture) in zip(row, image_steps.items()):
            ax.imshow(picture, cmap="gray", vmin=0, vmax=255 if step == "centred" else 1)
            ax.set_title(STEP_TITLES[step], fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
        row[0].set_ylabel(name, fontsize=8)
    fig.tight_layout()
    return fig


def plot_digit_predictions(names, images, digits, probabilities):
    """Per file, one row: the image as given, the 28x28 digit the network saw (Draw.preprocess_digit)
    and its 10 outputs."""
    import matplotlib.pyplot as plt
    layout = dict(figsize=(9, 2.6 * len(names)), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    fig, axes = plt.subplots(len(names), 3, squeeze=False, **layout)
    for (given, seen, bars), name, image, digit, p in zip(axes, names, images, digits, probabilities):
        given.imshow(image, cmap="gray" if np.ndim(image) == 2 else None)
        given.set_title(name, fontsize=9)
        side = _image_side(np.size(digit))
        seen.imshow(np.reshape(digit, (side, side)), cmap="gray", vmin=0, vmax=255)
        seen.set_title(f"what the network sees ({side}x{side})", fontsize=9)
        for ax in (given, seen):
            ax.set_xticks([])
            ax.set_yticks([])
        output_bars(bars, p)
    fig.tight_layout()
    return fig


def output_bars(ax, probabilities):
    """A bar chart of the network's 10 outputs on ax, as shares of their sum (the figures
    Draw.top_classes prints), titled with the prediction; returns the bars (the pad moves them)."""
    heights = output_shares(probabilities) if probabilities is not None else np.zeros(10)
    bars = ax.bar(range(10), heights, color="tab:blue")
    ax.set_xticks(range(10))
    ax.set_ylim(0, 1)
    ax.set_xlabel("digit")
    ax.set_ylabel("share of the outputs")
    ax.set_title("draw a digit" if probabilities is None else f"prediction: {int(np.argmax(probabilities))}")
    return bars


def display_kind():
    """What matplotlib's backend can do here, the one place that decides it: 'interactive' (a window
    or a notebook widget: pictures and the mouse), 'inline' (a notebook's pictures, no mouse) or
    None (no display: Agg, PDF...; pictures are saved to files)."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401 (pyplot picks the backend: a window one asked for, e.g.
    #                           MPLBACKEND=TkAgg, falls back to Agg where no display can be opened)
    backend = matplotlib.get_backend().lower()
    if backend in NON_INTERACTIVE_BACKENDS:
        return None
    return "inline" if "inline" in backend else "interactive"


def whole_frames(figure):
    """Make a notebook widget (ipympl) send figure whole at every drawing. By default it sends only the
    pixels that changed, painted in the browser over what it shows; but ipympl's page replaces a
    picture that a newer one overtakes before it is decoded (its image's src is set again), and
    then what changed in the dropped one would stay stale until drawn again. A whole picture stands
    alone. Elsewhere (a window, Agg) nothing changes. Returns figure."""
    canvas = figure.canvas
    if hasattr(canvas, "_force_full"):       # matplotlib's web canvas (ipympl's): the next picture whole
        canvas.mpl_connect("draw_event", lambda event: setattr(canvas, "_force_full", True))
    return figure


def interactive_backend():
    """True where the drawing pad can work: the backend shows pictures and sends mouse events."""
    return display_kind() == "interactive"


def show_or_save(figures, directory=None, paths=None, report=True):
    """Show figures {name: Figure} where a display exists; save them as PNG files where none does.

    A figure is saved to paths[name] if given, else (when saving) to directory/mnist_<name>.png
    (directory defaults to the current one). Returns {name: path} of the files written, and with
    report prints a line for each ('Saved the history figure to /home/.../mnist_history.png': in a
    script with no display that line is the only sign of the picture). Never blocks or warns on a
    machine without a display.
    """
    import matplotlib.pyplot as plt
    from pathlib import Path
    can_show = display_kind() is not None
    paths = dict(paths or {})
    written = {}
    for name, fig in figures.items():
        path = paths.get(name)
        if path is None and (directory is not None or not can_show):
            path = Path(directory or ".") / f"mnist_{name}.png"
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=100)
            written[name] = Path(path)
            if report:
                print(f"Saved the {name} figure to {Path(path).resolve()}")
    if can_show and figures:
        plt.show()
    for fig in figures.values():
        plt.close(fig)
    return written
