/*
 * policy.c - the policy language: lexer and recursive-descent parser.
 *
 * Bounded: a file is at most 1 MiB, a condition nests at most 32 deep, a
 * value list holds at most 64 values, a policy at most 10,000 rules.
 * Every error names what was expected at FILE:LINE:COL.
 */
#include "policy/policy_int.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 32
#define MAX_VALUES 64
#define MAX_RULES 10000
#define MAX_TEXT ((size_t)1 << 20)

enum tok { T_END, T_WORD, T_STRING, T_NUMBER, T_PUNCT };

struct parser {
    struct nv_policy *p;
    const char *text, *name;
    size_t len, pos;
    struct nv_err *err;
    const char *pack; /* the name of the file's pack, once given */
    enum tok tok;     /* the current token */
    size_t start, n;  /* where it is (for strings: inside the quotes) */
    int depth;
};

struct field_def {
    const char *name;
    unsigned ctx;
    const char *const *names; /* enum values, or NULL */
    int nnames;
};

static const char *const group_kinds[] = {"vendor", "country", "designation"};

static const struct field_def fields[F_COUNT] = {
    {"layer", CTX_ASSET, nv_layer_names, NV_LAYER_COUNT},
    {"kind", CTX_ASSET, nv_asset_kind_names, NV_KIND_COUNT},
    {"vendor", CTX_ASSET | CTX_GROUP, NULL, 0},
    {"country", CTX_ASSET | CTX_GROUP, NULL, 0},
    {"designation", CTX_ASSET | CTX_GROUP, nv_designation_names,
     NV_DESIG_COUNT},
    {"region", CTX_ASSET, NULL, 0},
    {"tag", CTX_ASSET, NULL, 0},
    {"site", CTX_ASSET, NULL, 0},
    {"classification", CTX_FLOW, nv_class_names, NV_CLASS_COUNT},
    {"sector", CTX_FLOW, NULL, 0},
    {"partner", CTX_FLOW, NULL, 0},
    {"group", CTX_GROUP, group_kinds, 3},
    {"encrypted", CTX_FLOW, NULL, 0},
    {"unresolved", CTX_ASSET, NULL, 0},
};

const char *const *nv_policy_field_names(enum field f, int *n)
{
    *n = fields[f].nnames;
    return fields[f].names;
}

static enum nv_rc fail(struct parser *ps, size_t off, const char *fmt, ...)
    NV_PRINTF(3, 4);

static enum nv_rc fail(struct parser *ps, size_t off, const char *fmt, ...)
{
    unsigned long line, col;
    va_list ap;

    nv_text_pos(ps->text, ps->len, off, &line, &col);
    nv_err_at(ps->err, NV_EPARSE, ps->name, line, col, "%s", "");
    va_start(ap, fmt);
    vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
    va_end(ap);
    return NV_EPARSE;
}

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == ':' || (unsigned char)c >= 0x80;
}

/* Move to the next token. */
static enum nv_rc next(struct parser *ps)
{
    const char *t = ps->text;

    for (;;) {
        while (ps->pos < ps->len && strchr(" \t\r\n", t[ps->pos]))
            ps->pos++;
        if (ps->pos < ps->len && t[ps->pos] == '#')
            while (ps->pos < ps->len && t[ps->pos] != '\n')
                ps->pos++;
        else
            break;
    }
    ps->start = ps->pos;
    ps->n = 0;
    if (ps->pos >= ps->len) {
        ps->tok = T_END;
        return NV_OK;
    }
    if (t[ps->pos] == '"') {
        size_t end = ps->pos + 1;
        while (end < ps->len && t[end] != '"' && t[end] != '\n')
            end++;
        if (end >= ps->len || t[end] != '"')
            return fail(ps, ps->pos, "string is not closed on its line");
        ps->tok = T_STRING;
        ps->start = ps->pos + 1;
        ps->n = end - ps->pos - 1;
        ps->pos = end + 1;
        return NV_OK;
    }
    if (word_char(t[ps->pos])) {
        int digits = 1;
        while (ps->pos < ps->len && word_char(t[ps->pos])) {
            digits &=
                (t[ps->pos] >= '0' && t[ps->pos] <= '9') || t[ps->pos] == '.';
            ps->pos++;
        }
        ps->tok = digits ? T_NUMBER : T_WORD;
        ps->n = ps->pos - ps->start;
        return NV_OK;
    }
    ps->tok = T_PUNCT;
    ps->n = (ps->pos + 1 < ps->len && t[ps->pos + 1] == '=' &&
             strchr("<>!", t[ps->pos]))
                ? 2
                : 1;
    ps->pos += ps->n;
    return NV_OK;
}

static int is(const struct parser *ps, const char *s)
{
    return (ps->tok == T_WORD || ps->tok == T_PUNCT) &&
           nv_str_eq(ps->text + ps->start, ps->n, s);
}

/* The current token as text, for messages. */
static const char *shown(const struct parser *ps, char *buf, size_t size)
{
    if (ps->tok == T_END)
        return "the end of the file";
    snprintf(buf, size, "'%.*s'", (int)(ps->n > 40 ? 40 : ps->n),
             ps->text + ps->start);
    return buf;
}

/* Require the word or punctuation s, then move on. */
static enum nv_rc expect(struct parser *ps, const char *s)
{
    char got[64];

    if (!is(ps, s))
        return fail(ps, ps->start, "expected '%s', found %s", s,
                    shown(ps, got, sizeof got));
    return next(ps);
}

/* The current token (of kind tok) copied into the arena, then move on. */
static enum nv_rc take(struct parser *ps, enum tok tok, const char *what,
                       const char **out)
{
    char got[64];

    if (ps->tok != tok)
        return fail(ps, ps->start, "expected %s, found %s", what,
                    shown(ps, got, sizeof got));
    *out = nv_arena_strndup(&ps->p->arena, ps->text + ps->start, ps->n);
    if (!*out)
        return nv_err_set(ps->err, NV_ENOMEM, "out of memory");
    return next(ps);
}

/* The index of the word s (len bytes) among names[0..n), in any case. */
static int index_any_case(const char *const *names, int n, const char *s,
                          size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], s, len) == 0)
            return i;
    return -1;
}

/* One of names[0..n) as the current word, in any case; its index in
 * *out. */
static enum nv_rc take_enum(struct parser *ps, const char *what,
                            const char *const *names, int n, int *out)
{
    char got[64], list[160] = "";
    size_t used = 0;

    *out = ps->tok == T_WORD
               ? index_any_case(names, n, ps->text + ps->start, ps->n)
               : -1;
    if (*out >= 0)
        return next(ps);
    for (int i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 i ? ", " : "", names[i]);
    return fail(ps, ps->start, "expected %s (%s), found %s", what, list,
                shown(ps, got, sizeof got));
}

static enum nv_rc cond(struct parser *ps, unsigned ctx, struct node **out);

static struct node *new_node(struct parser *ps, enum node_kind kind)
{
    struct node *n = nv_arena_calloc(&ps->p->arena, 1, sizeof *n);

    if (n)
        n->kind = kind;
    else
        nv_err_set(ps->err, NV_ENOMEM, "out of memory");
    return n;
}

static enum nv_rc comparison(struct parser *ps, enum op *op)
{
    static const char *const ops[] = {"=", "!=", ">=", "<=", ">", "<", "in"};
    char got[64];

    for (int i = 0; i < 7; i++)
        if (is(ps, ops[i])) {
            *op = (enum op)i;
            return next(ps);
        }
    return fail(ps, ps->start,
                "expected a comparison (=, !=, >=, <=, >, <, "
                "in), found %s",
                shown(ps, got, sizeof got));
}

/* One value of field f into n's lists. */
static enum nv_rc value(struct parser *ps, enum field f, struct node *n)
{
    const struct field_def *d = &fields[f];
    char what[64];
    enum nv_rc rc;

    if (n->nvalues == MAX_VALUES)
        return fail(ps, ps->start, "more than %d values", MAX_VALUES);
    nv_text_pos(ps->text, ps->len, ps->start, &n->pos[n->nvalues].line,
                &n->pos[n->nvalues].col);
    if (d->names) {
        snprintf(what, sizeof what, "a %s", d->name);
        rc = take_enum(ps, what, d->names, d->nnames, &n->ivalues[n->nvalues]);
        if (!rc)
            n->values[n->nvalues] = d->names[n->ivalues[n->nvalues]];
        n->nvalues++;
        return rc;
    }
    rc = take(ps, ps->tok == T_STRING ? T_STRING : T_WORD, "a value",
              &n->values[n->nvalues]);
    n->nvalues++;
    return rc;
}

static enum nv_rc values(struct parser *ps, enum field f, struct node *n)
{
    enum nv_rc rc;

    n->values = nv_arena_calloc(&ps->p->arena, MAX_VALUES, sizeof *n->values);
    n->ivalues = nv_arena_calloc(&ps->p->arena, MAX_VALUES, sizeof *n->ivalues);
    n->pos = nv_arena_calloc(&ps->p->arena, MAX_VALUES, sizeof *n->pos);
    if (!n->values || !n->ivalues || !n->pos)
        return nv_err_set(ps->err, NV_ENOMEM, "out of memory");
    if (n->op != OP_IN)
        return value(ps, f, n);
    rc = expect(ps, "[");
    while (!rc && !is(ps, "]")) {
        rc = value(ps, f, n);
        if (!rc && !is(ps, "]"))
            rc = expect(ps, ",");
    }
    return rc ? rc : next(ps);
}

/* near(COND, N): an asset within N links of an asset where COND holds. */
static enum nv_rc near_test(struct parser *ps, struct node *n)
{
    const char *num;
    int64_t links = 0;
    size_t at;
    enum nv_rc rc = expect(ps, "(");

    if (!rc)
        rc = cond(ps, CTX_ASSET, &n->a);
    if (!rc)
        rc = expect(ps, ",");
    at = ps->start;
    if (!rc)
        rc = take(ps, T_NUMBER, "a number of links", &num);
    if (!rc && nv_parse_i64(num, strlen(num), 0, 64, &links))
        rc = fail(ps, at, "a number of links from 0 to 64");
    n->number = (uint32_t)links;
    return rc ? rc : expect(ps, ")");
}

/* within(COND, N km): an asset whose site lies within N km (or m) of a
 * site where COND holds. */
static enum nv_rc within_test(struct parser *ps, struct node *n)
{
    static const char *const units[] = {"km", "m"};
    const char *num;
    int unit = 0;
    size_t at;
    enum nv_rc rc = expect(ps, "(");

    rc = rc ? rc : cond(ps, CTX_ASSET, &n->a);
    rc = rc ? rc : expect(ps, ",");
    at = ps->start;
    rc = rc ? rc : take(ps, T_NUMBER, "a distance", &num);
    if (!rc && (nv_parse_double(num, strlen(num), &n->metres) ||
                n->metres < 0 || n->metres > 20000))
        rc = fail(ps, at, "a distance from 0 to 20000 km");
    rc = rc ? rc : take_enum(ps, "a unit", units, 2, &unit);
    n->metres *= unit == 0 ? 1000 : 1;
    return rc ? rc : expect(ps, ")");
}

/* exposure(GROUP COND) OP LEVEL: the flow's highest level over the
 * groups where the condition holds. */
static enum nv_rc exposure_test(struct parser *ps, struct node *n)
{
    int level = 0;
    enum nv_rc rc = expect(ps, "(");

    if (!rc)
        rc = cond(ps, CTX_GROUP, &n->a);
    if (!rc)
        rc = expect(ps, ")");
    if (!rc)
        rc = comparison(ps, &n->op);
    if (!rc && n->op == OP_IN)
        rc = fail(ps, ps->start, "compare an exposure with a level");
    if (!rc)
        rc = take_enum(ps, "a level", nv_level_names, NV_LEVEL_COUNT, &level);
    n->number = (uint32_t)level;
    return rc;
}

/* margin(vendor|country) OP N: how many groups of the kind it takes to
 * cut the flow (margin.h; N from 0 to 4, 4 meaning more than 3). */
static enum nv_rc margin_test(struct parser *ps, struct node *n)
{
    static const char *const kinds[] = {"vendor", "country"};
    const char *num;
    int64_t bound = 0;
    int kind = 0;
    size_t at;
    enum nv_rc rc = expect(ps, "(");

    rc = rc ? rc : take_enum(ps, "a kind of group", kinds, 2, &kind);
    n->field = kind ? F_COUNTRY : F_VENDOR;
    rc = rc ? rc : expect(ps, ")");
    at = ps->start;
    rc = rc ? rc : comparison(ps, &n->op);
    if (!rc && n->op == OP_IN)
        rc = fail(ps, at, "compare a margin with a number");
    at = ps->start;
    rc = rc ? rc : take(ps, T_NUMBER, "a number of groups", &num);
    if (!rc && nv_parse_i64(num, strlen(num), 0, NV_MARGIN_MAX + 1, &bound))
        rc = fail(ps, at, "a margin is a number from 0 to %d",
                  NV_MARGIN_MAX + 1);
    n->number = (uint32_t)bound;
    return rc;
}

static enum nv_rc field_test(struct parser *ps, enum field f, struct node *n)
{
    size_t at = ps->start;
    enum nv_rc rc = comparison(ps, &n->op);

    n->field = f;
    if (!rc && n->op >= OP_GE && n->op <= OP_LT && f != F_DESIGNATION &&
        f != F_CLASSIFICATION)
        rc = fail(ps, at,
                  "only designation and classification are "
                  "ordered: use = or in");
    return rc ? rc : values(ps, f, n);
}

static enum nv_rc predicate(struct parser *ps, unsigned ctx, struct node **out)
{
    size_t at = ps->start;
    char got[64];
    enum field f = F_COUNT;
    struct node *n;

    for (int i = 0; i < F_COUNT && ps->tok == T_WORD; i++)
        if (is(ps, fields[i].name))
            f = (enum field)i;
    if (is(ps, "near") && ctx == CTX_ASSET)
        n = new_node(ps, N_NEAR);
    else if (is(ps, "within") && ctx == CTX_ASSET)
        n = new_node(ps, N_WITHIN);
    else if (is(ps, "exposure") && ctx == CTX_FLOW)
        n = new_node(ps, N_EXPOSURE);
    else if (is(ps, "margin") && ctx == CTX_FLOW)
        n = new_node(ps, N_MARGIN);
    else if (f == F_COUNT || !(fields[f].ctx & ctx))
        return fail(ps, at, "expected a condition on %s, found %s",
                    ctx == CTX_ASSET  ? "assets"
                    : ctx == CTX_FLOW ? "flows"
                                      : "groups",
                    shown(ps, got, sizeof got));
    else
        n = new_node(ps, f >= F_ENCRYPTED ? N_FLAG : N_TEST);
    *out = n;
    if (!n)
        return NV_ENOMEM;
    n->field = f;
    if (next(ps))
        return NV_EPARSE;
    if (n->kind == N_NEAR)
        return near_test(ps, n);
    if (n->kind == N_WITHIN)
        return within_test(ps, n);
    if (n->kind == N_EXPOSURE)
        return exposure_test(ps, n);
    if (n->kind == N_MARGIN)
        return margin_test(ps, n);
    return n->kind == N_FLAG ? NV_OK : field_test(ps, f, n);
}

static enum nv_rc factor(struct parser *ps, unsigned ctx, struct node **out)
{
    enum nv_rc rc;

    if (ps->depth >= MAX_DEPTH)
        return fail(ps, ps->start, "condition nested more than %d deep",
                    MAX_DEPTH);
    if (is(ps, "not")) {
        *out = new_node(ps, N_NOT);
        rc = *out ? next(ps) : NV_ENOMEM;
        ps->depth++;
        rc = rc ? rc : factor(ps, ctx, &(*out)->a);
        ps->depth--;
        return rc;
    }
    if (!is(ps, "("))
        return predicate(ps, ctx, out);
    ps->depth++;
    rc = next(ps);
    rc = rc ? rc : cond(ps, ctx, out);
    ps->depth--;
    return rc ? rc : expect(ps, ")");
}

/* A chain of factors joined by op ("and" or "or"), built left to right. */
static enum nv_rc chain(struct parser *ps, unsigned ctx, const char *op,
                        struct node **out)
{
    enum node_kind kind = op[0] == 'a' ? N_AND : N_OR;
    enum nv_rc rc =
        kind == N_AND ? factor(ps, ctx, out) : chain(ps, ctx, "and", out);

    while (!rc && is(ps, op)) {
        struct node *n = new_node(ps, kind);
        if (!n)
            return NV_ENOMEM;
        n->a = *out;
        *out = n;
        rc = next(ps);
        if (!rc)
            rc = kind == N_AND ? factor(ps, ctx, &n->b)
                               : chain(ps, ctx, "and", &n->b);
    }
    return rc;
}

static enum nv_rc cond(struct parser *ps, unsigned ctx, struct node **out)
{
    return chain(ps, ctx, "or", out);
}

/* Each blank-separated word of words in turn. */
static enum nv_rc expect_words(struct parser *ps, const char *words)
{
    char w[32];
    enum nv_rc rc = NV_OK;

    while (*words && !rc) {
        size_t n = strcspn(words, " ");
        snprintf(w, sizeof w, "%.*s", (int)n, words);
        rc = expect(ps, w);
        words += n + (words[n] == ' ');
    }
    return rc;
}

static enum nv_rc scope_of(struct parser *ps, struct rule *r)
{
    static const char *const scopes[] = {"network", "region"};
    int s = 0;
    enum nv_rc rc = expect(ps, "per");

    if (!rc)
        rc = take_enum(ps, "a scope", scopes, 2, &s);
    r->scope = (enum scope)s;
    return rc;
}

static enum nv_rc bound(struct parser *ps, const char *op, struct rule *r)
{
    const char *num;
    size_t at;
    enum nv_rc rc = expect(ps, op);

    at = ps->start;
    if (!rc)
        rc = take(ps, T_NUMBER, "a number", &num);
    if (!rc && nv_parse_double(num, strlen(num), &r->bound))
        rc = fail(ps, at, "expected a number");
    if (!rc && op[0] == '<')
        rc = expect(ps, "%");
    return rc;
}

/* deny assets|flows where C | limit share of assets where C in assets
 * where C per SCOPE <= N% | require vendors of assets where C per SCOPE
 * >= N */
static enum nv_rc body(struct parser *ps, struct rule *r)
{
    char got[64];
    enum nv_rc rc;

    if (is(ps, "deny")) {
        rc = next(ps);
        r->body = is(ps, "flows") ? B_DENY_FLOWS : B_DENY_ASSETS;
        rc = rc ? rc : expect(ps, r->body == B_DENY_FLOWS ? "flows" : "assets");
        rc = rc ? rc : expect(ps, "where");
        return rc ? rc
                  : cond(ps, r->body == B_DENY_FLOWS ? CTX_FLOW : CTX_ASSET,
                         &r->cond);
    }
    if (is(ps, "limit")) {
        r->body = B_LIMIT_SHARE;
        rc = next(ps);
        rc = rc ? rc : expect_words(ps, "share of assets where");
        rc = rc ? rc : cond(ps, CTX_ASSET, &r->cond);
        rc = rc ? rc : expect_words(ps, "in assets where");
        rc = rc ? rc : cond(ps, CTX_ASSET, &r->within);
        rc = rc ? rc : scope_of(ps, r);
        return rc ? rc : bound(ps, "<=", r);
    }
    if (!is(ps, "require"))
        return fail(ps, ps->start,
                    "expected 'deny', 'limit' or 'require', "
                    "found %s",
                    shown(ps, got, sizeof got));
    r->body = B_REQUIRE_VENDORS;
    rc = next(ps);
    rc = rc ? rc : expect_words(ps, "vendors of assets where");
    rc = rc ? rc : cond(ps, CTX_ASSET, &r->cond);
    rc = rc ? rc : scope_of(ps, r);
    return rc ? rc : bound(ps, ">=", r);
}

static int valid_date(const char *d)
{
    int64_t y, m, day;

    return strlen(d) == 10 && d[4] == '-' && d[7] == '-' &&
           !nv_parse_i64(d, 4, 1900, 2999, &y) &&
           !nv_parse_i64(d + 5, 2, 1, 12, &m) &&
           !nv_parse_i64(d + 8, 2, 1, 31, &day);
}

/* source "..." and from YYYY-MM-DD, in any order, before the body. */
static enum nv_rc clauses(struct parser *ps, struct rule *r)
{
    enum nv_rc rc = NV_OK;

    while (!rc && (is(ps, "source") || is(ps, "from"))) {
        int source = is(ps, "source");
        size_t at;
        rc = next(ps);
        at = ps->start;
        if (!rc && source)
            rc = take(ps, T_STRING, "a quoted source", &r->info.source);
        else if (!rc)
            rc = take(ps, T_WORD, "a date (YYYY-MM-DD)", &r->info.from);
        if (!rc && !source && !valid_date(r->info.from))
            rc = fail(ps, at, "expected a date (YYYY-MM-DD)");
    }
    return rc;
}

static enum nv_rc rule(struct parser *ps)
{
    static const char *const severities[] = {"warning", "error"};
    struct nv_policy *p = ps->p;
    struct rule *r;
    unsigned long col;
    int sev = 0;
    enum nv_rc rc;

    if (p->nrules == MAX_RULES)
        return fail(ps, ps->start, "more than %d rules", MAX_RULES);
    if (nv_array_reserve(&p->rules, &p->cap, (size_t)p->nrules + 1,
                         sizeof *p->rules))
        return nv_err_set(ps->err, NV_ENOMEM, "out of memory");
    r = &p->rules[p->nrules];
    memset(r, 0, sizeof *r);
    r->info.file = nv_arena_strdup(&p->arena, ps->name);
    nv_text_pos(ps->text, ps->len, ps->start, &r->info.line, &col);
    rc = next(ps);
    rc = rc ? rc : take(ps, T_WORD, "a rule id", &r->info.id);
    rc = rc ? rc : take_enum(ps, "a severity", severities, 2, &sev);
    r->info.severity = (enum nv_severity)sev;
    rc = rc ? rc : take(ps, T_STRING, "a quoted message", &r->info.message);
    rc = rc ? rc : clauses(ps, r);
    rc = rc ? rc : body(ps, r);
    if (!rc)
        p->nrules++;
    return rc;
}

/* Who set a release threshold: "pack uk-2020, release secret at
 * policies/uk-2020.nvp:36", for the reasons of release decisions. */
static const char *threshold_by(struct parser *ps, size_t at, int cls)
{
    unsigned long line, col;
    char by[600];

    nv_text_pos(ps->text, ps->len, at, &line, &col);
    snprintf(by, sizeof by, "%s%.100s%srelease %s at %.400s:%lu",
             ps->pack ? "pack " : "", ps->pack ? ps->pack : "",
             ps->pack ? ", " : "", nv_class_names[cls], ps->name, line);
    return nv_arena_strdup(&ps->p->arena, by);
}

/* release CLASS tolerate LEVEL [encrypted LEVEL] */
static enum nv_rc release(struct parser *ps)
{
    int cls = 0, level = 0, enc = 0;
    size_t at = ps->start;
    enum nv_rc rc = next(ps);

    rc = rc ? rc
            : take_enum(ps, "a classification", nv_class_names, NV_CLASS_COUNT,
                        &cls);
    rc = rc ? rc : expect(ps, "tolerate");
    rc = rc ? rc
            : take_enum(ps, "a level", nv_level_names, NV_LEVEL_COUNT, &level);
    enc = level;
    if (!rc && is(ps, "encrypted")) {
        rc = next(ps);
        rc =
            rc ? rc
               : take_enum(ps, "a level", nv_level_names, NV_LEVEL_COUNT, &enc);
    }
    if (!rc) {
        ps->p->tolerate[cls][0] = level;
        ps->p->tolerate[cls][1] = enc > level ? enc : level;
        ps->p->tolerate_by[cls] = threshold_by(ps, at, cls);
        if (!ps->p->tolerate_by[cls])
            rc = nv_err_set(ps->err, NV_ENOMEM, "out of memory");
    }
    return rc;
}

static enum nv_rc statement(struct parser *ps)
{
    char got[64];
    enum nv_rc rc;

    if (is(ps, "rule"))
        return rule(ps);
    if (is(ps, "release"))
        return release(ps);
    if (!is(ps, "pack"))
        return fail(ps, ps->start,
                    "expected 'rule', 'release' or 'pack', "
                    "found %s",
                    shown(ps, got, sizeof got));
    rc = next(ps); /* pack NAME ["title"]: a name for people */
    rc = rc ? rc : take(ps, T_WORD, "a pack name", &ps->pack);
    return rc || ps->tok != T_STRING ? rc : next(ps);
}

enum nv_rc nv_policy_parse(struct nv_policy *p, const char *name,
                           const char *text, size_t len, struct nv_err *err)
{
    struct parser ps = {
        p, text ? text : "", name, len, 0, err, NULL, T_END, 0, 0, 0};
    enum nv_rc rc;

    if (len > MAX_TEXT)
        return nv_err_at(err, NV_ELIMIT, name, 0, 0,
                         "policy larger than 1 MiB");
    if (!nv_utf8_valid(ps.text, len))
        return nv_err_at(err, NV_EPARSE, name, 0, 0, "not UTF-8 text");
    rc = next(&ps);
    while (!rc && ps.tok != T_END)
        rc = statement(&ps);
    return rc;
}

struct nv_policy *nv_policy_new(void)
{
    struct nv_policy *p = nv_calloc(1, sizeof *p);

    if (!p)
        return NULL;
    nv_arena_init(&p->arena);
    for (int c = 0; c < NV_CLASS_COUNT; c++)
        p->tolerate[c][0] = p->tolerate[c][1] = -1;
    return p;
}

void nv_policy_free(struct nv_policy *p)
{
    if (!p)
        return;
    nv_arena_release(&p->arena);
    nv_free(p->rules);
    nv_free(p);
}

uint32_t nv_policy_rules(const struct nv_policy *p)
{
    return p->nrules;
}

void nv_policy_rule(const struct nv_policy *p, uint32_t i,
                    struct nv_rule_info *out)
{
    static const enum nv_rule_body bodies[] = {
        NV_RULE_DENY_ASSETS, NV_RULE_DENY_FLOWS, NV_RULE_LIMIT_SHARE,
        NV_RULE_REQUIRE_VENDORS};
    const struct rule *r = &p->rules[i];

    *out = r->info;
    out->body = bodies[r->body];
    out->per_region = r->scope == S_REGION;
    out->bound = r->bound;
}

int nv_policy_tolerates(const struct nv_policy *p, enum nv_class c,
                        int encrypted)
{
    return p->tolerate[c][!!encrypted];
}

const char *nv_policy_tolerance_source(const struct nv_policy *p,
                                       enum nv_class c)
{
    return p->tolerate_by[c];
}
