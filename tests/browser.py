"""A real JupyterLab in a real browser for the tests: JupyterLab's server on 127.0.0.1 and Debian's
chromium driven headless by Playwright's Python package (Playwright's own browser download is not
used). Real mouse events go through the page to ipympl's canvas, as a learner's would.

    with JupyterLab(folder) as lab:
        lab.open(notebook_name)            # opens it and runs every cell
        lab.kernel("print(1 + 1)")         # code in the notebook's kernel: what it printed
        lab.canvas_shot(k)                 # the k-th matplotlib canvas as PNG bytes

missing() says why none of it can run here (no chromium, no Playwright, no JupyterLab), or None.
"""
import os
import importlib.util
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

KERNEL_IDLE = ("window.jupyterapp && jupyterapp.shell.currentWidget && jupyterapp.shell.currentWidget.sessionContext"
               " && jupyterapp.shell.currentWidget.sessionContext.session"
               " && jupyterapp.shell.currentWidget.sessionContext.session.kernel"
               " && jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")
RUN_IN_KERNEL = """async (code) => {
    const kernel = jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code});
    let out = '';
    future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') out += msg.content.text;
        if (msg.header.msg_type === 'error') out += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
    };
    await future.done;
    return out;
}"""
CANVAS = ".jupyter-matplotlib-canvas-div canvas"
# Every time the page paints a picture into a canvas (ipympl draws each frame the kernel sends with
# drawImage), its time: when the last frame after the pen lifted reached the screen.
PAINT_TIMES = """(() => {
    window.paintTimes = [];
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        window.paintTimes.push(performance.now());
        return drawImage.apply(this, args);
    };
})();"""


def missing():
    """Why a real browser cannot be run here, or None if it can."""
    if shutil.which("chromium") is None:
        return "no chromium on this machine (Debian: apt-get install -y chromium); .ci/run installs it"
    for module, package in (("playwright", "playwright"), ("jupyterlab", "jupyterlab"), ("ipympl", "ipympl")):
        if importlib.util.find_spec(module) is None:
            return f"the {package} package is not installed (pip install -r requirements-test.txt)"
    return None


def write_notebook(path, cells):
    """A notebook of code cells at path, for the python3 kernel."""
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[nbformat.v4.new_code_cell(source) for source in cells])
    nbformat.write(notebook, path)


class JupyterLab:
    """JupyterLab serving folder, and a headless chromium page on it (1800x1100)."""

    def __init__(self, folder, log):
        self.folder, self.log = folder, log

    def __enter__(self):
        from playwright.sync_api import sync_playwright
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.token = secrets.token_hex(16)
        settings = Path(self.log).with_name("lab-settings")          # no "get notified about news?" popup
        (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True, exist_ok=True)
        (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false"}')
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={self.port}", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.folder}",
             "--LabApp.expose_app_in_browser=True",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=open(self.log, "w"), stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings)})
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{self.url('api/status')}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start; its log: {self.log}") from None
                time.sleep(0.3)
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                        args=["--no-sandbox"])
        self.page = self.browser.new_page(viewport={"width": 1800, "height": 1100})
        self.page.add_init_script(PAINT_TIMES)
        return self

    def __exit__(self, *exc):
        try:
            self.browser.close()
            self._playwright.stop()
        finally:
            self.server.terminate()
            self.server.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def open(self, name, timeout=120):
        """Open the notebook and run all its cells; returns when the kernel is idle again."""
        self.page.goto(self.url(f"lab/tree/{name}"))
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout * 1000)
        self.page.evaluate("jupyterapp.commands.execute('application:toggle-left-area')")
        self.page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
        time.sleep(0.5)
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout * 1000)

    def run_all(self):
        """Run every cell, without waiting for them (evaluate would wait for the command's promise)."""
        self.page.evaluate("() => { jupyterapp.commands.execute('notebook:run-all-cells'); }")

    def running(self):
        """True while a cell runs (its prompt says [*])."""
        return self.page.evaluate("[...document.querySelectorAll('.jp-InputPrompt')]"
                                  ".some(p => p.textContent.includes('*'))")

    def kernel(self, code):
        """Run code in the notebook's kernel; what it printed (and 'ERROR name: text' if it raised)."""
        return self.page.evaluate(RUN_IN_KERNEL, code)

    def canvas(self, k=0):
        """The k-th figure's canvas element on the page (ipympl draws each figure in two canvases, the
        picture and one above it for the zoom rectangle; the mouse goes to the page, as a user's does)."""
        self.page.wait_for_selector(CANVAS, timeout=60000)
        return self.page.query_selector_all(CANVAS)[2 * k]

    def now(self):
        """The page's clock (performance.now(), ms)."""
        return self.page.evaluate("performance.now()")

    def last_paint(self):
        """When a canvas was last painted, on the page's clock (ms)."""
        return self.page.evaluate("window.paintTimes.length ? window.paintTimes[window.paintTimes.length - 1] : 0")

    def canvas_shot(self, k=0):
        """What the k-th figure shows now, as PNG bytes."""
        return self.canvas(k).screenshot()
