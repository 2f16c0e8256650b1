"""Where the vendors' spec files are: Xero's OpenAPI files and Intuit's XSDs are not in this
repository (their own licences), they live in a ``shared`` folder beside it.

One place finds them, for the tests and for CI (standard library only: ``./run`` imports it):
``$PSA_SHARED_DIR`` when set (nothing else is tried then), else ``../shared`` beside the
repository. A test that needs a missing folder is skipped saying which folder was looked for
(tests/shared_docs.py); CI sets ``PSA_SHARED_REQUIRED=1`` so that it fails instead, and runs
``./run check-shared`` first.
"""

import os

ENV = "PSA_SHARED_DIR"
REQUIRED_ENV = "PSA_SHARED_REQUIRED"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# folder -> (what it holds, files the tests read from it)
FOLDERS = {
    "xero-openapi": ("Xero's OpenAPI files", ("xero_accounting.yaml", "xero-identity.yaml")),
    "intuit-qbo-xsd": ("Intuit's QuickBooks Online XSDs", ("IntuitRestServiceDef.xsd", "IntuitBaseTypes.xsd",
                                                            "IntuitNamesTypes.xsd", "Finance.xsd")),
}


class Missing(Exception):
    pass


def base_dir():
    return os.path.abspath(os.environ.get(ENV) or os.path.join(os.path.dirname(REPO), "shared"))


def required():
    return os.environ.get(REQUIRED_ENV, "") not in ("", "0")


def problem(name, base=None):
    """None when ``<base>/<name>`` holds every file the tests read, else a sentence saying what is
    missing, where it was looked for and how to point at it."""
    if base:
        how = "as given"
    elif os.environ.get(ENV):
        how = "from $%s=%s" % (ENV, os.environ[ENV])
    else:
        how = "../shared beside the repository"
    base = os.path.abspath(base) if base else base_dir()
    what, files = FOLDERS[name]
    folder = os.path.join(base, name)
    absent = [f for f in files if not os.path.isfile(os.path.join(folder, f))]
    if not absent:
        return None
    return ("%s not found: looked for %s in %s (%s); set %s to the folder holding %s/"
            % (what, ", ".join(absent), folder, how, ENV, name))


def folder(name, base=None):
    """The absolute path of ``<shared>/<name>``; raises Missing (with problem()'s sentence)."""
    message = problem(name, base)
    if message:
        raise Missing(message)
    return os.path.join(os.path.abspath(base) if base else base_dir(), name)


def check(base=None, say=print):
    """What CI runs before the tests: every folder present, else 1 (the tests would only be skipped)."""
    code = 0
    for name in FOLDERS:
        message = problem(name, base)
        if message:
            say("MISSING %s" % message)
            code = 1
        else:
            say("found %s" % folder(name, base))
    return code
