"""Rendering a prepared notebook to one self-contained HTML page (nbconvert + our template)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "handout_template"
TEMPLATE_NAME = TEMPLATE_DIR.name
INDEX_NAME = "index.html"
SOLUTIONS_META = '<meta name="handout-solutions" content="yes">'


#: the screen edition's template: ``handout_template/screen/`` (the print template + live widgets)
SCREEN_TEMPLATE_NAME = "screen"


def exporter(screen: bool = False):
    from nbconvert import HTMLExporter

    if screen:   # screen/ lives in the print template's folder and extends handout_template/index.html.j2
        extra = {"extra_template_basedirs": [str(TEMPLATE_DIR.parent), str(TEMPLATE_DIR)],
                 "extra_template_paths": [str(TEMPLATE_DIR.parent)]}
    else:
        extra = {"extra_template_basedirs": [str(TEMPLATE_DIR.parent)]}
    return HTMLExporter(template_name=SCREEN_TEMPLATE_NAME if screen else TEMPLATE_NAME, **extra,
                        exclude_input_prompt=True, exclude_output_prompt=True, exclude_anchor_links=True,
                        embed_images=True, language_code="zh")


# links are rewritten for the handout folder (a transformation of our own output, not a reading)
_HREF_RE = re.compile(r'(\shref=)(["\'])([^"\']*)\2')


def rewrite_href(url: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith(("#", "//")):
        return url
    path, sep, anchor = url.partition("#")
    name = path.rsplit("/", 1)[-1]
    if name == "README.md":  # the collection's contents (../README.md#目录)
        return INDEX_NAME
    if name.endswith(".ipynb"):
        return name[: -len(".ipynb")] + ".html" + (sep + anchor if anchor else "")
    return url


def rewrite_links(body: str) -> str:
    """Chapter links → the .html handouts; the contents link (../README.md#…) → index.html."""
    return _HREF_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{html.escape(rewrite_href(html.unescape(m.group(3))))}"
                                  f"{m.group(2)}", body)


class Scan(HTMLParser):
    """Checks of a finished handout: external resources, images (and their alt), visible text."""

    RESOURCE = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
                "iframe": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
                "audio": ("src",), "input": ("src",)}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []
        self.png_images = 0
        self.missing_alt = 0
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in self.RESOURCE.get(tag, ()):
            value = (attrs.get(attr) or "").strip()
            if re.match(r"^(?:https?:)?//", value, re.I):
                self.external.append(f"<{tag} {attr}={value[:80]}>")
        if tag == "img":
            if (attrs.get("src") or "").startswith("data:image/png"):
                self.png_images += 1
            if not (attrs.get("alt") or "").strip():
                self.missing_alt += 1
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def scan(body: str) -> Scan:
    parser = Scan()
    parser.feed(body)
    parser.close()
    return parser


def convert(nb, *, title: str, notebook_path: Path, with_solutions: bool, screen: bool = False) -> str:
    """HTML of a prepared notebook (``screen``: the screen edition, live widgets)."""
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(notebook_path.parent)}}
    body, _ = exporter(screen).from_notebook_node(nb, resources=resources)
    body = rewrite_links(body)
    if with_solutions:
        body = body.replace("<head>", "<head>\n" + SOLUTIONS_META, 1)
    return body
