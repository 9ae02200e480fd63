"""Reading a whole XML release file into a tree without holding the interpreter lock
throughout: ET.parse hands the file to the C parser in one call (0.3-0.4 s for the Tabular
List), which froze the window while an import ran on the background worker."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import MutableMapping, MutableSequence
from typing import Any, BinaryIO

CHUNK = 1 << 16
PIECE = 4096  # items dropped at a time by drop_in_pieces


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


def drop_in_pieces(items: MutableSequence[Any] | MutableMapping[Any, Any]) -> None:
    """Empty a big list or dict of rows (or elements) ``PIECE`` items at a time, for the same
    reason as free_tree: one ``clear()`` frees them all in a single call."""
    if isinstance(items, MutableMapping):
        keys = list(items)
        while keys:
            for key in keys[-PIECE:]:
                del items[key]
            del keys[-PIECE:]
        return
    while items:
        del items[-PIECE:]
