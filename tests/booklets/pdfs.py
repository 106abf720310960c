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


def toc_entries(pages, labels):
    """(title, page) of each line of the contents: `page` is the position in the PDF (the
    first page 1) of the page whose printed number the line gives, found among the PDF's
    page `labels` (the front matter is numbered i, ii, …, the theme sections 1, 2, …)."""
    position = {label: index + 1 for index, label in enumerate(labels)}
    entries = []
    for text in pages:
        lines = text.splitlines()
        if not entries:
            # The contents begins at its heading, on a page of its own or after the
            # introduction of a small booklet.
            headings = [index for index, line in enumerate(lines) if line.strip() == "Indhold"]
            if not headings:
                continue
            lines = lines[headings[0] + 1 :]
        found = [CONTENTS_LINE.match(line) for line in lines]
        found = [(m["title"], position[m["page"]]) for m in found if m]
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


def front_matter_length(labels):
    """How many pages the front matter has, having checked that the page labels run
    i, ii, … through it and 1, 2, … after it."""
    first = labels.index("1")
    assert labels[:first] == [_roman(n) for n in range(1, first + 1)], labels
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)], labels
    return first


def _roman(number):
    digits = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    text = ""
    for value, letters in digits:
        count, number = divmod(number, value)
        text += letters * count
    return text
