#!/usr/bin/env python3
"""Read a bulletin back, independently of src/, for tests/report/test_bulletin.c.

usage: bulletin_read.py xlsx|docx|pdf FILE
       bulletin_read.py ink FILE.pdf

xlsx, docx, pdf: one line per table row, "T<n>" (the table's number: the annex) and its cells,
tab-separated.  xlsx: one sheet per table, the caption row skipped; docx: every w:tbl, a row's
cells as the text of its w:tc; pdf: the text laid out by pdftotext -layout, a table row of
annexes 1 and 2 as its words (unit names carry no spaces), a group heading as its one word;
the ledger annexes 3 and 4, whose details wrap, as one line "RAW" followed by the document's
text in drawing order (pdftotext -raw) with every space and line break removed.

ink: rasterises page 1 (pdftoppm, 72 dpi, grey) and prints, for each of the first words of
Chinese text pdftotext -bbox finds there, "INK <word> <fraction of dark pixels in its box>":
a font without the glyphs draws nothing where the text layer says text is.
"""
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

S = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'


def col_index(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx(path):
    z = zipfile.ZipFile(path)
    strings = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(S + 'si'):
            strings.append(''.join(t.text or '' for t in si.iter(S + 't')))
    n = 1
    while 'xl/worksheets/sheet%d.xml' % n in z.namelist():
        root = ET.fromstring(z.read('xl/worksheets/sheet%d.xml' % n))
        for row in root.iter(S + 'row'):
            if row.get('r') == '1':
                continue  # the caption
            cells = {}
            for c in row.iter(S + 'c'):
                v = c.find(S + 'v')
                text = v.text if v is not None else ''
                if c.get('t') == 's':
                    text = strings[int(text)]
                elif c.get('t') == 'inlineStr':
                    text = ''.join(t.text or '' for t in c.iter(S + 't'))
                elif re.fullmatch(r'-?\d+\.0', text or ''):
                    text = text[:-2]
                cells[col_index(c.get('r'))] = text
            if cells:
                width = max(cells) + 1
                emit(n, [cells.get(i, '') for i in range(width)])
        n += 1


def docx(path):
    root = ET.fromstring(zipfile.ZipFile(path).read('word/document.xml'))
    for n, tbl in enumerate(root.iter(W + 'tbl'), 1):
        for tr in tbl.iter(W + 'tr'):
            emit(n, [''.join(t.text or '' for t in tc.iter(W + 't')) for tc in tr.iter(W + 'tc')])


def pdftotext(path, *opts):
    return subprocess.run(['pdftotext', *opts, path, '-'], check=True, capture_output=True,
                          text=True).stdout


def pdf(path):
    table = 0
    for line in pdftotext(path, '-layout').splitlines():
        words = line.split()
        m = re.fullmatch(r'附件\s*(\d):', line.strip())
        if m:
            table = int(m.group(1))
        elif table in (1, 2) and words and (len(words) == 1 or len(words) >= 12):
            emit(table, words)
    print('RAW\t' + re.sub(r'\s+', '', pdftotext(path, '-raw')))


def emit(n, cells):
    print('T%d\t%s' % (n, '\t'.join(c.replace('\t', ' ').replace('\n', ' ') for c in cells)))


def ink(path):
    html = pdftotext(path, '-bbox', '-f', '1', '-l', '1')
    ppm = subprocess.run(['pdftoppm', '-gray', '-r', '72', '-f', '1', '-l', '1', path],
                         check=True, capture_output=True).stdout
    magic, w, h, maxval, data = parse_pgm(ppm)
    shown = 0
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">([^<]*)</word>', html):
        word = m.group(5)
        if not re.search('[\u4e00-\u9fff]', word):
            continue
        x0, y0, x1, y1 = (int(float(m.group(i))) for i in range(1, 5))
        dark = total = 0
        for y in range(max(y0, 0), min(y1 + 1, h)):
            for x in range(max(x0, 0), min(x1 + 1, w)):
                total += 1
                dark += data[y * w + x] < maxval // 2
        print('INK\t%s\t%.4f' % (word, dark / total if total else 0))
        shown += 1
        if shown == 5:
            break


def parse_pgm(b):
    fields, pos = [], 0
    while len(fields) < 4:
        while b[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not b[pos:pos + 1].isspace():
            pos += 1
        fields.append(b[start:pos])
    assert fields[0] == b'P5'
    return fields[0], int(fields[1]), int(fields[2]), int(fields[3]), b[pos + 1:]


if __name__ == '__main__':
    {'xlsx': xlsx, 'docx': docx, 'pdf': pdf, 'ink': ink}[sys.argv[1]](sys.argv[2])
