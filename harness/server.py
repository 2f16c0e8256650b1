"""Serving the app: a threaded Werkzeug WSGI server, in the foreground (CLI) or in a
background thread (tests, benchmarks, the demo)."""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app


class QuietHandler(WSGIRequestHandler):
    """Request lines go to the harness's own request log, not to stderr."""

    def log_request(self, *args, **kwargs):
        pass


class HarnessServer:
    def __init__(self, app=None, host="127.0.0.1", port=0, public_url=None, **app_options):
        """``port=0``: a free port. ``public_url``: how clients reach us (default: our URL)."""
        self.app = app or create_app(**app_options)
        self.host, self.port = host, port
        self.public_url = public_url
        self._server = None
        self._thread = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def _bind(self):
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=QuietHandler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self.app.public_url = (self.public_url or self.url).rstrip("/")
        self.app.webhooks.start()

    def start(self):
        """Serve from a background thread; returns self (use as a context manager too)."""
        self._bind()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="harness-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._bind()
        try:
            self._server.serve_forever()
        finally:
            self.app.webhooks.stop()

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        self.app.webhooks.stop()
        self.app.store.close()

    def __enter__(self):
        return self.start() if self._server is None else self

    def __exit__(self, *exc):
        self.stop()
