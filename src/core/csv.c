/*
 * csv.c - RFC 4180 reading without copying.
 *
 * Unquoted fields, and quoted ones without doubled quotes, point into the
 * text.  Only fields with "" escapes are copied, into scratch; their
 * pointers are fixed up when the record ends, because scratch may move
 * while the record grows.
 */
#include "core/csv.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A field whose bytes live in scratch holds its scratch offset in s until
 * the record is complete; this marks it. */
#define IN_SCRATCH ((size_t)1 << (sizeof(size_t) * 8 - 1))

void nv_csv_init(struct nv_csv *c, const char *text, size_t len,
                 const char *name)
{
    memset(c, 0, sizeof *c);
    c->text = text ? text : "";
    c->len = len;
    c->name = name;
    c->sep = ',';
    if (len >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
}

void nv_csv_release(struct nv_csv *c)
{
    nv_free(c->fields);
    nv_free(c->scratch);
    c->fields = NULL;
    c->scratch = NULL;
    c->cap = c->scratch_cap = c->nfields = c->nscratch = 0;
}

enum nv_rc nv_csv_error_at(const struct nv_csv *c, struct nv_err *err,
                           enum nv_rc rc, size_t off, const char *fmt, ...)
{
    unsigned long line, col;
    va_list ap;

    nv_text_pos(c->text, c->len, off, &line, &col);
    nv_err_at(err, rc, c->name, line, col, "%s", "");
    if (err) {
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int nv_utf8_valid(const char *s, size_t n)
{
    return nv_utf8_prefix(s, n) == n;
}

size_t nv_utf8_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i], need;
        uint32_t cp, min;
        uint64_t w;
        /* Most text is ASCII: skip it eight bytes at a time. */
        if (i + 8 <= n) {
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07, min = 0x10000;
        else
            return i;
        if (n - i <= need)
            return i;
        for (unsigned k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return n;
}

static enum nv_rc push_field(struct nv_csv *c, const char *s, size_t len,
                             size_t off, struct nv_err *err)
{
    struct nv_csv_field *f;

    if (c->nfields == NV_CSV_MAX_FIELDS)
        return nv_csv_error_at(c, err, NV_ELIMIT, off,
                               "more than %d fields in a record",
                               NV_CSV_MAX_FIELDS);
    if (len > NV_CSV_MAX_FIELD)
        return nv_csv_error_at(c, err, NV_ELIMIT, off,
                               "field longer than %zu bytes", NV_CSV_MAX_FIELD);
    if (c->nfields == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        f = nv_reallocarray(c->fields, cap, sizeof *f);
        if (!f)
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        c->fields = f;
        c->cap = cap;
    }
    f = &c->fields[c->nfields++];
    f->s = s;
    f->len = len;
    f->off = off;
    return NV_OK;
}

static enum nv_rc scratch_add(struct nv_csv *c, const char *s, size_t n,
                              struct nv_err *err)
{
    if (c->nscratch + n > c->scratch_cap) {
        size_t cap = c->scratch_cap ? c->scratch_cap : 256;
        char *p;
        while (cap < c->nscratch + n)
            cap *= 2;
        p = nv_reallocarray(c->scratch, cap, 1);
        if (!p)
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        c->scratch = p;
        c->scratch_cap = cap;
    }
    memcpy(c->scratch + c->nscratch, s, n);
    c->nscratch += n;
    return NV_OK;
}

/* A quoted field starting at c->pos (the quote); leaves pos after the
 * closing quote.  Copies to scratch only when it meets a doubled quote. */
static enum nv_rc quoted_field(struct nv_csv *c, struct nv_err *err)
{
    size_t open = c->pos, start = c->pos + 1, i = start, from = start;
    size_t sstart = c->nscratch;
    int copied = 0;
    enum nv_rc rc;

    for (;;) {
        const char *q = memchr(c->text + i, '"', c->len - i);
        if (!q)
            return nv_csv_error_at(c, err, NV_EPARSE, open,
                                   "quoted field is never closed");
        i = (size_t)(q - c->text);
        if (i + 1 < c->len && c->text[i + 1] == '"') {
            rc = scratch_add(c, c->text + from, i + 1 - from, err);
            if (rc)
                return rc;
            copied = 1;
            from = i += 2;
            continue;
        }
        break;
    }
    c->pos = i + 1;
    if (!copied)
        return push_field(c, c->text + start, i - start, open, err);
    rc = scratch_add(c, c->text + from, i - from, err);
    if (!rc)
        rc = push_field(c, (const char *)(sstart | IN_SCRATCH),
                        c->nscratch - sstart, open, err);
    return rc;
}

/* An unquoted field: up to the next separator or line end. */
static enum nv_rc plain_field(struct nv_csv *c, struct nv_err *err)
{
    size_t start = c->pos, i = start;

    while (i < c->len && c->text[i] != c->sep && c->text[i] != '\n')
        i++;
    c->pos = i;
    if (i > start && c->text[i - 1] == '\r' &&
        (i == c->len || c->text[i] == '\n'))
        i--;
    return push_field(c, c->text + start, i - start, start, err);
}

/* After a field: a separator (1: another field follows) or the record's
 * end. */
static enum nv_rc field_end(struct nv_csv *c, int *more, struct nv_err *err)
{
    size_t i = c->pos;

    *more = 0;
    if (i == c->len)
        return NV_OK;
    if (c->text[i] == c->sep) {
        c->pos = i + 1;
        *more = 1;
        return NV_OK;
    }
    if (c->text[i] == '\r' && i + 1 < c->len && c->text[i + 1] == '\n')
        i++;
    if (c->text[i] == '\n') {
        c->pos = i + 1;
        return NV_OK;
    }
    return nv_csv_error_at(c, err, NV_EPARSE, i,
                           "expected '%s' or a line end after a quoted field",
                           c->sep == '\t' ? "\\t" : (char[]){c->sep, 0});
}

/* Point fields held in scratch at their bytes. */
static void finish_record(struct nv_csv *c)
{
    for (size_t k = 0; k < c->nfields; k++) {
        struct nv_csv_field *f = &c->fields[k];
        if ((uintptr_t)f->s & IN_SCRATCH)
            f->s = c->scratch + ((uintptr_t)f->s & ~IN_SCRATCH);
    }
}

/* The whole text is checked once, before the first record: one pass is
 * far cheaper than a check per field. */
static enum nv_rc check_utf8(struct nv_csv *c, struct nv_err *err)
{
    size_t bad = c->pos + nv_utf8_prefix(c->text + c->pos, c->len - c->pos);

    c->checked = 1;
    if (bad < c->len)
        return nv_csv_error_at(
            c, err, NV_EPARSE, bad,
            "text is not valid UTF-8 (byte 0x%02X): a Windows-1252 export? "
            "save as \"CSV UTF-8\" or convert it with iconv -f WINDOWS-1252 "
            "-t UTF-8",
            (unsigned char)c->text[bad]);
    return NV_OK;
}

char nv_csv_sniff(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;

    for (; i < len && (quoted || text[i] != '\n'); i++) {
        quoted ^= text[i] == '"';
        comma += !quoted && text[i] == ',';
        semi += !quoted && text[i] == ';';
        tab += !quoted && text[i] == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    return tab > comma ? '\t' : ',';
}

static void skip_blank_lines(struct nv_csv *c)
{
    while (c->pos < c->len) {
        if (c->text[c->pos] == '\n')
            c->pos++;
        else if (c->text[c->pos] == '\r' && c->pos + 1 < c->len &&
                 c->text[c->pos + 1] == '\n')
            c->pos += 2;
        else
            break;
    }
}

enum nv_rc nv_csv_next(struct nv_csv *c, int *got, struct nv_err *err)
{
    int more = 1;
    enum nv_rc rc = NV_OK;

    c->nfields = 0;
    c->nscratch = 0;
    if (!c->checked) {
        rc = check_utf8(c, err);
        if (rc)
            return rc;
    }
    skip_blank_lines(c);
    *got = c->pos < c->len;
    if (!*got)
        return NV_OK;
    c->record_off = c->pos;
    while (more && !rc) {
        if (c->pos < c->len && c->text[c->pos] == '"')
            rc = quoted_field(c, err);
        else
            rc = plain_field(c, err);
        if (!rc)
            rc = field_end(c, &more, err);
    }
    if (!rc)
        finish_record(c);
    return rc;
}

int nv_csv_find(const struct nv_csv *c, const char *name)
{
    for (size_t i = 0; i < c->nfields; i++)
        if (nv_str_eq(c->fields[i].s, c->fields[i].len, name))
            return (int)i;
    return -1;
}

void nv_csv_limit(struct nv_csv *c, size_t start, size_t end)
{
    c->pos = start;
    c->len = end;
}

static size_t count_quotes(const char *text, size_t from, size_t to)
{
    const char *p = memchr(text + from, '"', to - from);
    size_t n = 0;

    while (p) {
        n++;
        p = memchr(p + 1, '"', (size_t)(text + to - p - 1));
    }
    return n;
}

/* A line break outside quotes ends a record; quotes (doubled or not)
 * toggle, so the parity of the quotes seen so far says which is which. */
size_t nv_csv_split(const char *text, size_t start, size_t len)
{
    size_t mid = start + (len - start) / 2;
    size_t quotes = count_quotes(text, start, mid);

    for (size_t i = mid; i < len; i++) {
        if (text[i] == '"')
            quotes++;
        else if (text[i] == '\n' && quotes % 2 == 0)
            return i + 1;
    }
    return len;
}
