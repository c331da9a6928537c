"""The walkthrough notebook is stored with its outputs, and a fresh run prints what is stored."""
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))
from run_notebook import NOTEBOOK, run  # noqa: E402

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def printed(notebook):
    """Per code cell, the text it printed or displayed (not the pictures)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            texts.append("".join(out.get("text", "") if out.output_type == "stream"
                                 else out.get("data", {}).get("text/plain", "") for out in cell.outputs))
    return texts


def same_up_to_rounding(stored, fresh):
    """The same words, and numbers within 0.5% (plus 0.001) of each other: another BLAS rounds differently."""
    if NUMBER.sub("#", stored) != NUMBER.sub("#", fresh):
        return False
    pairs = zip(map(float, NUMBER.findall(stored)), map(float, NUMBER.findall(fresh)))
    return all(abs(a - b) <= 0.005 * max(abs(a), abs(b)) + 1e-3 for a, b in pairs)


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


@pytest.mark.slow
@pytest.mark.process
def test_a_fresh_run_of_the_notebook_prints_what_is_stored(mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
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
    assert not any(out.output_type == "error" for cell in notebook.cells for out in cell.get("outputs", []))
