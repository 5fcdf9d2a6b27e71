"""Boot configs checked at build time by the root task's parser, built
here for the host exactly as mk/cfgcheck.mk builds it."""

import os
import subprocess

import pytest

from conftest import write
from minnow.bootcfg import check_all, check_entry, config_item
from minnow.diag import ToolError
from minnow.modlist import parse_modules_list

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LIST = ("entry sys\nkernel minnow\nroottask roottask sys.cfg\nmodule sys.cfg\n"
        "module names\nmodule greeter-server\n"
        "entry plain\nkernel minnow\nroottask hello sys.cfg\nmodule sys.cfg\n")


@pytest.fixture(scope="module")
def tool(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("host") / "cfgcheck")
    subprocess.run(["cc", "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-o", out,
                    os.path.join(SRC, "servers/roottask/host/cfgcheck.c")], check=True)
    return out


def check(tmp_path, tool, cfg, listing=LIST, entry="sys"):
    write(tmp_path / "sys.cfg", cfg)
    ml = parse_modules_list(listing, str(tmp_path / "m.list"))
    return check_entry(ml, ml.select(entry), [str(tmp_path)], tool, base=str(tmp_path))


def test_good_config(tmp_path, tool):
    assert check(tmp_path, tool, "start names\nstart g module=greeter-server caps=names\n") == []


def test_unknown_option_has_a_hint(tmp_path, tool):
    assert check(tmp_path, tool, "start names priority=3\n") == [
        "sys.cfg:1: unknown option 'priority' (did you mean 'prio'?) "
        "[boot config of entry 'sys', m.list:4]"]


def test_unknown_program_in_caps_has_a_hint(tmp_path, tool):
    assert check(tmp_path, tool, "start names\nstart g module=greeter-server caps=nmaes\n") == [
        "sys.cfg:2: caps: no program named 'nmaes' (did you mean 'names'?) "
        "[boot config of entry 'sys', m.list:4]"]


def test_module_not_in_the_entry(tmp_path, tool):
    assert check(tmp_path, tool, "start names\nstart g module=greeter-sever\nstart x\n") == [
        "sys.cfg:2: program 'g': module 'greeter-sever' is not a module of entry 'sys' "
        "(did you mean 'greeter-server'?) [boot config of entry 'sys', m.list:4]",
        "sys.cfg:3: program 'x': module 'x' is not a module of entry 'sys' "
        "[boot config of entry 'sys', m.list:4]"]


def test_unchecked_and_other_root_tasks_are_left_alone(tmp_path, tool):
    bad = "start names priority=3\n"
    assert check(tmp_path, tool, bad, LIST.replace("entry sys\n", "entry sys\nunchecked\n")) == []
    assert check(tmp_path, tool, bad, entry="plain") == []
    ml = parse_modules_list(LIST, "m.list")
    assert config_item(ml.select("sys")).name == "sys.cfg"
    assert config_item(ml.select("plain")) is None


def test_check_all(tmp_path, tool):
    write(tmp_path / "sys.cfg", "strat names\n")
    ml = parse_modules_list(LIST, str(tmp_path / "m.list"))
    with pytest.raises(ToolError) as info:
        check_all(ml, [str(tmp_path)], tool, base=str(tmp_path))
    assert info.value.messages == [
        "sys.cfg:1: unknown directive 'strat' (expected 'start') "
        "[boot config of entry 'sys', m.list:4]"]
