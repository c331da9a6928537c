"""Run walkthrough.ipynb from top to bottom and store it with its outputs:

    MNIST_DATA_DIR=/path/to/mnist python notebooks/run_notebook.py

The notebook is kept with its outputs (numbers and pictures) so that it reads on a code-hosting
page without running anything; the tests run it again and compare what it prints with what is
stored. tqdm's progress-bar widgets are left out of the stored outputs: they only show progress.
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent / "walkthrough.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"


def run(path=NOTEBOOK):
    """The notebook at path, executed in a fresh kernel, without progress-bar widgets."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.outputs if WIDGET not in out.get("data", {})
                            and out.get("name") != "stderr"]
    notebook.metadata.pop("widgets", None)
    return notebook


if __name__ == "__main__":
    nbformat.write(run(Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOK), NOTEBOOK)
    print(f"Stored {NOTEBOOK} with its outputs")
