"""The walkthrough notebook is stored with its outputs, and a fresh run prints what is stored."""
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
from run_notebook import NOTEBOOK, run  # noqa: E402

NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")      # "97." too: NumPy prints 97.0 so in an array
# Numbers that move by more than rounding between BLAS kernels, CPUs and thread counts (measured in
# docs/testing.md): one batch's gradient norms and a finite difference after ten epochs, and the
# probabilities of a photo the network misreads. Their words are compared; their values are not.
UNSTABLE = (re.compile(r"(?<=\|dW\| = )[\d.]+"),
            re.compile(r"(?<=finite difference )[-\d.]+"), re.compile(r"(?<=backprop )[-\d.]+"),
            re.compile(r"(?<=\d )[\d.]+(?=%)"))           # "(8 69.1%, 3 30.7%, ...)": the digits stay


def printed(notebook):
    """Per code cell, the text it printed or displayed (not the pictures)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            texts.append("".join(out.get("text", "") if out.output_type == "stream"
                                 else out.get("data", {}).get("text/plain", "") for out in cell.outputs))
    return texts


def same_up_to_rounding(stored, fresh):
    """The same words (spacing aside), and numbers within 0.5% (plus 0.001) of each other, the
    UNSTABLE ones aside: another BLAS, CPU or thread count rounds differently."""
    stored, fresh = without_unstable(stored), without_unstable(fresh)
    if " ".join(NUMBER.sub("#", stored).split()) != " ".join(NUMBER.sub("#", fresh).split()):
        return False
    pairs = zip(map(float, NUMBER.findall(stored)), map(float, NUMBER.findall(fresh)))
    return all(abs(a - b) <= 0.005 * max(abs(a), abs(b)) + 1e-3 for a, b in pairs)


# The trace of a test digit after ten epochs (cell 11) is gradients of one sample, which move as
# |dW| does, and the entries it shows are the largest ones, which can change places: its words are
# compared (the equations, the shapes' places, "finite differences"), not its numbers.
TRACE = "Trace of one sample"


def without_unstable(text):
    for pattern in UNSTABLE:
        text = pattern.sub("~", text)
    if TRACE in text:
        head, tail = text.split(TRACE, 1)
        text = head + TRACE + NUMBER.sub("~", tail)
    return text


def test_the_notebook_is_stored_with_its_numbers_and_pictures():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    text = "\n".join(printed(notebook))
    assert re.search(r"test accuracy 9\d\.\d\d%", text) and "Epoch 10/10 completed" in text
    images = [out for cell in code for out in cell.outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 5
    assert not any(out.output_type == "error" for cell in code for out in cell.outputs)


def test_numbers_are_compared_rounded_and_words_exactly():
    assert same_up_to_rounding("test accuracy 96.96%", "test accuracy 96.98%")
    assert not same_up_to_rounding("test accuracy 96.96%", "test accuracy 91.20%")
    assert not same_up_to_rounding("the network says 7", "the network says 8")
    assert not same_up_to_rounding("loss 0.2104", "loss: 0.2104")
    assert same_up_to_rounding("per digit: [98.6 97.  97.1]", "per digit: [98.6 97.1 97.1]")
    assert not same_up_to_rounding("per digit: [98.6 97.  97.1]", "per digit: [98.6 91.  97.1]")
    # The unstable numbers are not compared; the words and the stable numbers beside them still are.
    assert same_up_to_rounding("W (784, 64), |W| = 16.98, |dW| = 31.394", "W (784, 64), |W| = 16.98, |dW| = 31.061")
    assert not same_up_to_rounding("|W| = 16.98, |dW| = 31.394", "|W| = 18.98, |dW| = 31.394")
    assert same_up_to_rounding("finite difference 0.2822   backprop 0.2823", "finite difference 0.2739   backprop 0.2739")
    assert same_up_to_rounding("the network says 8  (8 69.1%, 3 30.7%)", "the network says 8  (8 72.5%, 3 27.3%)")
    assert not same_up_to_rounding("the network says 8  (8 69.1%, 3 30.7%)", "the network says 8  (8 69.1%, 5 30.7%)")
    assert not same_up_to_rounding("Avg. Accuracy: 86.31%, Val.", "Avg. Accuracy: 80.31%, Val.")
    trace = "Trace of one sample (label 7)\n  dZ(1) = dA(1) * ReLU'(Z(1))  (1, 64)  [4] 0.008266 (3 of 64)"
    assert same_up_to_rounding(trace, trace.replace("[4] 0.008266", "[18] 0.0102"))
    assert not same_up_to_rounding(trace, trace.replace("ReLU'", "Sigmoid'"))
    assert not same_up_to_rounding("test accuracy 96.96%\n" + trace, "test accuracy 91.20%\n" + trace)


@pytest.mark.slow
@pytest.mark.process
def test_a_fresh_run_of_the_notebook_prints_what_is_stored(mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    monkeypatch.delenv("MPLBACKEND", raising=False)     # the kernel shows figures inline, as Jupyter does
    stored = printed(nbformat.read(NOTEBOOK, as_version=4))
    notebook = run(NOTEBOOK)
    fresh = printed(notebook)
    assert len(fresh) == len(stored)
    for number, (old, new) in enumerate(zip(stored, fresh)):
        assert same_up_to_rounding(old, new), f"code cell {number + 1} printed\n{new}\nbut the stored notebook has\n{old}"
    outputs = "\n".join(fresh)
    # The finite difference and backpropagation's dW[400, 3], printed to 4 decimals, agree.
    numerical, backprop = map(float, re.search(r"finite difference (\S+)\s+backprop (\S+)", outputs).groups())
    assert backprop != 0 and numerical == pytest.approx(backprop, rel=0.01, abs=2e-4)
    # The photo of a 7: shrunk as it is the network misreads it; preprocessed, it reads the label.
    said = dict(re.findall(r"(shrunk as it is|preprocess_digit): the network says (\d)", outputs))
    label = re.search(r"true label (\d)", outputs).group(1)
    assert said["preprocess_digit"] == label != said["shrunk as it is"]
    assert float(re.search(r"test accuracy ([\d.]+)%", outputs).group(1)) > 96
    # The trace of test digit 0: every finite difference is the gradient above it, entry by entry (an
    # entry far below the loss's rounding, 1e-9, may differ in its last printed digit).
    lines = outputs.splitlines()
    checks = [i for i, line in enumerate(lines) if line.startswith("    finite differences ")]
    assert len(checks) == 7
    for i in checks:
        gradient, numerical = (re.findall(r"\[([\d, ]+)\] (\S+)", lines[j]) for j in (i - 1, i))
        assert gradient and [index for index, _ in numerical] == [index for index, _ in gradient]
        for (_, value), (_, difference) in zip(gradient, numerical):
            assert float(difference) == pytest.approx(float(value), rel=1e-3, abs=1e-8)
    assert not any(out.output_type == "error" for cell in notebook.cells for out in cell.get("outputs", []))


@pytest.mark.process
@pytest.mark.parametrize("installed", [True, False])
def test_a_copy_of_the_notebook_elsewhere_imports_the_installed_library_or_says_how(tmp_path, installed):
    """The first cell, run in a folder outside the repository: with the library importable (as
    pip install -e . makes it) it imports; without, it says what to do (no bare StopIteration)."""
    import os
    import subprocess
    first = "".join(nbformat.read(NOTEBOOK, as_version=4).cells[1].source)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if installed:
        env["PYTHONPATH"] = str(Path(NOTEBOOK).parent.parent)
    options = [] if installed else ["-I", "-S"]          # -S: not even the editable install in site-packages
    result = subprocess.run([sys.executable, *options, "-c", first], cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    if installed:
        assert result.returncode == 0, result.stderr
    else:
        assert result.stderr.strip().splitlines()[-1] == (
            "ModuleNotFoundError: the library is not found: open this notebook inside the repository, "
            "or run pip install -e . in the repository first")
