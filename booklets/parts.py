"""Lay a booklet out in parts, in parallel processes, and join the parts into one PDF.

WeasyPrint lays a document out in one thread: a booklet of 100 cases (about 80 pages)
takes it 7–8 s on one core here. Cut into parts that are laid out at the same time, one
per core, and joined afterwards, it takes about half that on two cores.

`booklets.pdf.BookletPdf` drives it:
1. The theme sections are cut into parts of about equal work
   (`split_into_parts` below). Each part is laid out and written as a PDF in a
   worker process (`render_part`), which reports its pages, anchors and bookmarks.
2. Then this process lays out the front matter (cover, introduction, contents) with the
   page numbers the parts reported. The front matter is paginated on its own (i, ii, …)
   and the theme sections from 1, as in a book, so its length changes no other number.
3. `join_parts` puts the parts together with pikepdf (qpdf): the pages, their structure
   trees as one (a tagged PDF for screen readers), the named destinations the contents'
   links point to, one outline of bookmarks, page labels (i, ii, …, 1, 2, …, as printed),
   the metadata and the document language. "Side X af Y" is laid over every page of the
   theme sections, as a pagination artifact, from a WeasyPrint document of nothing but
   page numbers.

The workers come from a "forkserver" (single-threaded, so safe to fork from a threaded
web server) that has WeasyPrint imported already. A broken pool is replaced, and a part
is then laid out in this process.
"""

import gc
import io
import logging
import multiprocessing
import threading
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pikepdf
import weasyprint
from pikepdf import Array, Dictionary, Name, OutlineItem
from weasyprint.text.fonts import FontConfiguration

if TYPE_CHECKING:  # the forkserver preloads this module before Django is set up
    from .booklet import Section

logger = logging.getLogger(__name__)

# WeasyPrint lays out in CSS pixels; PDF coordinates are points from the bottom left.
PX_TO_PT = 0.75


@dataclass
class RenderedPart:
    """A part of a booklet, laid out and written as a PDF."""

    pdf: bytes
    page_count: int
    #: anchor (element id) -> index of the page it is on, within this part
    anchors: dict = field(default_factory=dict)
    #: (level, label, page index, x, y) of each bookmark, x and y in PDF points
    bookmarks: list = field(default_factory=list)


def render_part(html, stylesheets, base_url, options):
    """Lay out `html` with the `stylesheets` (CSS texts) and write it as a PDF.

    The cyclic garbage collector is paused meanwhile: a layout makes millions of
    objects and no cycles worth collecting before it is done, and full collections over
    that heap cost about a fifth of the time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        font_config = FontConfiguration()
        css = [weasyprint.CSS(string=text, font_config=font_config) for text in stylesheets]
        document = weasyprint.HTML(string=html, base_url=base_url).render(
            stylesheets=css, font_config=font_config, **options
        )
        anchors, bookmarks = {}, []
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
            for level, label, (x, y), _state in page.bookmarks:
                bookmarks.append((level, label, index, x * PX_TO_PT, (page.height - y) * PX_TO_PT))
        return RenderedPart(
            pdf=document.write_pdf(**options),
            page_count=len(document.pages),
            anchors=anchors,
            bookmarks=bookmarks,
        )
    finally:
        if collecting:
            gc.enable()


# -- cutting a booklet into parts ----------------------------------------------------
@dataclass
class SectionSlice:
    """The cases of one section that fall in one part of the booklet.

    A section is normally one slice. A section too large for one part is cut between two
    cases; its header is printed with the first slice, its "Se også" with the last.
    """

    section: "Section"
    cases: list
    first: bool = True
    last: bool = True


# What a case costs to lay out, besides its text: title, fact box, spacing.
CASE_FIXED_WEIGHT = 600
SECTION_FIXED_WEIGHT = 800


def case_weight(case):
    return CASE_FIXED_WEIGHT + sum(
        len(getattr(case, name) or "")
        for name in ("title", "lead", "body", "key_learnings", "dos", "donts")
    )


def split_into_parts(sections, parts):
    """Cut the booklet's sections into at most `parts` lists of `SectionSlice`s of
    about the same layout work.

    A cut falls between two sections where one lies near the ideal point (within a
    quarter of a part's share); otherwise between two cases inside the section that
    spans the point. Never between a section's header and its first case.
    """
    # Cut points: (cumulative weight before the point, section index, case index).
    weights = []
    for section in sections:
        header = SECTION_FIXED_WEIGHT + len(section.description)
        see_also = 200 * len(section.see_also)
        weights.append([header + see_also] + [case_weight(case) for case in section.cases])
    total = sum(sum(w) for w in weights)
    parts = max(1, min(parts, sum(len(section.cases) for section in sections)))
    if parts == 1 or not sections:
        return [[SectionSlice(section, list(section.cases)) for section in sections]]

    section_cuts, case_cuts = [], []
    running = 0
    for index, section_weights in enumerate(weights):
        if index:
            section_cuts.append((running, index, 0))
        running += sum(section_weights[:2])  # the header with its first case
        for case_index in range(1, len(section_weights) - 1):
            case_cuts.append((running, index, case_index))
            running += section_weights[case_index + 1]

    share = total / parts
    chosen = []
    for number in range(1, parts):
        ideal = share * number
        after = chosen[-1][0] if chosen else 0
        candidates = [cut for cut in section_cuts if cut[0] > after]
        best = min(candidates, key=lambda cut: abs(cut[0] - ideal), default=None)
        if best is None or abs(best[0] - ideal) > share / 4:
            inside = [cut for cut in case_cuts if cut[0] > after]
            best_inside = min(inside, key=lambda cut: abs(cut[0] - ideal), default=None)
            if best_inside is not None and (
                best is None or abs(best_inside[0] - ideal) < abs(best[0] - ideal)
            ):
                best = best_inside
        if best is not None:
            chosen.append(best)

    result, current = [], []
    cut_points = {(index, case_index) for _, index, case_index in chosen}
    for index, section in enumerate(sections):
        start = 0
        if (index, 0) in cut_points and current:
            result.append(current)
            current = []
        for case_index in range(1, len(section.cases)):
            if (index, case_index) in cut_points:
                current.append(
                    SectionSlice(
                        section, section.cases[start:case_index], first=start == 0, last=False
                    )
                )
                result.append(current)
                current = []
                start = case_index
        current.append(SectionSlice(section, section.cases[start:], first=start == 0))
    result.append(current)
    return result


# -- the worker processes ---------------------------------------------------------------

_pool = None
_pool_size = 0
_pool_lock = threading.Lock()


def _get_pool(processes):
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != processes:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            _pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
            _pool_size = processes
        return _pool


def _drop_pool(pool):
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def render_parts(jobs, processes, meanwhile=None):
    """Render each job (arguments of `render_part`) and call `meanwhile()` at the same
    time; returns ([RenderedPart in job order], what `meanwhile` returned).

    With one process, or one job and nothing else to do, everything runs here, one after
    another.
    """
    if processes < 2 or (len(jobs) < 2 and meanwhile is None):
        meanwhile_result = meanwhile() if meanwhile else None
        return [render_part(*job) for job in jobs], meanwhile_result
    pool = _get_pool(processes)
    try:
        futures = [pool.submit(render_part, *job) for job in jobs]
    except BrokenProcessPool:
        _drop_pool(pool)
        futures = []
    meanwhile_result = meanwhile() if meanwhile else None
    results = []
    for job, future in zip(jobs, futures or [None] * len(jobs), strict=True):
        try:
            results.append(future.result() if future else render_part(*job))
        except BrokenProcessPool:
            logger.warning("A booklet worker process died; laying the part out here.")
            _drop_pool(pool)
            results.append(render_part(*job))
    return results, meanwhile_result


# -- joining --------------------------------------------------------------------------


def _flat_names(tree):
    """(name, value) pairs of a PDF name tree, in order."""
    if "/Names" in tree:
        names = tree.Names
        for index in range(0, len(names), 2):
            yield str(names[index]), names[index + 1]
    for kid in tree.get("/Kids", []):
        yield from _flat_names(kid)


def join_parts(parts, homes=None, numbers_pdf=None):
    """One PDF of the `parts` (RenderedPart, in print order).

    The first part is the front matter: it gives the metadata and the document language,
    and its pages are labelled i, ii, …; the pages after it 1, 2, …. A link to a section or
    case laid out in another part points to an empty placeholder target in its own part
    (WeasyPrint drops links without a target); `homes` maps such targets to the index of
    the part that really holds them, and the joined PDF's named destination is taken
    from there. Other names go to their first occurrence.
    `numbers_pdf` (a PDF with a page for every page after the front matter) is laid over
    those pages.
    """
    joined = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]

    structure_root = joined.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    structure_document = joined.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=structure_root, K=Array())
    )
    structure_root.K = Array([structure_document])
    parent_tree = []  # the joined ParentTree's /Nums: key, value, key, value, …
    next_key = 0
    destinations = {}
    bookmarks = []
    offset = 0

    homes = homes or {}
    for number, (part, source) in enumerate(zip(parts, sources, strict=True)):
        with warnings.catch_warnings():
            # pikepdf warns that pages.extend() leaves named destinations behind; they
            # are carried over below, where the placeholders are resolved.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            joined.pages.extend(source.pages)
        pages = joined.pages[offset : offset + part.page_count]
        page_index = {page.objgen: offset + i for i, page in enumerate(source.pages)}

        key_offset = next_key
        if "/StructTreeRoot" in source.Root:
            # Copied after the pages, so its page and annotation references are mapped
            # to the copies already made.
            root = joined.copy_foreign(source.Root.StructTreeRoot)
            for element in root.K[0].K:
                element.P = structure_document
                structure_document.K.append(element)
            # Read as a Python list once: indexing the PDF array entry by entry took 70 ms
            # of a 100-case booklet's join.
            nums = list(root.ParentTree.Nums)
            for index in range(0, len(nums), 2):
                key = int(nums[index]) + key_offset
                parent_tree.extend([key, nums[index + 1]])
                next_key = max(next_key, key + 1)
            for page in pages:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + key_offset
                for annotation in page.obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + key_offset

        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            for name, destination in _flat_names(source.Root.Names.Dests):
                if homes.get(name, number) != number or (
                    name in destinations and name not in homes
                ):
                    continue
                target = joined.pages[page_index[destination[0].objgen]].obj
                destinations[name] = Array([target, *list(destination)[1:]])

        bookmarks.extend(
            (level, label, offset + index, x, y) for level, label, index, x, y in part.bookmarks
        )
        offset += part.page_count

    parent_tree_dict = joined.make_indirect(Dictionary(Nums=Array(parent_tree)))
    structure_root.ParentTree = parent_tree_dict
    structure_root.ParentTreeNextKey = next_key
    joined.Root.StructTreeRoot = structure_root
    joined.Root.MarkInfo = Dictionary(Marked=True)
    joined.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    first = sources[0]
    if "/Lang" in first.Root:
        joined.Root.Lang = first.Root.Lang
    if destinations:
        names = Array()
        for name in sorted(destinations):
            names.extend([pikepdf.String(name), destinations[name]])
        joined.Root.Names = Dictionary(Dests=Dictionary(Names=names))
    _add_outline(joined, bookmarks)
    for key, value in first.docinfo.items():
        joined.docinfo[key] = value
    front_pages = parts[0].page_count
    labels = Array([0, Dictionary(S=Name.r)])
    if offset > front_pages:
        labels.extend([front_pages, Dictionary(S=Name.D)])
    joined.Root.PageLabels = Dictionary(Nums=labels)
    if numbers_pdf is not None:
        _lay_over(joined, numbers_pdf, first=front_pages)

    output = io.BytesIO()
    joined.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _add_outline(pdf, bookmarks):
    """Bookmarks as a tree: a level-2 bookmark goes under the last level-1 one, even
    when the two were laid out in different parts."""
    with pdf.open_outline() as outline:
        stack = []  # (level, item)
        for level, label, page_index, x, y in bookmarks:
            item = OutlineItem(label, page_index, "XYZ", left=x, top=y)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _lay_over(pdf, numbers_pdf, first):
    """Lay page `i` of `numbers_pdf` over page `first + i` of `pdf`."""
    numbers = pikepdf.open(io.BytesIO(numbers_pdf))
    pages = pdf.pages[first:]
    if len(numbers.pages) != len(pages):
        raise ValueError(f"{len(numbers.pages)} pages of numbers for {len(pages)} pages")
    for page, number_page in zip(pages, numbers.pages, strict=True):
        form = pdf.copy_foreign(number_page.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="PageNumber")
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(
                pdf,
                b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
                b"q " + name.unparse() + b" Do Q\nEMC\n",
            )
        )
