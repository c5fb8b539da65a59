"""Property-based tests: no input makes the loader or validator raise, and
every problem they report has a file position an editor can go to."""
import re
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model import load, schema_errors
from generator.checks import pii
from generator.model.kinds import load_kinds
from test_validate import GOOD

ROOT = Path(__file__).resolve().parent.parent
KINDS, _ = load_kinds(ROOT)
SCHEMA = KINDS["dibao_stats"].schema
REL = "site_data/dibao_stats/x.yaml"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to YAML, plus Chinese, full-width digits, BOM, tabs and CR.
YAMLISH = st.text(alphabet=st.sampled_from(
    list(" \t\r\n:-?,[]{}#&*!|>'\"%@`~0123456789.+eE_xXnoyfaltrueYNO") + list("低保同心县１２３，：\ufeff\u2028")),
    max_size=300)


def yaml_lines(text: str) -> int:
    # YAML counts CR, CRLF, NEL and the Unicode line/paragraph separators as line breaks too.
    return len(re.split("\r\n|[\n\r\x85\u2028\u2029]", text))


def check_problems(problems, lines_in_text=None, rel=REL):
    for p in problems:
        assert p.path == rel
        assert isinstance(p.line, int) and p.line >= 1
        assert isinstance(p.col, int) and p.col >= 1
        assert p.message and p.format().startswith(f"{rel}:{p.line}:{p.col}: ")
        if lines_in_text is not None:
            assert p.line <= lines_in_text + 1, p


def full_check(text: str):
    """What validate does with one record file, in process."""
    doc = load.Document(path=Path("x.yaml"), rel=REL)
    problems = load.load_text(text, doc)
    if not problems and isinstance(doc.data, dict):
        doc.data = schema_errors.coerce_numbers_to_text(doc.data, SCHEMA, doc)
        problems = schema_errors.problems(doc, SCHEMA)
        doc.path = None
        problems += pii.check_document(doc, SCHEMA)
    return problems


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_load_without_raising(raw):
    text, problems = load.decode(raw, REL)
    check_problems(problems)
    if text is not None:
        check_problems(full_check(text), yaml_lines(text))


@SETTINGS
@given(YAMLISH)
def test_yamlish_text_never_raises(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_problems(full_check(text), yaml_lines(text))


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(GOOD)), st.integers(0, 3),
                          st.text(alphabet=string.printable + "低保：，１", max_size=6)), max_size=4))
def test_edited_good_record_never_raises(edits):
    # Editors' typos: delete up to 3 characters and insert a few, anywhere in a valid record.
    text = GOOD
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_problems(full_check(text), yaml_lines(text))


def schema_keys(schema) -> list[str]:
    """Every property name anywhere in a schema (nested objects, list items, definitions)."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                found.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    return sorted(found)


# Every kind, read from schemas/ when the tests start: kinds other engineers add are covered too.
KIND_IDS = sorted(KINDS)


def jsonish(keys: list[str]):
    return st.recursive(
        st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True)
        | st.text(max_size=20) | st.sampled_from(["2026-02-30", "2026-Q5", "640324", "已通过", "0951", "1:20"]),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(
            st.sampled_from(keys + ["x", "标题", "1"]) | st.text(max_size=5), children, max_size=5),
        max_leaves=20)


def test_every_kind_is_covered():
    assert "dibao_stats" in KIND_IDS and len(KIND_IDS) == len(list((ROOT / "schemas").glob("*.schema.json"))) - 2


@SETTINGS
@given(st.data())
def test_validator_never_raises_on_any_structure_of_any_kind(data):
    from generator.model.model import Record
    from generator.checks import plausibility

    kind = KINDS[data.draw(st.sampled_from(KIND_IDS), label="kind")]
    keys = schema_keys(kind.schema)
    record = data.draw(st.dictionaries(st.sampled_from(sorted(kind.schema["properties"])), jsonish(keys),
                                       max_size=14), label="record")
    rel = f"site_data/{kind.id}/x.yaml"
    doc = load.Document(path=None, rel=rel)
    doc.data = record
    doc.marks[()] = (1, 1)
    doc.data = schema_errors.coerce_numbers_to_text(record, kind.schema, doc)
    problems = schema_errors.problems(doc, kind.schema) + pii.check_document(doc, kind.schema)
    check_problems(problems, rel=rel)
    # The unit plausibility check reads whatever the schema let through.
    level = data.draw(st.sampled_from([None, "province", "city", "county", "township", "village"]))
    check_problems(plausibility.record_problems(Record(kind=kind, doc=doc, data=doc.data), level), rel=rel)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6000), st.sampled_from(["", ".5", "0.", "-"]), st.sampled_from(["expenditure", "recipients"]))
def test_numbers_of_any_length_never_raise(digits, extra, field):
    # Python refuses int() of more than 4300 digits; a long float turns into inf.
    number = ("-" if extra == "-" else "") + "1" + "7" * (digits - 1) + (extra if extra not in ("-",) else "")
    text = GOOD.replace("  expenditure: 10.5\n", f"  {field}: {number}\n", 1)
    check_problems(full_check(text), yaml_lines(text))


def _coerce_from_the_root(data, schema, doc, path=()):
    """coerce_numbers_to_text as it was, looking each path's schema up from the root."""
    from generator.model.kinds import subschema

    node = subschema(schema, path)
    if isinstance(data, dict):
        for key in list(data):
            data[key] = _coerce_from_the_root(data[key], schema, doc, path + (key,))
        return data
    if isinstance(data, list):
        return [_coerce_from_the_root(v, schema, doc, path + (i,)) for i, v in enumerate(data)]
    if node.get("type") == "string" and isinstance(data, (int, float)) and not isinstance(data, bool):
        raw = doc.raw.get(path)
        return raw if raw is not None else str(data)
    return data


@SETTINGS
@given(st.data())
def test_coercing_numbers_step_by_step_is_coercing_them_from_the_root(data):
    """coerce_numbers_to_text hands each child its schema node: the same node, and so the same
    data, as looking the child's path up from the root (int keys too, which step into items)."""
    import copy

    kind = KINDS[data.draw(st.sampled_from(KIND_IDS), label="kind")]
    keys = schema_keys(kind.schema)
    record = data.draw(st.dictionaries(st.sampled_from(sorted(kind.schema["properties"])),
                                       jsonish(keys) | st.dictionaries(st.integers(0, 3), jsonish(keys), max_size=3),
                                       max_size=14), label="record")
    doc = load.Document(path=None, rel=f"site_data/{kind.id}/x.yaml")
    doc.raw = {path: "0640" for path in _paths(record)}  # as typed: differs from str(number)
    expected = _coerce_from_the_root(copy.deepcopy(record), kind.schema, doc)
    assert schema_errors.coerce_numbers_to_text(copy.deepcopy(record), kind.schema, doc) == expected


def _paths(data, path=()):
    yield path
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from _paths(value, path + (key,))


class _Forgetful(dict):
    """A `known` that keeps nothing: every object's fields are worked out again."""

    def __setitem__(self, key, value):
        pass


def test_the_unit_check_finds_the_same_with_what_it_learnt_from_other_records():
    """plausibility.record_problems works out each object's fields once per path shape and run:
    every sample record, its amounts also typed in 元 (×10,000) and at every level, gets the
    same warnings as when each object's fields are worked out afresh."""
    import copy

    from generator.checks import plausibility
    from generator.model.model import Record
    from generator.model.validate import load_site

    site, _ = load_site(ROOT)

    def scaled(value):
        if isinstance(value, dict):
            return {k: scaled(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scaled(v) for v in value]
        return value * 10_000 if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    known, found = {}, 0
    for level in (None, "village", "county", "province"):
        for record in site.records:
            for data in (record.data, scaled(copy.deepcopy(record.data))):
                r = Record(kind=record.kind, doc=record.doc, data=data)
                alone = plausibility.record_problems(r, level, _Forgetful())
                assert plausibility.record_problems(r, level, known) == alone, record.doc.rel
                found += len(alone)
    assert found > 0  # the ×10,000 amounts are warned of
