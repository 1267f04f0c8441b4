"""Markdown vaults (Obsidian and the like): wiki links read as the words they show.

``[[S3 Glacier]]`` reads "S3 Glacier", ``[[s3-glacier|Glacier]]`` reads "Glacier",
``[[S3#Storage classes]]`` reads "S3 > Storage classes"; an embedded attachment
(``![[diagram.png]]``) and a ``%%comment%%`` read as nothing. Lines keep their numbers.
The vault's own folders (``.obsidian/``, ``.trash/``) are hidden and never read, and its
attachments (images, audio) are not note formats.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"(!?)\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_COMMENT = re.compile(r"%%.*?%%")
_NOTE = re.compile(r"\.(md|markdown)$", re.I)
_ATTACHMENT = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def render_links(line: str) -> str:
    if "[[" not in line and "%%" not in line:
        return line
    return _LINK.sub(_shown, _COMMENT.sub("", line))


def _shown(link: re.Match[str]) -> str:
    embed, target, alias = link.group(1), link.group(2).strip(), link.group(3)
    if alias and alias.strip():
        return alias.strip()
    page, _, section = target.partition("#")
    page = _NOTE.sub("", page.strip())
    if embed and _ATTACHMENT.search(page):
        return ""  # an embedded picture or PDF: nothing to read in this line
    section = "" if section.startswith("^") else section.strip()  # a ^block id names a paragraph by a code
    return " > ".join(part for part in (page, section) if part)
