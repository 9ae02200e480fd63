"""Whole-file XML reading in chunks: the same tree as ET.parse, and errors that say where."""

import io
import xml.etree.ElementTree as ET

import pytest

from encoder_app.importers import xml_tree
from encoder_app.importers.xml_tree import parse_xml


def test_a_document_longer_than_a_chunk_gives_the_same_tree(monkeypatch):
    monkeypatch.setattr(xml_tree, "CHUNK", 7)  # many feeds, splitting tags and text
    text = ("<ICD10CM.tabular><chapter><name>4</name><desc>Endocrine, nutritional and metabolic "
            "diseases (E00-E89)</desc><diag><name>E11</name></diag></chapter></ICD10CM.tabular>")
    root = parse_xml(io.BytesIO(text.encode()))
    assert ET.tostring(root) == ET.tostring(ET.fromstring(text))
    assert root.find("chapter/diag/name").text == "E11"


def test_malformed_xml_raises_with_line_and_column():
    with pytest.raises(ET.ParseError) as error:
        parse_xml(io.BytesIO(b"<a>\n<b>\n</a>"))
    assert error.value.position[0] == 3
