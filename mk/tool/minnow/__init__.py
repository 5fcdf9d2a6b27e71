"""Host-side tooling of the Minnow build: package ordering, boot images,
QEMU launching and the test harness.

The command-line entry points live next to this package (mk/tool/*.py);
they only put mk/tool on sys.path and call the ``cli_*`` modules here.
"""
