/* event_codec.c — interchange JSON ⇄ hl_event.
 *
 * One table lists every field: its JSON name, its type, the ops that accept
 * it and the ops that require it.  Parsing walks the object's keys against
 * the table (an unknown or misplaced key is an error: an import must never
 * drop data silently); writing walks the table, so the canonical key order
 * is the table's order. */
#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "event.h"
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
    {"id", F_SHORT, OFF(appeal_id), 0, NULL, BIT(OP_APPEAL), BIT(OP_APPEAL)},
    {"order", F_SHORT, OFF(order), 0, NULL, ALL_OPS, NOT_APPEAL},
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

static const hl_enum *result_enum(hl_op op)
{
    return op == OP_REVIEW ? &hl_review_enum : op == OP_CALLBACK ? &hl_callback_enum : &hl_verify_enum;
}

static const field *find_field(const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static hl_rc get_string(json_t *v, const char *name, size_t max, int clean, const char **out,
                        hl_err *err)
{
    if (!json_is_string(v))
        return hl_fail(err, HL_EINVAL, "字段 %s 应为字符串", name);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max)
        return hl_fail(err, HL_ETOOBIG, "字段 %s 超过 %zu 字节", name, max);
    if (clean && !hl_text_is_clean(s))
        return hl_fail(err, HL_EINVAL, "字段 %s 含控制字符", name);
    *out = s;
    return HL_OK;
}

static hl_rc parse_citizen(json_t *v, hl_event *e, hl_err *err)
{
    const char *key;
    json_t *x;
    if (!json_is_object(v))
        return hl_fail(err, HL_EINVAL, "字段 citizen 应为对象 {name, phone}");
    json_object_foreach(v, key, x) {
        if (json_is_null(x))
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

static hl_rc parse_kb(json_t *v, hl_event *e, hl_err *err)
{
    size_t i;
    json_t *x;
    if (!json_is_array(v) || json_array_size(v) > HL_KB_MAX)
        return hl_fail(err, HL_EINVAL, "字段 kb 应为至多 %d 个知识库文章编号的数组", HL_KB_MAX);
    json_array_foreach(v, i, x) {
        if (json_is_integer(x) && json_integer_value(x) >= 0) {
            e->kb_num[i] = json_integer_value(x);
            e->kb_text[i] = NULL;
        } else if (get_string(x, "kb[]", SHORT_MAX, 1, &e->kb_text[i], err)) {
            return hl_fail(err, HL_EINVAL, "kb 中的文章编号应为字符串或非负整数");
        }
    }
    e->n_kb = json_array_size(v);
    return HL_OK;
}

static hl_rc parse_field(const field *f, json_t *v, hl_event *e, hl_err *err)
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
        if (!json_is_boolean(v))
            return hl_fail(err, HL_EINVAL, "字段 %s 应为 true 或 false", f->name);
        *(int *)(base + f->off) = json_is_true(v);
        return HL_OK;
    case F_CITIZEN:
        return parse_citizen(v, e, err);
    case F_KB:
        return parse_kb(v, e, err);
    }
    return HL_EINVAL;
}

static void event_defaults(hl_event *e)
{
    memset(e, 0, sizeof *e);
    e->channel = e->nature = e->handling = e->result = HL_ENUM_NONE;
    e->line = LINE_GENERAL;
    e->urgency = URGENCY_NORMAL;
}

hl_rc hl_event_parse(const void *doc, hl_event *e, hl_err *err)
{
    json_t *obj = (json_t *)doc, *v;
    const char *key, *op;
    unsigned seen = 0; /* bit per field index */
    event_defaults(e);
    if (!json_is_object(obj))
        return hl_fail(err, HL_EINVAL, "每行应为一个 JSON 对象");
    v = json_object_get(obj, "op");
    if (!v || !json_is_string(v))
        return hl_fail(err, HL_EINVAL, "缺少字段 op");
    op = json_string_value(v);
    if ((e->op = (hl_op)hl_enum_parse(&hl_op_enum, op)) == (hl_op)HL_ENUM_NONE)
        return hl_fail(err, HL_EINVAL, "未知的操作 op“%.40s”", op);
    json_object_foreach(obj, key, v) {
        if (strcmp(key, "op") == 0 || json_is_null(v))
            continue;
        const field *f = find_field(key);
        if (!f || !(f->ops & BIT(e->op)))
            return hl_fail(err, HL_EINVAL, "%s 事件不接受字段 %.40s", op, key);
        if (parse_field(f, v, e, err))
            return err->rc;
        seen |= 1u << (f - fields);
    }
    for (size_t i = 0; i < N_FIELDS; i++)
        if ((fields[i].required & BIT(e->op)) && !(seen & (1u << i)))
            return hl_fail(err, HL_EINVAL, "%s 事件缺少字段 %s", op, fields[i].name);
    if (e->op == OP_APPEAL && e->handling == HANDLING_ORDER && !e->order)
        return hl_fail(err, HL_EINVAL, "appeal 事件 handling 为 order 时须有字段 order");
    if (e->op == OP_APPEAL && e->handling == HANDLING_DIRECT && e->order)
        return hl_fail(err, HL_EINVAL, "直接答复的 appeal 事件不应有字段 order");
    if (e->order && strlen(e->order) > HL_ORDER_NUMBER_MAX)
        return hl_fail(err, HL_ETOOBIG, "工单编号超过 %d 字节", HL_ORDER_NUMBER_MAX);
    return HL_OK;
}

hl_rc hl_event_parse_line(const char *line, size_t len, hl_event *e, void **doc, hl_err *err)
{
    json_error_t jerr;
    *doc = NULL;
    if (!hl_utf8_valid(line, len))
        return hl_fail(err, HL_EINVAL, "不是有效的 UTF-8 文本");
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return hl_fail(err, HL_EINVAL, "JSON 格式错误（第 %d 列）：%s", jerr.column, jerr.text);
    *doc = obj;
    return hl_event_parse(obj, e, err);
}

void hl_event_doc_free(void *doc)
{
    json_decref((json_t *)doc);
}

static hl_rc write_key(hl_buf *out, const char *name)
{
    hl_rc rc = hl_buf_addc(out, ',');
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

hl_rc hl_event_write(const hl_event *e, int offset_min, const char *unit_code, hl_buf *out)
{
    const char *base = (const char *)e;
    hl_rc rc = hl_buf_adds(out, "{\"op\":");
    if (!rc)
        rc = hl_buf_add_json_str(out, hl_enum_name(&hl_op_enum, (int)e->op));
    for (size_t i = 0; i < N_FIELDS && !rc; i++) {
        const field *f = &fields[i];
        if (!present(f, e))
            continue;
        if ((rc = write_key(out, f->name)))
            break;
        switch (f->type) {
        case F_STR:
        case F_SHORT:
            rc = hl_buf_add_json_str(out, f->off == OFF(unit_ref) && unit_code
                                              ? unit_code
                                              : *(const char *const *)(base + f->off));
            break;
        case F_TIME:
            rc = write_time(out, *(const int64_t *)(base + f->off), offset_min);
            break;
        case F_ENUM:
            rc = hl_buf_add_json_str(out, hl_enum_name(f->en ? f->en : result_enum(e->op),
                                                       *(const int *)(base + f->off)));
            break;
        case F_BOOL:
            rc = hl_buf_adds(out, *(const int *)(base + f->off) ? "true" : "false");
            break;
        case F_CITIZEN:
            rc = write_citizen(e, out);
            break;
        case F_KB:
            rc = write_kb(e, out);
            break;
        }
    }
    return rc ? rc : hl_buf_addc(out, '}');
}
