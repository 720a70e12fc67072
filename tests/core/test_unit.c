/* test_unit.c — the unit registry: parsing units.tsv and merging it, with
 * every kind of bad row refused and the registry then left as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/buf.h"
#include "../../src/core/unit.h"
#include "../test.h"

#define HEADER "code\tname\tkind\tparent_code\n"
#define BASE                                                                               \
    HEADER "C1\t城关区\tcounty\t\n"                                                         \
           "T1\t城关镇\tcounty\tC1\n"                                                       \
           "T2\t河西镇\tcounty\tC1\n"                                                       \
           "A1\t市住建局\tagency\t\n"                                                       \
           "E1\t市水务集团\tenterprise\t\n"

static hl_units U;
static hl_err E;

static void setup(void)
{
    hl_units_init(&U);
    memset(&E, 0, sizeof E);
}

static void teardown(void)
{
    hl_units_free(&U);
}

/* Parse and merge a units file into u. */
static hl_rc merge_tsv(hl_units *u, const char *tsv)
{
    char *text = strdup(tsv);
    hl_unit_row *rows = NULL;
    size_t n = 0;
    ck_assert_ptr_nonnull(text);
    memset(&E, 0, sizeof E);
    hl_rc rc = hl_units_parse_tsv(text, &rows, &n, &E);
    if (!rc)
        rc = hl_units_merge(u, rows, n, &E);
    free(rows);
    free(text);
    return rc;
}

static void merge_ok(const char *tsv)
{
    hl_rc rc = merge_tsv(&U, tsv);
    ck_assert_msg(rc == HL_OK, "refused (%s): %s", hl_rc_name(rc), E.msg);
}

/* Everything observable about a registry, as text (caller frees). */
static char *snapshot(const hl_units *u)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 20);
    ck_assert_int_eq(hl_buf_printf(&b, "n=%zu\n", u->n), HL_OK);
    for (int64_t id = 1; id <= (int64_t)u->n; id++) {
        const hl_unit *x = hl_units_get(u, id);
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(hl_buf_printf(&b, "%lld %s %s %s %lld by_code=%lld by_name=%lld\n",
                                       (long long)x->id, x->code, x->name,
                                       hl_unit_kind_name(x->kind), (long long)x->parent,
                                       (long long)hl_units_find(u, x->code),
                                       (long long)hl_units_find(u, x->name)),
                         HL_OK);
    }
    char *s = strdup(hl_buf_str(&b));
    hl_buf_free(&b);
    return s;
}

/* "第 N 行" means: the error records line N ("行" alone: some line);
 * anything else must appear in the message. */
static int names(const char *what)
{
    if (strncmp(what, "第 ", strlen("第 ")) == 0)
        return E.line == atol(what + strlen("第 "));
    if (strcmp(what, "行") == 0)
        return E.line > 0;
    return th_has(E.msg, what);
}

/* A units file refused with `want`, the message naming `line`, the
 * registry (holding BASE) unchanged. */
static void refused(const char *tsv, hl_rc want, const char *line)
{
    char *before = snapshot(&U);
    hl_rc rc = merge_tsv(&U, tsv);
    ck_assert_msg(rc == want, "got %s, want %s (%s) for:\n%s", hl_rc_name(rc), hl_rc_name(want),
                  E.msg, tsv);
    ck_assert_int_eq(E.rc, want);
    if (line)
        ck_assert_msg(names(line), "error should name %s: %s (line %ld)", line, E.msg, E.line);
    char *after = snapshot(&U);
    ck_assert_msg(strcmp(before, after) == 0, "registry changed:\n%s\n→\n%s", before, after);
    free(before);
    free(after);
}

/* ------------------------------------------------------------------------ */
/* parsing */

START_TEST(test_parse_good)
{
    char *text = strdup(BASE);
    hl_unit_row *rows;
    size_t n;
    ck_assert_int_eq(hl_units_parse_tsv(text, &rows, &n, &E), HL_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(rows[0].code, "C1");
    ck_assert_str_eq(rows[0].name, "城关区");
    ck_assert_str_eq(rows[0].kind, "county");
    ck_assert_str_eq(rows[0].parent_code, "");
    ck_assert_int_eq(rows[0].line, 2);
    ck_assert_str_eq(rows[1].parent_code, "C1");
    ck_assert_int_eq(rows[4].line, 6);
    ck_assert_str_eq(rows[4].kind, "enterprise");
    free(rows);
    free(text);
}
END_TEST

START_TEST(test_parse_forms)
{
    /* CRLF, blank lines, no trailing newline, the parent column left out */
    char *text = strdup("code\tname\tkind\tparent_code\r\n"
                        "C1\t城关区\tcounty\r\n"
                        "\r\n"
                        "\n"
                        "T1\t城关镇\tcounty\tC1");
    hl_unit_row *rows;
    size_t n;
    ck_assert_msg(hl_units_parse_tsv(text, &rows, &n, &E) == HL_OK, "%s", E.msg);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rows[0].kind, "county");
    ck_assert_str_eq(rows[0].parent_code, "");
    ck_assert_str_eq(rows[1].parent_code, "C1");
    ck_assert_int_eq(rows[1].line, 5);
    free(rows);
    free(text);
    /* a header alone is an empty registry file */
    text = strdup(HEADER);
    ck_assert_int_eq(hl_units_parse_tsv(text, &rows, &n, &E), HL_OK);
    ck_assert_uint_eq(n, 0);
    free(rows);
    free(text);
}
END_TEST

static void parse_refused(const char *tsv, const char *line)
{
    char *text = strdup(tsv);
    hl_unit_row dummy, *rows = &dummy;
    size_t n = 99;
    memset(&E, 0, sizeof E);
    ck_assert_msg(hl_units_parse_tsv(text, &rows, &n, &E) == HL_EINVAL, "accepted:\n%s", tsv);
    ck_assert_ptr_null(rows);
    ck_assert_uint_eq(n, 0);
    ck_assert_msg(E.msg[0], "no message");
    if (line)
        ck_assert_msg(names(line), "error should name %s: %s (line %ld)", line, E.msg, E.line);
    free(text);
}

START_TEST(test_parse_bad_header)
{
    parse_refused("", NULL);
    parse_refused("code,name,kind,parent_code\nC1,城关区,county,\n", "第 1 行");
    parse_refused("code\tname\tkind\nC1\t城关区\tcounty\n", "第 1 行");
    parse_refused("name\tcode\tkind\tparent_code\n", "第 1 行");
    parse_refused("C1\t城关区\tcounty\t\n", "第 1 行");
    parse_refused("\n" BASE, "第 1 行");
}
END_TEST

START_TEST(test_parse_bad_columns)
{
    parse_refused(HEADER "C1\t城关区\tcounty\t\nT1\t城关镇\n", "第 3 行");
    parse_refused(HEADER "C1\t城关区\tcounty\t\tx\n", "第 2 行");
    parse_refused(HEADER "C1\n", "第 2 行");
}
END_TEST

START_TEST(test_parse_invalid_utf8)
{
    parse_refused(HEADER "C1\t城\xe5\x85\tcounty\t\n", NULL);
    parse_refused(HEADER "C1\t\xc0\xaf\tcounty\t\n", NULL);
    parse_refused(HEADER "C1\t\xed\xa0\x80\tcounty\t\n", NULL);
}
END_TEST

START_TEST(test_parse_row_limit)
{
    /* the limit is 100 000 rows: 70 000 must be accepted */
    size_t rows_wanted = 70000;
    hl_buf b;
    hl_buf_init(&b, 16u << 20);
    ck_assert_int_eq(hl_buf_adds(&b, HEADER), HL_OK);
    for (size_t i = 0; i < rows_wanted; i++)
        TH_REQUIRE(hl_buf_printf(&b, "U%zu\t单位%zu\tagency\t\n", i, i) == HL_OK, "row %zu", i);
    hl_unit_row *rows;
    size_t n;
    hl_rc rc = hl_units_parse_tsv(b.data, &rows, &n, &E);
    ck_assert_msg(rc == HL_OK, "%zu rows refused (%s): %s", rows_wanted, hl_rc_name(rc), E.msg);
    ck_assert_uint_eq(n, rows_wanted);
    free(rows);
    hl_buf_free(&b);
}
END_TEST

START_TEST(test_parse_row_limit_enforced)
{
    hl_buf b;
    hl_buf_init(&b, 16u << 20);
    ck_assert_int_eq(hl_buf_adds(&b, HEADER), HL_OK);
    for (size_t i = 0; i < 100001; i++)
        TH_REQUIRE(hl_buf_adds(&b, "U\tx\tagency\t\n") == HL_OK, "row %zu", i);
    hl_unit_row *rows;
    size_t n;
    ck_assert_int_eq(hl_units_parse_tsv(b.data, &rows, &n, &E), HL_ETOOBIG);
    ck_assert_ptr_null(rows);
    hl_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* merging */

START_TEST(test_merge_good)
{
    merge_ok(BASE);
    ck_assert_uint_eq(U.n, 5);
    /* ids dense from 1 in file order */
    ck_assert_int_eq(hl_units_find(&U, "C1"), 1);
    ck_assert_int_eq(hl_units_find(&U, "T1"), 2);
    ck_assert_int_eq(hl_units_find(&U, "E1"), 5);
    /* by code or by name */
    ck_assert_int_eq(hl_units_find(&U, "市住建局"), 4);
    ck_assert_int_eq(hl_units_find(&U, "nobody"), 0);
    const hl_unit *t2 = hl_units_get(&U, 3);
    ck_assert_str_eq(t2->code, "T2");
    ck_assert_str_eq(t2->name, "河西镇");
    ck_assert_int_eq(t2->kind, UNIT_COUNTY);
    ck_assert_int_eq(t2->parent, 1);
    ck_assert_int_eq(hl_units_get(&U, 4)->kind, UNIT_AGENCY);
    ck_assert_int_eq(hl_units_get(&U, 5)->kind, UNIT_ENTERPRISE);
    ck_assert_int_eq(hl_units_get(&U, 5)->parent, 0);
    ck_assert_ptr_null(hl_units_get(&U, 0));
    ck_assert_ptr_null(hl_units_get(&U, 6));
}
END_TEST

START_TEST(test_parent_later_in_file)
{
    merge_ok(HEADER "T1\t城关镇\tcounty\tC1\nC1\t城关区\tcounty\t\n");
    ck_assert_int_eq(hl_units_get(&U, 1)->parent, 2);
    ck_assert_int_eq(hl_units_root(&U, 1), 2);
}
END_TEST

START_TEST(test_root_and_within)
{
    merge_ok(BASE);
    merge_ok(HEADER "V1\t东风村\tcounty\tT1\n");
    const int64_t c1 = 1, t1 = 2, t2 = 3, a1 = 4, v1 = 6;
    ck_assert_int_eq(hl_units_find(&U, "V1"), v1);
    ck_assert_int_eq(hl_units_root(&U, v1), c1);
    ck_assert_int_eq(hl_units_root(&U, t1), c1);
    ck_assert_int_eq(hl_units_root(&U, c1), c1);
    ck_assert_int_eq(hl_units_root(&U, a1), a1);
    ck_assert_int_eq(hl_units_root(&U, 0), 0);
    ck_assert_int_eq(hl_units_root(&U, 99), 0);
    ck_assert_int_eq(hl_units_within(&U, t1, c1), 1);
    ck_assert_int_eq(hl_units_within(&U, v1, c1), 1);
    ck_assert_int_eq(hl_units_within(&U, v1, t1), 1);
    ck_assert_int_eq(hl_units_within(&U, t1, t1), 1);
    ck_assert_int_eq(hl_units_within(&U, c1, t1), 0);
    ck_assert_int_eq(hl_units_within(&U, t2, t1), 0);
    ck_assert_int_eq(hl_units_within(&U, v1, t2), 0);
    ck_assert_int_eq(hl_units_within(&U, t1, a1), 0);
    ck_assert_int_eq(hl_units_within(&U, 99, c1), 0);
    ck_assert_int_eq(hl_units_within(&U, c1, 0), 0);
}
END_TEST

START_TEST(test_bad_code)
{
    merge_ok(BASE);
    refused(HEADER "N1\t新单位\tagency\t\nC 2\t江南区\tcounty\t\n", HL_EINVAL, "第 3 行");
    refused(HEADER "\t江南区\tcounty\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "城南\t城南区\tcounty\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "C2!\t江南区\tcounty\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\t江南区\tcounty\t\n", HL_EINVAL, "第 2 行");
    /* 32 characters of [A-Za-z0-9_-] are fine */
    merge_ok(HEADER "aZ_-456789012345678901234567890X\t江南区\tcounty\t\n");
}
END_TEST

START_TEST(test_bad_kind)
{
    merge_ok(BASE);
    refused(HEADER "N1\t新单位\ttown\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "N1\t新单位\tCounty\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "N1\t新单位\t\t\n", HL_EINVAL, "第 2 行");
    /* an existing unit's kind cannot be broken either */
    refused(HEADER "A1\t市住建局\tbureau\t\n", HL_EINVAL, "第 2 行");
}
END_TEST

START_TEST(test_bad_name)
{
    merge_ok(BASE);
    refused(HEADER "N1\t\tagency\t\n", HL_EINVAL, "第 2 行");
    refused(HEADER "N1\t新\x01单位\tagency\t\n", HL_EINVAL, "第 2 行");
    char tsv[1024], name[256];
    memset(name, 'x', 201);
    name[201] = '\0';
    snprintf(tsv, sizeof tsv, HEADER "N1\t%s\tagency\t\n", name);
    refused(tsv, HL_EINVAL, "第 2 行");
}
END_TEST

START_TEST(test_duplicate_code)
{
    merge_ok(BASE);
    refused(HEADER "N1\t新单位一\tagency\t\nN2\t新单位二\tagency\t\nN1\t新单位三\tagency\t\n",
            HL_EINVAL, "第 4 行");
}
END_TEST

START_TEST(test_duplicate_name)
{
    merge_ok(BASE);
    /* within the file */
    refused(HEADER "N1\t新单位\tagency\t\nN2\t新单位\tagency\t\n", HL_EINVAL, "新单位");
    /* against a unit already registered */
    refused(HEADER "N1\t市住建局\tagency\t\n", HL_EINVAL, "市住建局");
    /* by renaming an existing unit */
    refused(HEADER "E1\t城关区\tenterprise\t\n", HL_EINVAL, "城关区");
}
END_TEST

START_TEST(test_unknown_parent)
{
    merge_ok(BASE);
    refused(HEADER "N1\t新单位\tagency\t\nT3\t江南镇\tcounty\tC9\n", HL_EUNIT_UNKNOWN, "C9");
    ck_assert_msg(names("第 3 行"), "%s (line %ld)", E.msg, E.line);
    /* a parent is named by its code, not its name */
    refused(HEADER "T3\t江南镇\tcounty\t城关区\n", HL_EUNIT_UNKNOWN, "第 2 行");
}
END_TEST

START_TEST(test_cycle)
{
    merge_ok(BASE);
    refused(HEADER "X1\t甲\tcounty\tX2\nX2\t乙\tcounty\tX1\n", HL_EUNIT_CYCLE, "行");
    ck_assert_msg(E.line == 2 || E.line == 3, "%s (line %ld)", E.msg, E.line);
    refused(HEADER "X1\t甲\tcounty\tX1\n", HL_EUNIT_CYCLE, "第 2 行");
    refused(HEADER "X1\t甲\tcounty\tX2\nX2\t乙\tcounty\tX3\nX3\t丙\tcounty\tX1\n",
            HL_EUNIT_CYCLE, NULL);
    /* a cycle made by re-parenting registered units */
    refused(HEADER "C1\t城关区\tcounty\tT1\n", HL_EUNIT_CYCLE, "C1");
}
END_TEST

START_TEST(test_update_existing)
{
    merge_ok(BASE);
    /* rename T1, move T2 under A1, change E1's kind, add N1; others untouched */
    merge_ok(HEADER "T1\t城关街道\tcounty\tC1\n"
                    "T2\t河西镇\tagency\tA1\n"
                    "E1\t市水务集团\tagency\t\n"
                    "N1\t市数据局\tagency\t\n");
    ck_assert_uint_eq(U.n, 6);
    ck_assert_int_eq(hl_units_find(&U, "城关街道"), 2);
    ck_assert_int_eq(hl_units_find(&U, "城关镇"), 0);
    ck_assert_int_eq(hl_units_find(&U, "T1"), 2);
    ck_assert_int_eq(hl_units_get(&U, 3)->parent, 4);
    ck_assert_int_eq(hl_units_get(&U, 3)->kind, UNIT_AGENCY);
    ck_assert_int_eq(hl_units_get(&U, 5)->kind, UNIT_AGENCY);
    ck_assert_int_eq(hl_units_find(&U, "N1"), 6);
    ck_assert_str_eq(hl_units_get(&U, 1)->name, "城关区");
    /* a town can be made first-level */
    merge_ok(HEADER "T2\t河西镇\tcounty\t\n");
    ck_assert_int_eq(hl_units_get(&U, 3)->parent, 0);
    /* the same file again changes nothing */
    merge_ok(BASE);
    char *after = snapshot(&U);
    merge_ok(BASE);
    char *again = snapshot(&U);
    ck_assert_str_eq(after, again);
    ck_assert_uint_eq(U.n, 6);
    free(after);
    free(again);
}
END_TEST

START_TEST(test_name_swap)
{
    merge_ok(BASE);
    merge_ok(HEADER "A1\t市水务集团\tagency\t\nE1\t市住建局\tenterprise\t\n");
    ck_assert_int_eq(hl_units_find(&U, "市水务集团"), 4);
    ck_assert_int_eq(hl_units_find(&U, "市住建局"), 5);
}
END_TEST

START_TEST(test_load_in_order)
{
    ck_assert_int_eq(hl_units_load(&U, 1, "C1", "城关区", UNIT_COUNTY, 0), HL_OK);
    ck_assert_int_eq(hl_units_load(&U, 2, "T1", "城关镇", UNIT_COUNTY, 1), HL_OK);
    ck_assert_int_eq(hl_units_load(&U, 4, "A1", "市住建局", UNIT_AGENCY, 0), HL_EINVAL);
    ck_assert_int_eq(hl_units_load(&U, 2, "A1", "市住建局", UNIT_AGENCY, 0), HL_EINVAL);
    ck_assert_uint_eq(U.n, 2);
    ck_assert_int_eq(hl_units_find(&U, "城关镇"), 2);
    ck_assert_int_eq(hl_units_root(&U, 2), 1);
    /* a merge after a load continues the ids */
    merge_ok(HEADER "A1\t市住建局\tagency\t\n");
    ck_assert_int_eq(hl_units_find(&U, "A1"), 3);
}
END_TEST

START_TEST(test_kind_names)
{
    ck_assert_str_eq(hl_unit_kind_name(UNIT_COUNTY), "county");
    ck_assert_str_eq(hl_unit_kind_name(UNIT_AGENCY), "agency");
    ck_assert_str_eq(hl_unit_kind_name(UNIT_ENTERPRISE), "enterprise");
    ck_assert_int_eq(hl_unit_kind_parse("enterprise"), UNIT_ENTERPRISE);
    ck_assert_int_eq(hl_unit_kind_parse("town"), -1);
}
END_TEST

Suite *suite_unit(void)
{
    Suite *s = suite_create("unit");
    TCase *tc = tcase_create("tsv");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_parse_good);
    tcase_add_test(tc, test_parse_forms);
    tcase_add_test(tc, test_parse_bad_header);
    tcase_add_test(tc, test_parse_bad_columns);
    tcase_add_test(tc, test_parse_invalid_utf8);
    tcase_add_test(tc, test_parse_row_limit);
    tcase_add_test(tc, test_parse_row_limit_enforced);
    suite_add_tcase(s, tc);
    tc = tcase_create("merge");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_merge_good);
    tcase_add_test(tc, test_parent_later_in_file);
    tcase_add_test(tc, test_root_and_within);
    tcase_add_test(tc, test_bad_code);
    tcase_add_test(tc, test_bad_kind);
    tcase_add_test(tc, test_bad_name);
    tcase_add_test(tc, test_duplicate_code);
    tcase_add_test(tc, test_duplicate_name);
    tcase_add_test(tc, test_unknown_parent);
    tcase_add_test(tc, test_cycle);
    tcase_add_test(tc, test_update_existing);
    tcase_add_test(tc, test_name_swap);
    tcase_add_test(tc, test_load_in_order);
    tcase_add_test(tc, test_kind_names);
    suite_add_tcase(s, tc);
    return s;
}
