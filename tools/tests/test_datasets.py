"""datasets/README.md is the record of what ships in datasets/: every row names a file that exists with the size and
sha256 the row states, every shipped file has a row, and every loader in unrolled.data checks the recorded sha256."""
import hashlib
import re

import pytest

from unrolledtools.common import paths

DATASETS = paths.ROOT / "datasets"
README = DATASETS / "README.md"
LOADERS = paths.ROOT / "lib" / "src" / "main" / "java" / "unrolled" / "data"
COLUMNS = ["file", "what it is", "source", "licence (quoted) and attribution", "size", "sha256", "used by"]
# The issue asks for a lean repository: a few MB of data in total.
MAX_TOTAL_BYTES = 5_000_000
SHA256_CONSTANT = re.compile(r'SHA256 = "([0-9a-f]{64})"')
MAKE_SCRIPT = "make.py"


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table():
    lines = README.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| file |"))
    assert cells(lines[header]) == COLUMNS, f"datasets/README.md: the table's columns must be {COLUMNS}"
    rows = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        row = dict(zip(COLUMNS, cells(line)))
        assert len(cells(line)) == len(COLUMNS), f"datasets/README.md: this row needs {len(COLUMNS)} cells: {line[:80]}"
        rows.append(row)
    return rows


def unquoted(cell):
    assert cell.startswith("`") and cell.endswith("`"), f"datasets/README.md: write {cell!r} in backticks"
    return cell.strip("`")


ROWS = table()


def test_the_readme_lists_at_least_one_dataset():
    assert ROWS, "datasets/README.md has no dataset rows"


@pytest.mark.parametrize("row", ROWS, ids=[unquoted(r["file"]) for r in ROWS])
def test_each_row_names_a_file_with_the_recorded_size_and_sha256(row):
    name = unquoted(row["file"])
    file = DATASETS / name
    assert file.is_file(), f"datasets/README.md lists {name}, but datasets/{name} does not exist"
    size = re.fullmatch(r"([\d,]+) bytes", row["size"])
    assert size, f"{name}: the size must read like '18,547 bytes', but is {row['size']!r}"
    assert int(size.group(1).replace(",", "")) == file.stat().st_size, (
        f"{name}: the README says {row['size']}, but the file has {file.stat().st_size:,} bytes")
    recorded = unquoted(row["sha256"])
    actual = hashlib.sha256(file.read_bytes()).hexdigest()
    assert recorded == actual, f"{name}: the README records sha256 {recorded}, but the file has {actual}"


@pytest.mark.parametrize("row", ROWS, ids=[unquoted(r["file"]) for r in ROWS])
def test_each_row_quotes_a_licence_and_names_its_source_and_notebooks(row):
    name = unquoted(row["file"])
    assert '"' in row["licence (quoted) and attribution"], f"{name}: quote the licence as its source states it"
    assert row["source"], f"{name}: name the source"
    assert re.fullmatch(r"\d\d(, \d\d)*", row["used by"]), (
        f"{name}: 'used by' must list notebook numbers like '08, 11', but is {row['used by']!r}")


def made_by_script(path):
    """A dataset's own `make.py`: the committed script that wrote the file beside it, not data."""
    return path.name == MAKE_SCRIPT


def test_every_shipped_file_has_a_row():
    listed = {unquoted(r["file"]) for r in ROWS}
    shipped = {p.relative_to(DATASETS).as_posix() for p in DATASETS.rglob("*")
               if p.is_file() and p != README and not made_by_script(p) and "__pycache__" not in p.parts}
    missing = sorted(shipped - listed)
    assert not missing, f"these files in datasets/ have no row in datasets/README.md: {missing}"


def test_the_datasets_stay_small():
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file())
    assert total <= MAX_TOTAL_BYTES, f"datasets/ holds {total:,} bytes; keep it under {MAX_TOTAL_BYTES:,}"


def test_every_loader_checks_a_recorded_sha256_and_every_file_has_a_loader():
    recorded = {unquoted(r["sha256"]): unquoted(r["file"]) for r in ROWS}
    constants = {}
    for source in sorted(LOADERS.glob("*.java")):
        for sha in SHA256_CONSTANT.findall(source.read_text(encoding="utf-8")):
            constants[sha] = source.name
    unknown = {sha: java for sha, java in constants.items() if sha not in recorded}
    assert not unknown, f"these loaders check a sha256 that datasets/README.md does not record: {unknown}"
    unloaded = sorted(name for sha, name in recorded.items() if sha not in constants)
    assert not unloaded, f"no loader in unrolled.data checks the sha256 of: {unloaded}"


def test_every_make_script_is_named_by_the_row_of_the_file_it_makes():
    scripts = sorted(p.relative_to(DATASETS).as_posix() for p in DATASETS.rglob(MAKE_SCRIPT))
    for script in scripts:
        folder = script.rsplit("/", 1)[0] + "/"
        rows = [r for r in ROWS if unquoted(r["file"]).startswith(folder)]
        assert rows, f"datasets/{script} makes no file listed in datasets/README.md"
        assert all(f"`{script}`" in r["what it is"] for r in rows), (
            f"the rows of datasets/{folder} must say they were made by `{script}`")


def state_of_the_union_script():
    import importlib.util
    spec = importlib.util.spec_from_file_location("sotu_make", DATASETS / "state-of-the-union" / MAKE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sentence_script_removes_stage_directions_and_typographic_forms():
    make = state_of_the_union_script()
    assert make.clean("We will act. (Applause.) And we will\u2014[laughter]\u2014win. It\u2019s \u201cdone\u201d.") == (
        "We will act. And we will -- win. It's \"done\".")


def test_the_sentence_script_cuts_after_full_stops_but_not_after_abbreviations_or_initials():
    make = state_of_the_union_script()
    text = ("Mr. Lincoln sent the report to the U.S. Senate. Gen. U. S. Grant took command of it all! "
            "Too short. Was the treaty signed in 1848? \"It was,\" he wrote to them.")
    assert make.sentences(text) == ["Mr. Lincoln sent the report to the U.S. Senate.",
                                    "Gen. U. S. Grant took command of it all!",
                                    "Was the treaty signed in 1848?", "\"It was,\" he wrote to them."]


def test_the_sentence_script_labels_only_the_two_eras():
    make = state_of_the_union_script()
    assert [make.era(y) for y in (1790, 1899, 1900, 1945, 1946, 2021)] == [
        make.EARLY, make.EARLY, None, None, make.MODERN, make.MODERN]


def test_the_shipped_sentences_follow_the_script_rules():
    import csv
    make = state_of_the_union_script()
    with open(DATASETS / "state-of-the-union" / "state-of-the-union-sentences.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {era: sum(r["era"] == era for r in rows) for era in make.KEEP} == make.KEEP
    for r in rows:
        assert make.era(int(r["year"])) == r["era"], r
        assert len(r["sentence"].split()) >= make.MIN_WORDS, r
        assert make.clean(r["sentence"]) == r["sentence"], f"not cleaned as make.py cleans: {r['sentence'][:80]}"
