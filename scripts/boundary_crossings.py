"""How often one claim-list request crosses between Missive's packages.

    .venv/bin/python scripts/boundary_crossings.py [-v] ['/claims/?status=disputed&q=Pakistan']

Loads the shipped letters into a throwaway SQLite database (or DATABASE_URL's), serves
the page once to warm the process, then serves it again with a profiler that counts each
call from a function in one of Missive's packages into a function in another (library
frames in between, such as Django's template engine, are skipped). The page cache is off.
Prints the count per pair of packages and the total; -v prints each call.
"""

import collections
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "history", "archive", "claims", "interchange")
VERBOSE = "-v" in sys.argv


def package_of(filename):
    try:
        relative = pathlib.Path(filename).resolve().relative_to(ROOT)
    except ValueError:
        return None
    top = relative.parts[0]
    return top if top in PACKAGES else None


def count_crossings(client, url):
    crossings = collections.Counter()
    package_cache = {}

    def package(code):
        filename = code.co_filename
        if filename not in package_cache:
            package_cache[filename] = package_of(filename)
        return package_cache[filename]

    def profile(frame, event, arg):
        if event != "call":
            return
        callee = package(frame.f_code)
        if callee is None:
            return
        caller_frame = frame.f_back
        while caller_frame is not None and package(caller_frame.f_code) is None:
            caller_frame = caller_frame.f_back
        if caller_frame is None:
            return
        caller = package(caller_frame.f_code)
        if caller != callee:
            crossings[(caller, callee)] += 1
            if VERBOSE:
                print(
                    f"  {caller}.{caller_frame.f_code.co_name} -> {callee}.{frame.f_code.co_qualname}"
                )

    sys.setprofile(profile)
    try:
        response = client.get(url)
    finally:
        sys.setprofile(None)
    assert response.status_code == 200, response.status_code
    return crossings


def main():
    arguments = [argument for argument in sys.argv[1:] if argument != "-v"]
    url = arguments[0] if arguments else "/claims/?status=disputed&q=Pakistan"
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="missive-crossings-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/db.sqlite3")
    os.environ["MISSIVE_PAGE_CACHE"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("import_letters", str(ROOT / "archive/fixtures/letters.json"), verbosity=0)
    client = Client()
    client.get(url)  # warm: imports, URL resolver, template loading
    crossings = count_crossings(client, url)
    for (caller, callee), number in sorted(crossings.items()):
        print(f"{caller:>12} -> {callee:<12} {number:5d}")
    print(f"{'total':>28} {sum(crossings.values()):5d}  ({url})")


if __name__ == "__main__":
    main()
