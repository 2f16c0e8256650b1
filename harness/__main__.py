"""``python -m harness serve|bench``: run the Xero simulator, the QuickBooks Online one, or both
(``--ledger``; QBO on its own port, ``--qbo-port``, so that Intuit's rooted paths stay verbatim),
or measure them."""

import argparse
import signal
import sys
import threading

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
    serve.add_argument("--ledger", choices=("xero", "qbo", "both"), default="xero",
                       help="which simulator(s): Xero on --port, QuickBooks Online on --qbo-port")
    serve.add_argument("--qbo-port", type=int, default=8071)
    serve.add_argument("--qbo-data", default=":memory:", help="the QBO simulator's SQLite file")
    serve.add_argument("--qbo-batch-max", type=int, default=30, help="QBO batch size limit (Intuit: 30 or 10)")
    serve.add_argument("--qbo-client-id", help="register a QBO app that may connect to every company")
    serve.add_argument("--qbo-client-secret")
    serve.add_argument("--qbo-redirect-uri", action="append", default=[], help="(repeatable)")
    serve.add_argument("--qbo-webhook-url")
    serve.add_argument("--qbo-verifier-token")
    serve.add_argument("--qbo-webhook-format", choices=("legacy", "cloudevents"), default="legacy")
    bench = sub.add_parser("bench", help="measure requests per second (limits off)")
    bench.add_argument("--seconds", type=float, default=5.0)
    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        from .bench import main as bench_main
        return bench_main(["--seconds", str(args.seconds)] + rest)

    qbo = _qbo_server(args) if args.ledger in ("qbo", "both") else None
    if args.ledger == "qbo":
        _stop_on_signals()
        try:
            qbo.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            qbo.app.store.close()
        return 0
    if qbo is not None:
        threading.Thread(target=qbo.serve_forever, name="qbo-http", daemon=True).start()
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


def _qbo_server(args):
    """The QBO simulator's server, seeded and with its app registered; its URLs printed."""
    from .qbo import seed as qbo_seeds
    from .qbo.app import create_app as create_qbo_app

    base = "http://%s:%d" % (args.host, args.qbo_port)
    app = create_qbo_app(data=args.qbo_data, time_scale=args.time_scale, limits=not args.no_limits,
                         public_url=base, batch_max=args.qbo_batch_max)
    if args.seed:
        qbo_seeds.load(app, args.seed)
    if args.qbo_client_id:
        client = app.identity.client(args.qbo_client_id) or {}
        app.identity.register_client(
            args.qbo_client_id, args.qbo_client_secret or client.get("client_secret"),
            sorted(set(client.get("redirect_uris", [])) | set(args.qbo_redirect_uri)),
            webhook_url=args.qbo_webhook_url or client.get("webhook_url"),
            verifier_token=args.qbo_verifier_token or client.get("webhook_key"),
            webhook_format=args.qbo_webhook_format)
    print("QuickBooks Online harness on %s  (limits %s, batch max %d, data %s)" % (
        base, "off" if args.no_limits else "on", args.qbo_batch_max, args.qbo_data))
    print("  discovery      %s/.well-known/openid_configuration" % base)
    print("  authorize      %s/connect/oauth2" % base)
    print("  token          %s/oauth2/v1/tokens/bearer" % base)
    print("  revoke         %s/v2/oauth2/tokens/revoke" % base)
    print("  accounting     %s/v3/company/{realmId}/…" % base)
    print("  admin API      %s/__harness__/      web page %s/" % (base, base))
    for client in app.identity.clients():
        print("  QBO app        %s / %s  verifier token %s" % (client["client_id"], client["client_secret"],
                                                              client["webhook_key"]))
    sys.stdout.flush()
    return HarnessServer(app=app, host=args.host, port=args.qbo_port)


if __name__ == "__main__":
    sys.exit(main())
