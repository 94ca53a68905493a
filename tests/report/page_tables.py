"""Reads the machine-readable side of a `kartoteka report` page (SPEC §6.7): every
<table data-table="NAME"> with its header cells' data-key and its data cells' data-value.
Independent of kartoteka's code: Python's own html.parser."""
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = {}  # name -> (keys, rows), in page order
        self.order = []
        self._name = None
        self._row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self._name = a["data-table"]
            if self._name in self.tables:
                raise ValueError(f"table {self._name} twice")
            self.tables[self._name] = ([], [])
            self.order.append(self._name)
        elif self._name is None:
            return
        elif tag == "th":
            if "data-key" not in a:
                raise ValueError(f"{self._name}: a header cell without data-key")
            self.tables[self._name][0].append(a["data-key"])
        elif tag == "tr":
            self._row = []
        elif tag == "td":
            if "data-value" not in a:
                raise ValueError(f"{self._name}: a data cell without data-value")
            self._row.append(a["data-value"])

    def handle_endtag(self, tag):
        if self._name is None:
            return
        if tag == "tr" and self._row:
            self.tables[self._name][1].append(self._row)
            self._row = None
        elif tag == "table":
            self._name = None


def read_page(text):
    """{name: (keys, rows)} and the names in page order."""
    p = _Tables()
    p.feed(text)
    p.close()
    return p.tables, p.order


def as_csv_rows(keys, rows):
    """A table as the list of rows csv.reader would give for the command's output."""
    return [list(keys)] + [list(r) for r in rows]


if __name__ == "__main__":
    import sys
    tables, order = read_page(open(sys.argv[1], encoding="utf-8").read())
    for name in order:
        keys, rows = tables[name]
        print(f"## {name}")
        print(",".join(keys))
        for r in rows:
            print(",".join(r))
