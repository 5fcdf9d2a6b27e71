"""Labs: cutting regions (minnow/lab.py), grade files, the lab tree copy."""
import os
import subprocess

import pytest

from conftest import write
from minnow.diag import ToolError
from minnow.lab import load_grades, make_lab, strip_text
from minnow.labcheck import copy_build

TEXT = """int f(void)
{
	/* LAB 1 @BEGIN: compute it */
	return 42;
	/* LAB 1 @END */
	return -1;
}
# LAB 2 @BEGIN: more
x = 1
# LAB 2 @END
""".replace("@", "")   # no markers in this file itself: make lab reads it


def test_strip_cuts_only_that_labs_regions():
    out, n = strip_text(TEXT, 1)
    assert n == 1
    assert out == TEXT.replace("\t/* LAB 1 @BEGIN: compute it */\n\treturn 42;\n\t/* LAB 1 @END */\n"
                               .replace("@", ""), "\t/* LAB 1 TODO: compute it */\n")
    out2, n2 = strip_text(TEXT, 2)
    assert n2 == 1 and "# LAB 2 TODO: more\n" in out2 and "x = 1" not in out2
    assert "return 42;" in out2 and "LAB 1 @BEGIN".replace("@", "") in out2
    assert strip_text(TEXT, 3) == (TEXT, 0)


@pytest.mark.parametrize("text,where", [
    ("a\n/* LAB 1 @BEGIN */\nb\n", "f.c:2: LAB 1 @BEGIN is never closed"),
    ("/* LAB 1 @END */\n", "f.c:1: LAB 1 @END without a LAB 1 @BEGIN"),
    ("/* LAB 1 @BEGIN */\n/* LAB 2 @BEGIN */\n", "f.c:2: LAB 2 @BEGIN inside the LAB 1 region"),
    ("/* LAB 1 @BEGIN */\n/* LAB 2 @END */\n", "f.c:2: LAB 2 @END closes the LAB 1 region"),
])
def test_strip_refuses_broken_markers(text, where):
    text, where = text.replace("@", ""), where.replace("@", "")
    for lab in (1, 2):
        with pytest.raises(ToolError) as e:
            strip_text(text, lab, "f.c")
        assert e.value.messages[0].startswith(where)


def _tree(tmp_path):
    src = tmp_path / "src"
    write(src / "doc" / "labs" / "lab1.grade", "title t\n10 run a.test  # x\n5 host test_x\n")
    write(src / "a.test", "entry x\n")
    write(src / "p" / "m.c", TEXT)
    write(src / "build" / "junk.o", "not copied\n")
    write(src / "contrib" / "lwip" / "x.c", "fetched\n")   # git-ignored, but the build needs it
    return src


def test_make_lab_copies_and_cuts(tmp_path):
    src = _tree(tmp_path)
    cut = make_lab(str(src), 1, str(tmp_path / "dest"))
    assert cut == {os.path.join("p", "m.c"): 1}
    assert "LAB 1 TODO" in (tmp_path / "dest" / "p" / "m.c").read_text()
    assert (tmp_path / "dest" / "a.test").exists()
    assert (tmp_path / "dest" / "contrib" / "lwip" / "x.c").read_text() == "fetched\n"
    assert not (tmp_path / "dest" / "build").exists()
    with pytest.raises(ToolError, match="not empty"):
        make_lab(str(src), 1, str(tmp_path / "dest"))
    with pytest.raises(ToolError, match="there is no lab 7"):
        make_lab(str(src), 7, str(tmp_path / "d7"))


def test_make_lab_in_a_checkout_copies_the_ignored_contrib(tmp_path):
    src = _tree(tmp_path)
    write(src / ".gitignore", "/build/\n/contrib/\n")
    subprocess.run(["git", "init", "-q"], cwd=src, check=True)
    make_lab(str(src), 1, str(tmp_path / "dest"))
    assert (tmp_path / "dest" / "contrib" / "lwip" / "x.c").read_text() == "fetched\n"
    assert not (tmp_path / "dest" / "build").exists()


def test_grade_file(tmp_path):
    src = _tree(tmp_path)
    title, graders = load_grades(str(src), 1)
    assert title == "t"
    assert [(g.points, g.kind, g.what) for g in graders] == [(10, "run", "a.test"),
                                                             (5, "host", "test_x")]
    write(src / "doc" / "labs" / "lab2.grade", "10 run missing.test\n")
    with pytest.raises(ToolError, match="lab2.grade:1: run script missing.test does not exist"):
        load_grades(str(src), 2)
    write(src / "doc" / "labs" / "lab3.grade", "ten run a.test\n")
    with pytest.raises(ToolError, match="lab3.grade:1: expected"):
        load_grades(str(src), 3)


def test_copy_build_points_at_the_copies(tmp_path):
    src, build = tmp_path / "s", tmp_path / "s" / "build"
    write(build / "lib" / "pc" / "x.mk", f"-I{src}/inc {build}/lib/x.a\n")
    write(build / "test-logs" / "a.log", "skipped\n")
    copy_build(str(build), str(src), str(tmp_path / "n" / "build"), str(tmp_path / "n"))
    text = (tmp_path / "n" / "build" / "lib" / "pc" / "x.mk").read_text()
    assert text == f"-I{tmp_path}/n/inc {tmp_path}/n/build/lib/x.a\n"
    assert not (tmp_path / "n" / "build" / "test-logs").exists()


SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_every_lab_of_the_tree_has_regions_and_a_handout():
    labs = sorted(f for f in os.listdir(os.path.join(SRC, "doc", "labs")) if f.endswith(".grade"))
    assert len(labs) >= 4
    for f in labs:
        n = int(f[3:-6])
        load_grades(SRC, n)
        assert os.path.isfile(os.path.join(SRC, "doc", "labs", f"lab{n}.md")), f
        r = subprocess.run(["git", "grep", "-l", f"LAB {n} " + "BEGIN"], cwd=SRC, capture_output=True,
                           text=True)
        assert r.stdout.strip(), f"no LAB {n} regions"
