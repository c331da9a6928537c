"""Pictures that explain a trained network. Each function takes arrays (or a network or a history)
and returns a matplotlib Figure, so a notebook can show it; show_or_save puts figures on screen
where there is a display and into PNG files where there is none. Nothing here changes a network.
"""
import numpy as np

from Utils import check_labels

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
    """The confusion matrix as a heat map annotated with its counts (rows: true, columns: predicted)."""
    import matplotlib.pyplot as plt
    n = len(matrix)
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(matrix, cmap="Blues")
    for i in range(n):
        for j in range(n):
            dark = matrix[i, j] > matrix.max() / 2
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"Confusion matrix ({matrix.sum()} samples, {np.trace(matrix)} correct)")
    fig.colorbar(image, ax=ax)
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
    W = network.layers[0].W
    side = _image_side(W.shape[0])
    count = min(count, W.shape[1])
    rows = -(-count // cols)
    fig, axes = _image_grid(rows, cols, 1.3, 1.3)
    for j, ax in zip(range(count), axes):
        limit = np.abs(W[:, j]).max()
        ax.imshow(W[:, j].reshape(side, side), cmap="bwr", vmin=-limit, vmax=limit)
        ax.set_title(str(j), fontsize=7)
    fig.suptitle(f"First-layer weights of {count} hidden neurons")
    fig.tight_layout()
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


def show_or_save(figures, directory=None, paths=None):
    """Show figures {name: Figure} where a display exists; save them as PNG files where none does.

    A figure is saved to paths[name] if given, else (when saving) to directory/mnist_<name>.png
    (directory defaults to the current one). Returns {name: path} of the files written. Never blocks or warns on a
    machine without a display.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from pathlib import Path
    interactive = matplotlib.get_backend().lower() not in NON_INTERACTIVE_BACKENDS
    paths = dict(paths or {})
    written = {}
    for name, fig in figures.items():
        path = paths.get(name)
        if path is None and (directory is not None or not interactive):
            path = Path(directory or ".") / f"mnist_{name}.png"
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=100)
            written[name] = Path(path)
    if interactive and figures:
        plt.show()
    for fig in figures.values():
        plt.close(fig)
    return written
