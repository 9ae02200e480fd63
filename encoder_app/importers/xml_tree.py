"""Reading a whole XML release file into a tree without holding the interpreter lock
throughout: ET.parse hands the file to the C parser in one call (0.3-0.4 s for the Tabular
List), which froze the window while an import ran on the background worker."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import BinaryIO

CHUNK = 1 << 16


def parse_xml(stream: BinaryIO) -> ET.Element:
    """The document's root element, fed to the parser 64 KiB at a time. Errors are
    ET.ParseError with the line and column, as from ET.parse."""
    parser = ET.XMLParser()
    while chunk := stream.read(CHUNK):
        parser.feed(chunk)
    return parser.close()


def free_tree(root: ET.Element, depth: int = 3) -> None:
    """Drop a big tree a small subtree at a time. Letting the last reference to a whole
    Tabular List or Index go frees every element in one C call that holds the interpreter lock
    (50-90 ms with nothing else running, several times that for a window waiting its turn);
    detached down to ``depth`` levels, each piece is a main term or a code's few elements, and
    the window gets the lock between pieces. Any other holder of the elements (a list, a
    line-number dict) must be dropped first, or this frees nothing."""
    while len(root):
        child = root[-1]
        del root[-1]
        if depth > 1:
            free_tree(child, depth - 1)
        del child
