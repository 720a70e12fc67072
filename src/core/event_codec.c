/* event_codec.c — interchange JSON ⇄ hl_event.
 *
 * One table lists every field: its JSON name, its type, the ops that accept
 * it and the ops that require it.  Parsing walks the object's keys against
 * the table (an unknown or misplaced key is an error: an import must never
 * drop data silently); writing walks the table, so the canonical key order
 * is the table's order: op, at, order, then the rest.  The store keeps op,
 * at and order in columns and "the rest" as text (hl_event_write_rest), and
 * hl_event_join() puts a line back together. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "json.h"
#include "timeutil.h"
#include "utf8.h"

#define BIT(op) (1u << (op))
#define ALL_OPS ((1u << OP__COUNT) - 1)
#define NOT_APPEAL (ALL_OPS & ~BIT(OP_APPEAL))
#define SHORT_MAX 200      /* ids, names, categories */
#define TEXT_MAX 65536     /* content, replies, reasons */

typedef enum { F_STR, F_SHORT, F_TIME, F_ENUM, F_BOOL, F_CITIZEN, F_KB } ftype;

typedef struct {
    const char *name;
    ftype type;
    size_t off;               /* offset in hl_event of the value */
    size_t has_off;           /* F_TIME: offset of a presence flag, or 0 */
    const hl_enum *en;        /* F_ENUM, or NULL when it depends on op (result) */
    unsigned ops, required;
} field;

#define OFF(m) offsetof(hl_event, m)

static const field fields[] = {
    {"at", F_TIME, OFF(at), 0, NULL, ALL_OPS, ALL_OPS},
    {"order", F_SHORT, OFF(order), 0, NULL, ALL_OPS, NOT_APPEAL},
    {"id", F_SHORT, OFF(appeal_id), 0, NULL, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"channel", F_ENUM, OFF(channel), 0, &hl_channel_enum, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"source", F_SHORT, OFF(source), 0, NULL, BIT(OP_APPEAL), 0},
    {"line", F_ENUM, OFF(line), 0, &hl_line_enum, BIT(OP_APPEAL), 0},
    {"category", F_SHORT, OFF(category), 0, NULL, BIT(OP_APPEAL), 0},
    {"nature", F_ENUM, OFF(nature), 0, &hl_nature_enum, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"urgency", F_ENUM, OFF(urgency), 0, &hl_urgency_enum, BIT(OP_APPEAL), 0},
    {"content", F_STR, OFF(content), 0, NULL, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"location", F_STR, OFF(location), 0, NULL, BIT(OP_APPEAL), 0},
    {"citizen", F_CITIZEN, 0, 0, NULL, BIT(OP_APPEAL), 0},
    {"handling", F_ENUM, OFF(handling), 0, &hl_handling_enum, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"kb", F_KB, 0, 0, NULL, BIT(OP_APPEAL), 0},
    {"unit", F_SHORT, OFF(unit_ref), 0, NULL, BIT(OP_DISPATCH) | BIT(OP_SUBDISPATCH),
     BIT(OP_DISPATCH) | BIT(OP_SUBDISPATCH)},
    {"deadline", F_TIME, OFF(deadline), OFF(has_deadline), NULL, BIT(OP_DISPATCH), 0},
    {"until", F_TIME, OFF(until), 0, NULL, BIT(OP_EXTENSION_REQUEST), BIT(OP_EXTENSION_REQUEST)},
    {"approved", F_BOOL, OFF(approved), 0, NULL, BIT(OP_RETURN_DECISION) | BIT(OP_EXTENSION_DECISION),
     BIT(OP_RETURN_DECISION) | BIT(OP_EXTENSION_DECISION)},
    {"result", F_ENUM, OFF(result), 0, NULL, BIT(OP_REVIEW) | BIT(OP_CALLBACK) | BIT(OP_VERIFY),
     BIT(OP_REVIEW) | BIT(OP_CALLBACK) | BIT(OP_VERIFY)},
    {"text", F_STR, OFF(text), 0, NULL, BIT(OP_REPLY), BIT(OP_REPLY)},
    {"reason", F_STR, OFF(reason), 0, NULL,
     BIT(OP_RETURN_REQUEST) | BIT(OP_RETURN_DECISION) | BIT(OP_EXTENSION_REQUEST) |
         BIT(OP_REVIEW) | BIT(OP_REOPEN), 0},
    {"actor", F_SHORT, OFF(actor), 0, NULL, ALL_OPS, 0},
    {"note", F_STR, OFF(note), 0, NULL, ALL_OPS, 0},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])
#define FIRST_REST 2 /* fields[0..1] are at and order: columns of the store */

static const hl_enum *result_enum(hl_op op)
{
    return op == OP_REVIEW ? &hl_review_enum : op == OP_CALLBACK ? &hl_callback_enum : &hl_verify_enum;
}

static const field *find_field(const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++) /* first byte first: this runs per member */
        if (fields[i].name[0] == name[0] && strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static int has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 1;
    return 0;
}

static hl_rc get_string(const hj_node *v, const char *name, size_t max, int clean,
                        const char **out, hl_err *err)
{
    if (v->type != HJ_STRING)
        return hl_fail(err, HL_EINVAL, "字段 %s 应为字符串", name);
    const char *s = v->str;
    size_t n = v->len;
    if (n > max)
        return hl_fail(err, HL_ETOOBIG, "字段 %s 超过 %zu 字节", name, max);
    if (clean && has_control(s, n)) /* UTF-8 was checked by the JSON reader */
        return hl_fail(err, HL_EINVAL, "字段 %s 含控制字符", name);
    *out = s;
    return HL_OK;
}

static hl_rc parse_citizen(const hj_doc *d, const hj_node *v, hl_event *e, hl_err *err)
{
    if (v->type != HJ_OBJECT)
        return hl_fail(err, HL_EINVAL, "字段 citizen 应为对象 {name, phone}");
    for (uint32_t i = 0; i < v->count; i++) {
        const hj_node *x = hj_child(d, v, i);
        const char *key = x->key;
        if (x->type == HJ_NULL)
            continue;
        if (strcmp(key, "name") == 0) {
            if (get_string(x, "citizen.name", SHORT_MAX, 1, &e->citizen_name, err))
                return err->rc;
        } else if (strcmp(key, "phone") == 0) {
            if (get_string(x, "citizen.phone", 64, 1, &e->citizen_phone, err))
                return err->rc;
        } else {
            return hl_fail(err, HL_EINVAL, "citizen 中有未知字段 %.40s", key);
        }
    }
    return HL_OK;
}

static hl_rc parse_kb(const hj_doc *d, const hj_node *v, hl_event *e, hl_err *err)
{
    if (v->type != HJ_ARRAY || v->count > HL_KB_MAX)
        return hl_fail(err, HL_EINVAL, "字段 kb 应为至多 %d 个知识库文章编号的数组", HL_KB_MAX);
    for (uint32_t i = 0; i < v->count; i++) {
        const hj_node *x = hj_child(d, v, i);
        if (x->type == HJ_NUMBER && x->is_int && x->num >= 0) {
            e->kb_num[i] = x->num;
            e->kb_text[i] = NULL;
        } else if (x->type != HJ_STRING) {
            return hl_fail(err, HL_EINVAL, "kb 中的文章编号应为字符串或非负整数");
        } else if (get_string(x, "kb[]", SHORT_MAX, 1, &e->kb_text[i], err)) {
            return err->rc; /* too long, or control characters */
        }
    }
    e->n_kb = v->count;
    return HL_OK;
}

static hl_rc parse_field(const hj_doc *d, const field *f, const hj_node *v, hl_event *e,
                         hl_err *err)
{
    char *base = (char *)e;
    switch (f->type) {
    case F_STR:
    case F_SHORT:
        return get_string(v, f->name, f->type == F_SHORT ? SHORT_MAX : TEXT_MAX,
                          f->type == F_SHORT, (const char **)(base + f->off), err);
    case F_TIME: {
        const char *s;
        if (get_string(v, f->name, 64, 1, &s, err))
            return err->rc;
        if (hl_time_parse(s, (int64_t *)(base + f->off), err)) {
            hl_err_prefix(err, "字段 %s", f->name);
            return err->rc;
        }
        if (f->has_off)
            *(int *)(base + f->has_off) = 1;
        return HL_OK;
    }
    case F_ENUM: {
        const hl_enum *en = f->en ? f->en : result_enum(e->op);
        const char *s;
        if (get_string(v, f->name, SHORT_MAX, 1, &s, err))
            return err->rc;
        int x = hl_enum_parse(en, s);
        if (x == HL_ENUM_NONE)
            return hl_fail(err, HL_EINVAL, "字段 %s 的值“%.40s”无效", f->name, s);
        *(int *)(base + f->off) = x;
        return HL_OK;
    }
    case F_BOOL:
        if (v->type != HJ_TRUE && v->type != HJ_FALSE)
            return hl_fail(err, HL_EINVAL, "字段 %s 应为 true 或 false", f->name);
        *(int *)(base + f->off) = v->type == HJ_TRUE;
        return HL_OK;
    case F_CITIZEN:
        return parse_citizen(d, v, e, err);
    case F_KB:
        return parse_kb(d, v, e, err);
    }
    return HL_EINVAL;
}

static void event_defaults(hl_event *e)
{
    memset(e, 0, offsetof(hl_event, kb_text));
    e->channel = e->nature = e->handling = e->result = HL_ENUM_NONE;
    e->line = LINE_GENERAL;
    e->urgency = URGENCY_NORMAL;
}

hl_rc hl_event_parse(const hj_doc *d, hl_event *e, hl_err *err)
{
    const hj_node *obj = &d->nodes[0], *v;
    const char *op;
    unsigned seen = 0; /* bit per field index */
    event_defaults(e);
    if (obj->type != HJ_OBJECT)
        return hl_fail(err, HL_EINVAL, "每行应为一个 JSON 对象");
    v = hj_get(d, obj, "op");
    if (!v || v->type != HJ_STRING)
        return hl_fail(err, HL_EINVAL, "缺少字段 op");
    op = v->str;
    if ((e->op = (hl_op)hl_enum_parse(&hl_op_enum, op)) == (hl_op)HL_ENUM_NONE)
        return hl_fail(err, HL_EINVAL, "未知的操作 op“%.40s”", op);
    for (uint32_t i = 0; i < obj->count; i++) {
        v = hj_child(d, obj, i);
        if (strcmp(v->key, "op") == 0 || v->type == HJ_NULL)
            continue;
        const field *f = find_field(v->key);
        if (!f || !(f->ops & BIT(e->op)))
            return hl_fail(err, HL_EINVAL, "%s 事件不接受字段 %.40s", op, v->key);
        if (parse_field(d, f, v, e, err))
            return err->rc;
        seen |= 1u << (f - fields);
    }
    for (size_t i = 0; i < N_FIELDS; i++)
        if ((fields[i].required & BIT(e->op)) && !(seen & (1u << i)))
            return hl_fail(err, HL_EINVAL, "%s 事件缺少字段 %s", op, fields[i].name);
    if (e->op == OP_APPEAL && e->handling != HANDLING_DIRECT && !e->order)
        return hl_fail(err, HL_EINVAL, "appeal 事件 handling 为 %s 时须有字段 order",
                       hl_enum_name(&hl_handling_enum, e->handling));
    if (e->op == OP_APPEAL && e->handling == HANDLING_DIRECT && e->order)
        return hl_fail(err, HL_EINVAL, "直接答复的 appeal 事件不应有字段 order");
    if (e->order && strlen(e->order) > HL_ORDER_NUMBER_MAX)
        return hl_fail(err, HL_ETOOBIG, "工单编号超过 %d 字节", HL_ORDER_NUMBER_MAX);
    return HL_OK;
}

hl_rc hl_event_parse_into(hj_doc *doc, const char *line, size_t len, hl_event *e, hl_err *err)
{
    if (hj_parse(doc, line, len, err))
        return err ? err->rc : HL_EINVAL;
    return hl_event_parse(doc, e, err);
}


hl_rc hl_event_parse_line(const char *line, size_t len, hl_event *e, void **out, hl_err *err)
{
    hj_doc *doc = malloc(sizeof *doc);
    *out = doc;
    if (!doc || hj_init(doc, HL_EVENT_MAX_NODES)) {
        free(doc);
        *out = NULL;
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    return hl_event_parse_into(doc, line, len, e, err);
}

void hl_event_doc_free(void *doc)
{
    if (doc)
        hj_free(doc);
    free(doc);
}

/* ,"name": — the comma only when a member came before. */
static hl_rc write_key(hl_buf *out, const char *name, int *first)
{
    hl_rc rc = *first ? HL_OK : hl_buf_addc(out, ',');
    *first = 0;
    if (!rc)
        rc = hl_buf_add_json_str(out, name);
    if (!rc)
        rc = hl_buf_addc(out, ':');
    return rc;
}

static hl_rc write_time(hl_buf *out, int64_t t, int offset_min)
{
    char s[HL_TIME_STRLEN];
    hl_time_format(t, offset_min, s);
    return hl_buf_add_json_str(out, s);
}

static hl_rc write_citizen(const hl_event *e, hl_buf *out)
{
    hl_rc rc = hl_buf_addc(out, '{');
    const char *sep = "";
    if (!rc && e->citizen_name) {
        rc = hl_buf_adds(out, "\"name\":");
        if (!rc)
            rc = hl_buf_add_json_str(out, e->citizen_name);
        sep = ",";
    }
    if (!rc && e->citizen_phone) {
        rc = hl_buf_printf(out, "%s\"phone\":", sep);
        if (!rc)
            rc = hl_buf_add_json_str(out, e->citizen_phone);
    }
    return rc ? rc : hl_buf_addc(out, '}');
}

static hl_rc write_kb(const hl_event *e, hl_buf *out)
{
    hl_rc rc = hl_buf_addc(out, '[');
    for (size_t i = 0; i < e->n_kb && !rc; i++) {
        if (i)
            rc = hl_buf_addc(out, ',');
        if (!rc)
            rc = e->kb_text[i] ? hl_buf_add_json_str(out, e->kb_text[i])
                               : hl_buf_printf(out, "%lld", (long long)e->kb_num[i]);
    }
    return rc ? rc : hl_buf_addc(out, ']');
}

/* Present means: a string set, a time or enum or bool the op carries. */
static int present(const field *f, const hl_event *e)
{
    const char *base = (const char *)e;
    if (!(f->ops & BIT(e->op)))
        return 0;
    switch (f->type) {
    case F_STR:
    case F_SHORT:
        return *(const char *const *)(base + f->off) != NULL;
    case F_TIME:
        return f->has_off ? *(const int *)(base + f->has_off) : 1;
    case F_CITIZEN:
        return e->citizen_name || e->citizen_phone;
    case F_KB:
        return e->n_kb > 0;
    default:
        return 1;
    }
}

static hl_rc write_value(const field *f, const hl_event *e, int offset_min,
                         const char *unit_code, hl_buf *out)
{
    const char *base = (const char *)e;
    switch (f->type) {
    case F_STR:
    case F_SHORT:
        return hl_buf_add_json_str(out, f->off == OFF(unit_ref) && unit_code
                                            ? unit_code
                                            : *(const char *const *)(base + f->off));
    case F_TIME:
        return write_time(out, *(const int64_t *)(base + f->off), offset_min);
    case F_ENUM:
        return hl_buf_add_json_str(out, hl_enum_name(f->en ? f->en : result_enum(e->op),
                                                     *(const int *)(base + f->off)));
    case F_BOOL:
        return hl_buf_adds(out, *(const int *)(base + f->off) ? "true" : "false");
    case F_CITIZEN:
        return write_citizen(e, out);
    case F_KB:
        return write_kb(e, out);
    }
    return HL_EINVAL;
}

hl_rc hl_event_write_rest(const hl_event *e, int offset_min, const char *unit_code, hl_buf *out)
{
    int first = 1;
    hl_rc rc = HL_OK;
    for (size_t i = FIRST_REST; i < N_FIELDS && !rc; i++) {
        if (!present(&fields[i], e))
            continue;
        rc = write_key(out, fields[i].name, &first);
        if (!rc)
            rc = write_value(&fields[i], e, offset_min, unit_code, out);
    }
    return rc;
}

hl_rc hl_event_join(hl_op op, int64_t at, const char *order, const char *rest, int offset_min,
                    hl_buf *out)
{
    hl_rc rc = hl_buf_adds(out, "{\"op\":");
    if (!rc)
        rc = hl_buf_add_json_str(out, hl_enum_name(&hl_op_enum, (int)op));
    if (!rc)
        rc = hl_buf_adds(out, ",\"at\":");
    if (!rc)
        rc = write_time(out, at, offset_min);
    if (!rc && order) {
        rc = hl_buf_adds(out, ",\"order\":");
        if (!rc)
            rc = hl_buf_add_json_str(out, order);
    }
    if (!rc && rest && *rest) {
        rc = hl_buf_addc(out, ',');
        if (!rc)
            rc = hl_buf_adds(out, rest);
    }
    return rc ? rc : hl_buf_addc(out, '}');
}

hl_rc hl_event_write(const hl_event *e, int offset_min, const char *unit_code, hl_buf *out)
{
    hl_buf rest;
    hl_buf_init(&rest, out->max);
    hl_rc rc = hl_event_write_rest(e, offset_min, unit_code, &rest);
    if (!rc)
        rc = hl_event_join(e->op, e->at, e->order, hl_buf_str(&rest), offset_min, out);
    hl_buf_free(&rest);
    return rc;
}
