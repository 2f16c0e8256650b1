"""``python -m harness serve|bench``: run the Xero simulator, or measure it."""

import argparse
import signal
import sys

from . import seed as seeds
from .server import HarnessServer


def _stop_on_signals():
    """Ctrl-C and SIGTERM stop the server cleanly, even when started by a parent that ignores
    SIGINT (background jobs of a non-interactive shell pass that on to their children)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def terminate(*_args):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, terminate)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m harness", description="A Xero simulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the simulator until stopped")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8070)
    serve.add_argument("--data", default=":memory:", help="SQLite file; state survives restarts")
    serve.add_argument("--time-scale", type=float, default=1.0,
                       help="simulated time runs N times faster (limits, tokens, webhook retries)")
    serve.add_argument("--seed", choices=sorted(seeds.SEEDS), help="load seed data at start")
    serve.add_argument("--no-limits", action="store_true", help="switch rate limits off")
    serve.add_argument("--period-lock-date", metavar="YYYY-MM-DD",
                       help="every organisation's PeriodLockDate (binds every user but advisers)")
    serve.add_argument("--end-of-year-lock-date", metavar="YYYY-MM-DD",
                       help="every organisation's EndOfYearLockDate (binds advisers too)")
    serve.add_argument("--public-url", help="base URL clients reach the harness at (webhook resourceUrl); "
                                            "default http://HOST:PORT")
    serve.add_argument("--client-id", help="register an OAuth client that may connect to every organisation")
    serve.add_argument("--client-secret")
    serve.add_argument("--redirect-uri", action="append", default=[], help="(repeatable)")
    serve.add_argument("--webhook-url", help="where the registered client's webhooks go")
    serve.add_argument("--webhook-key", help="the registered client's webhook signing key")
    bench = sub.add_parser("bench", help="measure requests per second (limits off)")
    bench.add_argument("--seconds", type=float, default=5.0)
    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        from .bench import main as bench_main
        return bench_main(["--seconds", str(args.seconds)] + rest)

    server = HarnessServer(host=args.host, port=args.port, data=args.data, time_scale=args.time_scale,
                           limits=not args.no_limits, public_url=args.public_url)
    app = server.app
    if args.seed:
        seeds.load(app, args.seed)
    locks = {field: value for field, value in (("PeriodLockDate", args.period_lock_date),
                                                ("EndOfYearLockDate", args.end_of_year_lock_date)) if value}
    if locks:
        for org in app.identity.organisations():
            seeds.set_lock_dates(app, org["OrganisationID"], locks)
    if args.client_id:
        client = app.identity.client(args.client_id) or {}
        redirect_uris = sorted(set(client.get("redirect_uris", [])) | set(args.redirect_uri))
        app.identity.register_client(args.client_id, args.client_secret or client.get("client_secret"),
                                     redirect_uris, name=client.get("name", "Harness app"),
                                     webhook_url=args.webhook_url or client.get("webhook_url"),
                                     webhook_key=args.webhook_key or client.get("webhook_key"))
    base = "http://%s:%d" % (args.host, args.port)
    print("Xero harness on %s  (time scale %gx, limits %s, data %s)" % (
        base, args.time_scale, "off" if args.no_limits else "on", args.data))
    print("  authorize      %s/identity/connect/authorize" % base)
    print("  token          %s/identity/connect/token" % base)
    print("  connections    %s/connections" % base)
    print("  accounting     %s/api.xro/2.0" % base)
    print("  admin API      %s/__harness__/" % base)
    print("  web page       %s/" % base)
    for client in app.identity.clients():
        print("  OAuth client   %s / %s  webhook key %s" % (client["client_id"], client["client_secret"],
                                                           client["webhook_key"]))
    sys.stdout.flush()
    _stop_on_signals()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
