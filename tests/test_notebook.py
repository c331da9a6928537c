"""The walkthrough notebook is stored clean and runs end to end (with one epoch)."""
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def test_the_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.mark.slow
@pytest.mark.process
def test_the_notebook_runs_end_to_end(mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(mnist_dir))
    monkeypatch.setenv("WALKTHROUGH_EPOCHS", "1")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = "\n".join(out.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                        for out in cell.outputs)
    # One epoch of the notes' network: above 90% (a full run reaches about 97%).
    assert float(re.search(r"test accuracy ([\d.]+)%", outputs).group(1)) > 90
    # The finite difference and backpropagation's dW[400, 3], printed to 4 decimals, agree.
    numerical, backprop = map(float, re.search(r"finite difference (\S+)\s+backprop (\S+)", outputs).groups())
    assert backprop != 0 and numerical == pytest.approx(backprop, rel=0.01, abs=2e-4)
    # The photo of a 7: shrunk as it is the network misreads it; preprocessed, it reads the label.
    said = dict(re.findall(r"(shrunk as it is|preprocess_digit): the network says (\d)", outputs))
    label = re.search(r"true label (\d)", outputs).group(1)
    assert said["preprocess_digit"] == label != said["shrunk as it is"]
    images = [out for cell in notebook.cells for out in cell.get("outputs", [])
              if "image/png" in out.get("data", {})]
    assert len(images) >= 4
    errors = [out for cell in notebook.cells for out in cell.get("outputs", []) if out.output_type == "error"]
    assert errors == []
