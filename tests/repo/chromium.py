"""A headless Chromium driven over the DevTools protocol (websocket-client), for walking a
running Odoo (``./run demo``) and the harness pages the way a person does: Odoo tours for
the Odoo pages, plain clicks for the harness's consent and payment pages (another origin,
where no Odoo tour runs). Odoo's own ChromeBrowser needs an Odoo test case; this needs a URL."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import websocket

from tools.odoo_env import find_browser


class BrowserError(AssertionError):
    pass


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chromium:
    def __init__(self, width=1400, height=900):
        binary = find_browser()
        if not binary:
            raise BrowserError("Chromium not found (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="psa-xero-chromium-")
        port = _free_port()
        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--remote-allow-origins=*",
             "--remote-debugging-port=%d" % port, "--user-data-dir=" + self.profile,
             "--window-size=%d,%d" % (width, height), "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 30
        target = None
        while time.time() < deadline and target is None:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=2) as resp:
                    target = next((t for t in json.load(resp) if t.get("type") == "page"), None)
            except OSError:
                time.sleep(0.2)
        if target is None:
            self.close()
            raise BrowserError("Chromium did not open its DevTools port")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self._id = 0
        self.console = []   # (type, text) of every console call and uncaught exception, in order
        self.failed_requests = []   # (url, status or error): what a page asked for and did not get
        self._requests = {}   # requestId -> URL, until it has loaded (a failed id may fail again: kept)
        self.send("Runtime.enable")
        self.send("Page.enable")
        self.send("Network.enable")

    # --- protocol --------------------------------------------------------------------------------
    def _event(self, message):
        method = message.get("method")
        if method == "Runtime.consoleAPICalled":
            args = message["params"].get("args", [])
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
            self.console.append((message["params"].get("type"), text))
        elif method == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.console.append(("exception", details.get("exception", {}).get("description")
                                 or details.get("text", "")))
        elif method == "Network.requestWillBeSent":
            self._requests[message["params"]["requestId"]] = message["params"]["request"]["url"]
        elif method == "Network.responseReceived":
            response = message["params"]["response"]
            if response.get("status", 200) >= 400:
                self.failed_requests.append((response.get("url"), response.get("status")))
        elif method == "Network.loadingFailed":
            params = message["params"]
            self.failed_requests.append((self._requests.get(params["requestId"]), params.get("errorText")))
        elif method == "Network.loadingFinished":
            self._requests.pop(message["params"]["requestId"], None)  # loaded: forgotten

    def _pump(self, timeout):
        self.ws.settimeout(timeout)
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        self._event(message)
        return message

    def send(self, method, **params):
        self._id += 1
        msg_id = self._id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.time() + 60
        while time.time() < deadline:
            message = self._pump(5)
            if message and message.get("id") == msg_id:
                if "error" in message:
                    raise BrowserError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
        raise BrowserError("no answer to %s" % method)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError("%s: %s" % (expression[:80], result["exceptionDetails"].get("text")))
        return result.get("result", {}).get("value")

    # --- what a person does ----------------------------------------------------------------------
    def navigate(self, url, timeout=60):
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'", "the page %s" % url,
                      timeout=timeout)

    def wait_for(self, expression, what, timeout=60, diagnose=None):
        """Until ``expression`` is true; on a timeout the error tells what the page shows
        (``diagnose``: an expression whose value is added), its console and failed requests."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except BrowserError:
                pass  # navigating
            time.sleep(0.25)
        self._failed("wait")
        state = self.evaluate(diagnose) if diagnose else None
        raise BrowserError("timed out waiting for %s (page: %s)%s\nconsole: %s\nfailed requests: %s" % (
            what, self.evaluate("location.href"), "\npage: %s" % (state,) if diagnose else "",
            self.console[-10:], self.failed_requests[-10:]))

    def click(self, selector, what):
        self.wait_for("!!document.querySelector(%s)" % json.dumps(selector), what)
        self.evaluate("document.querySelector(%s).click()" % json.dumps(selector))

    def run_tour(self, name, url=None, timeout=180):
        """Start the Odoo tour ``name`` where the browser is (or at ``url``), wait for Odoo's
        success signal; any console error or uncaught exception fails it, as in Odoo's tests."""
        if url:
            self.navigate(url)
        self.wait_for("window.odoo && odoo.isTourReady && odoo.isTourReady(%s)" % json.dumps(name),
                      "the tour %s to be ready" % name)
        start = len(self.console)
        self.evaluate("odoo.startTour(%s, {stepDelay: 0, keepWatchBrowser: false})" % json.dumps(name))
        deadline = time.time() + timeout
        while time.time() < deadline:
            self._pump(0.5)
            for kind, text in self.console[start:]:
                if kind == "error" or kind == "exception":
                    self._failed(name)
                    raise BrowserError("tour %s failed: %s" % (name, text))
                if text == "tour succeeded":
                    return
        self._failed(name)
        raise BrowserError("tour %s did not finish in %d s (page: %s)"
                           % (name, timeout, self.evaluate("location.href")))

    def _failed(self, name):
        """A screenshot of the page where a tour failed, next to the test logs."""
        folder = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "var", "test")
        os.makedirs(folder, exist_ok=True)
        try:
            print("screenshot:", self.screenshot(os.path.join(folder, "%s.png" % name)))
        except BrowserError:
            pass

    def screenshot(self, path):
        import base64
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(data))
        return path

    def close(self):
        try:
            if getattr(self, "ws", None):
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, 15)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, 9)
            shutil.rmtree(self.profile, ignore_errors=True)
