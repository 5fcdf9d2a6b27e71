"""mk/fetch-lwip.sh's private deb-src lists, derived from the machine's apt
sources in both formats (one-line .list and deb822 .sources), without the
network (--print-sources), and its refusal when there is nothing to derive."""

import os
import subprocess

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(SRC, "mk", "fetch-lwip.sh")


def run(tmp_path, files):
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    for name, text in files.items():
        (etc / name).write_text(text)
    osr = tmp_path / "os-release"
    osr.write_text('ID=debian\nVERSION_CODENAME=bookworm\n')
    env = dict(os.environ, FETCH_LWIP_APT_ETC=str(etc), FETCH_LWIP_OS_RELEASE=str(osr))
    return subprocess.run(["sh", SCRIPT, "--print-sources"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_one_line_format(tmp_path):
    r = run(tmp_path, {"sources.list": (
        "deb http://mirror.invalid/debian bookworm main contrib\n"
        "# deb http://mirror.invalid/debian bookworm-backports main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/debian-security bookworm-security main\n"
        "deb-src http://mirror.invalid/debian bookworm main\n"
        "deb https://vendor.invalid/apt stable main\n"),
        "sources.list.d/vendor.list": "deb https://vendor.invalid/apt nodistro main\n"})
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stdout.splitlines() if x and not x.startswith("# ")]
    assert lines == [
        "deb-src http://mirror.invalid/debian bookworm main contrib",
        "deb-src [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/debian-security bookworm-security main",
    ]


def test_deb822_format(tmp_path):
    r = run(tmp_path, {"sources.list.d/debian.sources": (
        "Types: deb\n"
        "# a comment\n"
        "URIs: http://mirror.invalid/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n"
        "Architectures: amd64\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        "\n"
        "Types: deb\n"
        "URIs: http://mirror.invalid/old\n"
        "Suites: bookworm\n"
        "Components: main\n"
        "Enabled: no\n"
        "\n"
        "Types: deb\n"
        "URIs: https://vendor.invalid/node\n"
        "Suites: nodistro\n"
        "Components: main\n")})
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "# debian-src.sources\n"
        "Types: deb-src\n"
        "URIs: http://mirror.invalid/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        "\n")


def test_nothing_to_derive_is_named(tmp_path):
    r = run(tmp_path, {"sources.list.d/vendor.list": "deb https://vendor.invalid/apt stable main\n"})
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("fetch-lwip: no apt source for Debian 'bookworm' in ")


def test_pinned():
    """Version and checksum are pinned, and no registry host is named."""
    text = open(SCRIPT).read()
    assert "\nLWIP_VERSION=2.1.3+dfsg1-2\n" in text
    assert "\nLWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24\n" in text
    assert "debian.org" not in text
