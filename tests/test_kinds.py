"""x-kind is read once into a Kind: units, links and the schema helpers every step shares."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.model.kinds import deref, get_path, load_kinds, subschema, timed_links

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kinds():
    found, problems = load_kinds(ROOT)
    assert problems == []
    return found


def test_deref_keeps_the_keys_beside_the_ref():
    root = {"definitions": {"n": {"type": "integer", "title": "人数"}}}
    assert deref({"$ref": "#/definitions/n", "title": "城市低保人数", "x-unit": "人"}, root) == {
        "type": "integer", "title": "城市低保人数", "x-unit": "人"}
    assert deref({"$ref": "#/definitions/missing"}, root) == {}


def test_one_getter_for_dotted_and_tuple_paths():
    data = {"urban": {"recipients": 12}, "rows": [{"amount": 3}]}
    assert get_path(data, "urban.recipients") == 12
    assert get_path(data, ("rows", 0, "amount")) == 3
    assert get_path(data, ("rows", 5, "amount")) is None
    assert get_path(data, "urban.recipients.more") is None


def test_units_come_from_the_kind(kinds):
    dibao = kinds["dibao_stats"]
    for f in dibao.fields:
        assert dibao.unit(f.path) == dibao.unit(tuple(f.path.split("."))) == f.unit
    # A list's items are addressed with or without the index.
    fees = kinds["fee_catalogue"]
    paths = [k for k in fees.units if "." in k]
    assert paths and all(fees.unit(p) == fees.unit(p.replace(".", ".0.", 1)) for p in paths)
    assert subschema(fees.schema, ("nope",)) == {} and fees.unit("nope") == ""


def test_links_are_typed_and_the_interpretation_deadline_is_declared(kinds):
    interpretation = kinds["interpretation"]
    assert [(link.field, link.kind, link.back) for link in interpretation.links] == [
        ("policy", "policy", "interpretations")]
    source, link = timed_links(kinds, "interpretation_deadline")["policy"]
    assert source.id == "interpretation" and link.back == "interpretations"
    with pytest.raises(dataclasses.FrozenInstanceError):
        interpretation.name = "别的"


def test_a_malformed_link_is_reported_on_the_schema(tmp_path):
    (tmp_path / "schemas").mkdir()
    common = (ROOT / "schemas" / "common.schema.json").read_text("utf-8")
    (tmp_path / "schemas" / "common.schema.json").write_text(common, "utf-8")
    (tmp_path / "schemas" / "x.schema.json").write_text(
        '{"x-kind": {"name": "测试", "column": "relief", "links": [{"field": "policy"}]}}', "utf-8")
    found, problems = load_kinds(tmp_path)
    assert found["x"].links == ()
    assert [p.message for p in problems] == [
        "x-kind.links 的每一项要写 field、kind、title、back、back_title，可以另写 missing 和 rule。"]
