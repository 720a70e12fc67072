/* bulletin_docx.c — the bulletin as a Word document: WordprocessingML parts
 * zipped with libzip.  Paragraphs carry named styles (标题, 一级标题, 正文 …) and
 * the annexes are real tables, so the center edits the document as usual;
 * charts stay in the pdf and the web page. */
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "bulletin_int.h"

#define PART_MAX (256u << 20)
#define TEXT_TWIPS 9638 /* A4 less 2 × 2.6 cm margins */

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>";

static const char document_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

/* Official-document conventions: 小标宋 title, 黑体 headings, 仿宋 body at 三号
 * (16 pt) with a two-character first-line indent; tables at 8 pt. */
#define STYLE(id, name, ppr, rpr)                                                              \
    "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>"          \
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>" ppr "</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"
#define FONT(f) "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" f "\"/>"

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>" FONT("仿宋") "<w:sz w:val=\"32\"/><w:lang w:eastAsia=\"zh-CN\"/>"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"560\" "
    "w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>"
    "</w:pPr></w:style>"
    STYLE("Title", "Title", "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:before=\"600\" w:after=\"300\" w:line=\"240\" w:lineRule=\"auto\"/>",
          FONT("宋体") "<w:b/><w:color w:val=\"C00000\"/><w:sz w:val=\"60\"/>")
    STYLE("Subtitle", "Subtitle", "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>", "")
    STYLE("Heading1", "heading 1", "<w:keepNext/><w:outlineLvl w:val=\"0\"/>", FONT("黑体"))
    STYLE("Caption", "caption", "<w:keepNext/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:before=\"200\" w:after=\"200\" w:line=\"240\" w:lineRule=\"auto\"/>",
          FONT("宋体") "<w:b/><w:sz w:val=\"28\"/>")
    STYLE("TableText", "Table Text", "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>",
          "<w:sz w:val=\"16\"/>")
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:tblPr>"
    "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>"
    "<w:tblCellMar><w:left w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"40\" w:type=\"dxa\"/></w:tblCellMar>"
    "</w:tblPr></w:style></w:styles>";

static const char *const block_styles[] = {"Title", "Subtitle", "Heading1", "Normal", "Caption"};

static hl_rc text(hl_buf *o, const char *s)
{
    hl_rc rc = HL_OK;
    for (; *s && !rc; s++)
        switch (*s) {
        case '<': rc = hl_buf_adds(o, "&lt;"); break;
        case '>': rc = hl_buf_adds(o, "&gt;"); break;
        case '&': rc = hl_buf_adds(o, "&amp;"); break;
        case '"': rc = hl_buf_adds(o, "&quot;"); break;
        default: rc = (unsigned char)*s < 0x20 ? HL_OK : hl_buf_addc(o, *s);
        }
    return rc;
}

static hl_rc para(hl_buf *o, const char *style, int bold, const char *s)
{
    hl_rc rc = hl_buf_printf(o, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr><w:r>%s"
                                "<w:t xml:space=\"preserve\">", style, bold ? "<w:rPr><w:b/></w:rPr>" : "");
    if (!rc)
        rc = text(o, s);
    return rc ? rc : hl_buf_adds(o, "</w:t></w:r></w:p>");
}

static hl_rc row(hl_buf *o, const bl_table *t, size_t r, const int *twips)
{
    bl_row_kind k = t->kinds[r];
    hl_rc rc = hl_buf_printf(o, "<w:tr>%s", k == BL_ROW_HEAD ? "<w:trPr><w:tblHeader/></w:trPr>" : "");
    size_t cols = k == BL_ROW_GROUP ? 1 : t->ncols;
    for (size_t c = 0; c < cols && !rc; c++) {
        int w = 0;
        for (size_t x = c; x < (k == BL_ROW_GROUP ? t->ncols : c + 1); x++)
            w += twips[x];
        rc = hl_buf_printf(o, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
        if (!rc && k == BL_ROW_GROUP)
            rc = hl_buf_printf(o, "<w:gridSpan w:val=\"%zu\"/>", t->ncols);
        if (!rc)
            rc = hl_buf_adds(o, "<w:vAlign w:val=\"center\"/></w:tcPr>");
        if (!rc)
            rc = para(o, "TableText", k != BL_ROW_DATA, bl_cell(t, r, c));
        if (!rc)
            rc = hl_buf_adds(o, "</w:tc>");
    }
    return rc ? rc : hl_buf_adds(o, "</w:tr>");
}

static hl_rc table(hl_buf *o, const bl_block *b)
{
    const bl_table *t = &b->table;
    int twips[64], total = 0;
    if (t->ncols > 64)
        return HL_EINVAL;
    for (size_t c = 0; c < t->ncols; c++)
        total += t->widths[c];
    hl_rc rc = para(o, "Caption", 0, b->text);
    if (!rc)
        rc = hl_buf_printf(o, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"%d\" "
                              "w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
                           TEXT_TWIPS);
    for (size_t c = 0; c < t->ncols && !rc; c++) {
        twips[c] = TEXT_TWIPS * t->widths[c] / total;
        rc = hl_buf_printf(o, "<w:gridCol w:w=\"%d\"/>", twips[c]);
    }
    if (!rc)
        rc = hl_buf_adds(o, "</w:tblGrid>");
    for (size_t r = 0; r < t->nrows && !rc; r++)
        rc = row(o, t, r, twips);
    return rc ? rc : hl_buf_adds(o, "</w:tbl>");
}

static hl_rc document(const bl_doc *d, hl_buf *o)
{
    hl_rc rc = hl_buf_adds(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                              "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                              "wordprocessingml/2006/main\"><w:body>");
    for (size_t i = 0; i < d->n && !rc; i++) {
        const bl_block *b = &d->v[i];
        if (b->kind == BL_TABLE)
            rc = table(o, b);
        else if (b->kind == BL_BREAK)
            rc = hl_buf_adds(o, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        else if (b->kind != BL_CHART)
            rc = para(o, block_styles[b->kind], 0, b->text);
    }
    return rc ? rc : hl_buf_adds(o, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar "
                                    "w:top=\"2098\" w:right=\"1134\" w:bottom=\"1984\" w:left=\"1134\" "
                                    "w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>"
                                    "</w:body></w:document>");
}

/* Add a part from memory that outlives zip_close (libzip reads it then). */
static int part(zip_t *z, const char *name, const char *data, size_t len)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    if (!src)
        return -1;
    if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return -1;
    }
    return 0;
}

hl_rc bulletin_write_docx(const bl_doc *d, const char *path, hl_err *err)
{
    hl_buf body;
    int zerr = 0;
    hl_buf_init(&body, PART_MAX);
    if (document(d, &body)) {
        hl_buf_free(&body);
        return hl_fail(err, HL_ENOMEM, "通报过大或内存不足");
    }
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    int bad = !z || part(z, "[Content_Types].xml", content_types, strlen(content_types)) ||
              part(z, "_rels/.rels", package_rels, strlen(package_rels)) ||
              part(z, "word/_rels/document.xml.rels", document_rels, strlen(document_rels)) ||
              part(z, "word/styles.xml", styles, strlen(styles)) ||
              part(z, "word/document.xml", hl_buf_str(&body), body.len);
    if (z && bad)
        zip_discard(z);
    else if (z && zip_close(z) < 0) {
        bad = 1;
        zip_discard(z);
    }
    hl_buf_free(&body);
    return bad ? hl_fail(err, HL_EIO, "写入 %s 失败", path) : HL_OK;
}
