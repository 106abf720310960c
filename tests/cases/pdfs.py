"""Reading booklet PDFs back in tests: text with poppler's pdftotext, structure with pypdf."""

import re
import subprocess

# A contents line: the title, then its page number at the right margin.
CONTENTS_LINE = re.compile(r"^\s*(?P<title>\S.*?)\s{3,}(?P<page>\d+)\s*$")


def pdf_text_pages(data):
    """The text of every page, as pdftotext (poppler) extracts it with -layout."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8").split("\f")[:-1]


def outline(reader):
    """[(level, title, page number starting at 1)] of the PDF's bookmarks."""
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return entries


def toc_entries(pages):
    """(title, page) of each line of the contents."""
    entries = []
    for text in pages:
        if "Indhold" not in text.split("\n", 3)[-1][:400] and not entries:
            continue
        found = [CONTENTS_LINE.match(line) for line in text.splitlines()]
        found = [(m["title"], int(m["page"])) for m in found if m]
        if entries and not found:
            break
        entries.extend(found)
    return entries


def named_destination_pages(reader):
    """{name: page number starting at 1} of the PDF's named destinations."""
    return {
        name: reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }
