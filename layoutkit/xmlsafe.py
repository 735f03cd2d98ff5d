"""The one XML parser factory: no entity expansion, no DTD loading, no network.

Ground truth and other tools' ALTO come from outside; a file with an external entity must not make
layoutkit read local files or reach the network.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=True, remove_comments=True)


def parse_xml(path: str | Path) -> etree._ElementTree:
    # Opened by Python, not by libxml2: a file name that is not UTF-8 is still a file.
    with open(path, "rb") as fh:
        return etree.parse(fh, safe_parser())
