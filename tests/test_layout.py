"""The code reads beside the notes: MNIST.py shows the notes' demo and hands its options over to
Options.py without either importing the other back; Network.py opens with the network."""
import ast
import inspect
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import MNIST
from Network import NeuralNetwork

REPO = Path(__file__).resolve().parent.parent
MODULES = sorted(path.stem for path in REPO.glob("*.py"))
# Under mutation testing Network.py is mutmut's rewritten copy, with its own layout and wrappers.
original_layout = pytest.mark.skipif("mutmut" in (REPO / "Network.py").read_text(),
                                     reason="Network.py is mutmut's rewritten copy")


def imported_modules(name):
    """The project's modules that module name imports anywhere, inside functions too."""
    tree = ast.parse((REPO / f"{name}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found & set(MODULES) - {name}


def test_no_module_imports_one_that_imports_it_back():
    graph = {name: imported_modules(name) for name in MODULES}
    assert "Options" in graph["MNIST"] and "MNIST" not in graph["Options"]

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for neighbour in graph[todo.pop()]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    todo.append(neighbour)
        return seen
    cycles = [name for name in MODULES if name in reachable(name)]
    assert cycles == []


def test_the_demo_is_the_notes_example_as_the_notes_show_it():
    assert (MNIST.input_size, MNIST.hidden_size, MNIST.output_size) == (784, 64, 10)
    assert (MNIST.epochs, MNIST.batch_size, MNIST.learning_rate) == (10, 32, 0.001)
    source = inspect.getsource(MNIST.demo)
    for line in ("network = NeuralNetwork(",
                 "network.add_layer(Layer_dense(input_size, hidden_size, 'ReLU'",
                 "network.add_layer(Layer_dense(hidden_size, output_size, 'Sigmoid'",
                 "network.train(train_X, train_y, epochs, batch_size, learning_rate",
                 "network.evaluate(test_X, test_y"):
        assert line in source
    assert len(source.splitlines()) <= 40          # on one screen


@original_layout
def test_network_py_opens_with_the_network_and_its_methods_in_the_notes_order():
    lines = (REPO / "Network.py").read_text().splitlines()
    assert lines.index("class NeuralNetwork:") < 60
    order = [name for name in NeuralNetwork.__dict__ if not name.startswith("_")]
    notes = ["add_layer", "forward", "backward", "update_parameters", "predict", "calculate_accuracy",
             "evaluate", "train"]
    assert order[:len(notes)] == notes
    assert order[len(notes):] == ["predict_proba", "layer_outputs", "loss", "gradient_check", "find_learning_rate",
                                  "trace", "save", "load"]


@original_layout
def test_train_and_its_epoch_each_fit_on_one_screen():
    """train reads like the notes' loop: the epoch's four steps in a helper, the checks elsewhere."""
    for method in (NeuralNetwork.train, NeuralNetwork._train_epoch):
        assert len(inspect.getsource(method).splitlines()) <= 50
    steps = [line.split("# ")[1].split(":")[0] for line in inspect.getsource(NeuralNetwork._train_epoch).splitlines()
             if re.search(r"# [1-4]\. ", line)]
    assert steps == ["1. forward", "2. loss", "3. backward", "4. update"]


@original_layout
def test_train_sets_the_notes_five_arguments_apart_from_the_extras():
    parameters = inspect.signature(NeuralNetwork.train).parameters.values()
    positional = [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
    assert positional == ["self", "data", "labels", "epochs", "batch_size", "learning_rate"]
    assert {p.kind for p in parameters if p.name not in positional} == {inspect.Parameter.KEYWORD_ONLY}


@pytest.mark.heavy
def test_the_notes_preset_through_the_options_trains_the_plain_demos_network_bit_for_bit(
        mnist, monkeypatch, tmp_path, capsys):
    """python MNIST.py and python MNIST.py --preset notes: the same weights and the same lines printed
    (but for the seconds), on the first 3,000 training images to keep it short."""
    (train_X, train_y), test = mnist
    monkeypatch.setattr(MNIST, "load_mnist", lambda data_dir=None, download=True: ((train_X[:3000], train_y[:3000]), test))
    monkeypatch.chdir(tmp_path)
    trained = []
    evaluate = NeuralNetwork.evaluate

    def recording_evaluate(self, *args, **kwargs):
        trained.append([array.copy() for layer in self.layers for array in (layer.W, layer.b)])
        return evaluate(self, *args, **kwargs)
    monkeypatch.setattr(NeuralNetwork, "evaluate", recording_evaluate)
    outputs = []
    for argv in ([], ["--preset", "notes"]):
        capsys.readouterr()
        MNIST.main(argv)
        outputs.append(re.sub(r"[\d.]+ s\b", "(seconds)", capsys.readouterr().out))
    plain, through_options = trained
    assert len(plain) == 4
    for a, b in zip(plain, through_options):
        np.testing.assert_array_equal(a, b)
    assert outputs[0] == outputs[1]
    assert "Trained 10 epochs on 3000 images in (seconds)" in outputs[0]
    assert f"Saved the 5x5 grid of test digits to {tmp_path / 'mnist_predictions.png'}" in outputs[0]


def test_pyproject_lists_every_module_and_the_requirements():
    tomllib = pytest.importorskip("tomllib")            # Python 3.11 and newer
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert sorted(project["tool"]["setuptools"]["py-modules"]) == MODULES
    requirements = [line.strip() for line in (REPO / "requirements.txt").read_text().splitlines() if line.strip()]
    assert project["project"]["dependencies"] == requirements


@pytest.mark.process
def test_pip_install_editable_makes_the_modules_importable_from_anywhere(tmp_path):
    """pip install -e . (into a fresh environment, from a copy of the folder): a script in another
    folder finds every module in that copy."""
    import shutil
    import subprocess
    import sys
    source = tmp_path / "source"
    source.mkdir()
    for name in [f"{module}.py" for module in MODULES] + ["pyproject.toml", "README.md"]:
        shutil.copy(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(source)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    code = "import importlib.util; print(*(importlib.util.find_spec(m).origin for m in %r))" % (MODULES,)
    found = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert found.stdout.split() == [str(source / f"{module}.py") for module in MODULES], found.stderr


@original_layout
def test_draw_py_opens_with_preprocess_digit_and_its_steps_in_pipeline_order():
    tree = ast.parse((REPO / "Draw.py").read_text())
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions[:9] == ["preprocess_digit", "preprocessing_steps", "to_grey", "extract_ink", "keep_digit",
                             "crop_to_ink", "thicken_strokes", "scale_to_box", "centre_by_mass"]
    assert "Images" in imported_modules("Draw") and "Draw" not in imported_modules("Images")


def test_teaching_code_carries_no_tool_pragmas():
    """What the mutation tool needs is in setup.cfg, not in the code a learner reads."""
    files = [*REPO.glob("*.py"), *(REPO / "exercises").glob("*.py")]
    assert [path.name for path in files if "pragma: no mutate" in path.read_text()] == []


@original_layout
def test_mnist_py_opens_with_the_notes_hyperparameters_and_demo_and_keeps_the_loader_below():
    tree = ast.parse((REPO / "MNIST.py").read_text())
    statements = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr))]
    assigned = [node.targets[0].id for node in statements[:7]]
    assert assigned == ["input_size", "hidden_size", "output_size", "epochs", "batch_size", "learning_rate", "seed"]
    functions = [node.name for node in statements if isinstance(node, ast.FunctionDef)]
    assert functions[0] == "demo" and functions.index("load_mnist") > functions.index("main")


def test_options_main_has_one_exit_path():
    """Every way the command line stops early goes through one place (a DemoError caught in main)."""
    import Options
    tree = ast.parse(inspect.getsource(Options))
    exits = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("exit", "option_error")]
    raises = [node for node in ast.walk(tree) if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
              and getattr(node.exc.func, "id", None) == "SystemExit"]
    assert exits == [] and len(raises) == 2 and all(r.lineno > tree.body[0].lineno for r in raises)
    main = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main")
    assert all(main.lineno < r.lineno <= main.end_lineno for r in raises)


def test_every_picture_the_readme_and_the_docs_show_is_in_the_repository():
    """*.png is ignored (the demo's pictures are output), so a picture the docs show must be added with -f."""
    missing = []
    for page in [REPO / "README.md", *(REPO / "docs").glob("*.md")]:
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text()):
            if not target.startswith("http") and not (page.parent / target).is_file():
                missing.append(f"{page.name}: {target}")
    assert missing == []                       # (CI runs on a fresh clone: there, present means committed)


@pytest.mark.process
def test_the_notes_import_spelling_works_after_network_as_the_notes_import_them():
    import subprocess
    notes = ("from Network import NeuralNetwork\nfrom Layer_Dense import Layer_dense\n"
             "import Layer_dense as module\nassert Layer_dense is module.Layer_dense\nprint('ok')")
    result = subprocess.run([sys.executable, "-c", notes], cwd=REPO, capture_output=True, text=True)
    assert result.stdout == "ok\n", result.stderr
    assert [p.name for p in REPO.glob("*.py") if p.name.lower() == "layer_dense.py"] == ["Layer_dense.py"]


def test_the_readme_stays_a_learners_route_and_its_links_lead_somewhere():
    text = (REPO / "README.md").read_text()
    assert len(text.splitlines()) <= 300
    for page in [REPO / "README.md", *(REPO / "docs").glob("*.md"), REPO / "exercises" / "README.md"]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"
