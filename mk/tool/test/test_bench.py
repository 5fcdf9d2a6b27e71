"""The benchmark report: parsing the guest's lines, the table, the ratios."""
from minnow.bench import format_counts, format_ratios, parse

LOG = """Minnow 0.1 (x86_64) starting
bench: pingpong rounds 2000 rdtsc-overhead 3
bench: pingpong fastpath call min 245 median 246 max 300
bench: pingpong fastpath roundtrip min 505 median 510 max 700
bench: pingpong slowpath roundtrip min 1031 median 1020 max 1400
bench: pingpong slowpath call min x median 1 max 2
pingpong: done
""".splitlines()


def test_parse_rows_and_rounds():
    rows, rounds = parse(LOG)
    assert rounds == {"pingpong": 2000}
    assert rows[("pingpong", "fastpath", "call")] == (245, 246, 300)
    assert rows[("pingpong", "slowpath", "roundtrip")] == (1031, 1020, 1400)
    assert ("pingpong", "slowpath", "call") not in rows      # malformed number


def test_table_has_every_row():
    rows, _ = parse(LOG)
    table = format_counts(rows)
    assert len(table) == 1 + 3
    assert "fastpath" in table[1] and "246" in table[1]


def test_ratios_against_fastpath():
    rows, _ = parse(LOG)
    ratios = format_ratios(rows)
    assert ratios == ["  pingpong roundtrip: slowpath / fastpath = 2.00"]


def test_nothing_parsed_from_noise():
    rows, rounds = parse(["bench: nothing here", "random"])
    assert rows == {} and rounds == {}
