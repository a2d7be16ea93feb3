/*
 * load_csv.c - the CSV bundle: a directory of one CSV file per table, the
 * shape of an operator's inventory export (docs/formats.md).
 *
 * The header row names the columns; each is a field of the table's schema
 * (or starts with "x-" and is ignored).  An empty cell is a field not
 * given; lists (aliases, tags, path, channels) are ';'-separated.
 *
 * Spreadsheet exports load as they come: the separator (',', ';' or tab)
 * is told by the header, header names and the values of enumerations and
 * booleans may be in any case (TRUE, Core), and trailing empty columns
 * and rows of empty cells are ignored.
 */
#include "core/alloc.h"
#include "core/csv.h"
#include "core/file.h"
#include "model/load.h"
#include "core/progress.h"
#include "model/load_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Tables smaller than this are not worth a second thread. */
#define SPLIT_MIN ((size_t)1 << 20)

/* Tables in the order they load, so that most references point back. */
static const enum nv_table order[] = {NV_T_ENTITY, NV_T_SITE, NV_T_ASSET,
                                      NV_T_LINK,   NV_T_FLOW, NV_T_PARTNER};

/* The bytes s[0..n) lowercased into out (size bytes), NUL-terminated;
 * NULL when they do not fit (no field name or enumeration value is that
 * long, so the lookup then fails as it should). */
static const char *lower(const char *s, size_t n, char *out, size_t size)
{
    if (n >= size)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
    return out;
}

/* How many header cells count: trailing empty ones are a spreadsheet's
 * unused columns. */
static size_t used_columns(const struct nv_csv *c)
{
    size_t n = c->nfields;

    while (n > 1 && c->fields[n - 1].len == 0)
        n--;
    return n;
}

static enum nv_rc unknown_column(struct nv_csv *c, enum nv_table t,
                                 const struct nv_csv_field *h,
                                 struct nv_err *err)
{
    int one = c->nfields == 1 &&
              (memchr(h->s, '|', h->len) || memchr(h->s, ' ', h->len) ||
               memchr(h->s, ':', h->len));
    const char *hint = one ? " (the whole header is one column: are the "
                             "columns separated by ',', ';' or a tab?)"
                           : "";

    return nv_csv_error_at(c, err, NV_EPARSE, h->off,
                           "unknown %s column '%.*s'%s", nv_schemas[t].noun,
                           (int)(h->len > 80 ? 80 : h->len), h->s, hint);
}

/* Map each header cell to a field (NULL: ignored "x-" column); *ncols
 * receives the number of columns that count. */
static enum nv_rc read_header(struct nv_csv *c, enum nv_table t,
                              const struct nv_field **cols, size_t *ncols,
                              struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    int got;
    enum nv_rc rc = nv_csv_next(c, &got, err);
    char name[64];

    if (rc)
        return rc;
    if (!got)
        return nv_csv_error_at(c, err, NV_EPARSE, 0, "no header row");
    *ncols = used_columns(c);
    for (size_t i = 0; i < *ncols; i++) {
        const struct nv_csv_field *h = &c->fields[i];
        const char *low = lower(h->s, h->len, name, sizeof name);
        cols[i] = low ? nv_schema_field(s, low, h->len) : NULL;
        if (!cols[i] && !(h->len >= 2 && memcmp(h->s, "x-", 2) == 0))
            return unknown_column(c, t, h, err);
        for (size_t k = 0; cols[i] && k < i; k++)
            if (cols[k] == cols[i])
                return nv_csv_error_at(c, err, NV_EDUP, h->off,
                                       "column '%s' appears twice",
                                       cols[i]->name);
    }
    return NV_OK;
}

/* Whether the cells from the first'th on are all empty. */
static int empty_from(const struct nv_csv *c, size_t first)
{
    for (size_t i = first; i < c->nfields; i++)
        if (c->fields[i].len)
            return 0;
    return 1;
}

/* Set one cell; enumerations and booleans in any case. */
static enum nv_rc set_cell(struct nv_model *m, enum nv_table t,
                           const struct nv_field *f, void *rec,
                           const struct nv_csv_field *cell, const char **why)
{
    char buf[64];
    const char *text = cell->s;

    if ((f->type == NV_F_ENUM || f->type == NV_F_BOOL) &&
        lower(cell->s, cell->len, buf, sizeof buf))
        text = buf;
    return nv_schema_set_text(m, t, f, rec, text, cell->len, cell->off, why);
}

/* Set the fields of record idx of table t from the row's cells. */
static enum nv_rc row_fields(struct nv_model *m, enum nv_table t,
                             struct nv_csv *c, const struct nv_field **cols,
                             size_t ncols, uint32_t idx, struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < ncols && !rc; i++) {
        const struct nv_csv_field *cell = &c->fields[i];
        void *rec = (char *)m->t[t].v + (size_t)idx * s->size;
        const char *why = "";
        char msg[NV_ERR_MSG_SIZE];
        if (!cols[i])
            continue;
        rc = set_cell(m, t, cols[i], rec, cell, &why);
        if (rc == NV_ENOMEM)
            return nv_err_set(err, rc, "out of memory");
        if (rc) {
            nv_schema_explain(s, cols[i], why, msg, sizeof msg);
            return nv_csv_error_at(c, err, rc, cell->off, "%s", msg);
        }
    }
    return rc;
}

static enum nv_rc read_row(struct nv_model *m, enum nv_table t, uint32_t src,
                           struct nv_csv *c, const struct nv_field **cols,
                           size_t ncols, struct nv_err *err)
{
    uint32_t had = m->t[t].n, idx;
    enum nv_rc rc;

    if (empty_from(c, 0))
        return NV_OK; /* a spreadsheet's row of empty cells */
    if (c->nfields < ncols || !empty_from(c, ncols))
        return nv_csv_error_at(c, err, NV_EPARSE, c->record_off,
                               "%zu fields, but the header has %zu", c->nfields,
                               ncols);
    rc = nv_schema_new_record(m, t, src, c->record_off, &idx, err);
    if (!rc)
        rc = row_fields(m, t, c, cols, ncols, idx, err);
    if (!rc)
        rc = nv_schema_commit(m, t, err);
    if (rc && m->t[t].n > had)
        nv_schema_drop_last(m, t);
    return rc;
}

/* Lines in text[start..end): no more than the records there, when end
 * begins a record. */
static size_t count_lines(const char *text, size_t start, size_t end)
{
    const char *p = text + start, *stop = text + end;
    size_t lines = 0;

    while (p < stop && (p = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
        lines++;
        p++;
    }
    return lines;
}

/* A table's rows are about its lines: size the table and its id map once
 * for them instead of growing as rows come. */
static enum nv_rc reserve_rows(struct nv_model *m, enum nv_table t,
                               const char *text, size_t len, struct nv_err *err)
{
    return nv_schema_reserve(m, t, count_lines(text, 0, len), err);
}

static enum nv_rc read_rows(struct nv_model *m, enum nv_table t, uint32_t src,
                            struct nv_csv *c, const struct nv_field **cols,
                            size_t ncols, struct nv_err *err)
{
    size_t seen = c->pos;
    int got = 1;
    enum nv_rc rc = NV_OK;

    while (!rc && got) {
        rc = nv_csv_next(c, &got, err);
        if (!rc && got)
            rc = read_row(m, t, src, c, cols, ncols, err);
        /* Bytes read, added: both halves of a split table count. */
        nv_progress_add(m->progress, c->pos - seen);
        seen = c->pos;
    }
    return rc;
}

/* The second half of a table, read on a thread of its own into a shadow
 * model (nv_schema_shadow) whose view of the table being read is the part
 * of m's table behind the room left for the first half. */
struct half {
    struct nv_model shadow;
    enum nv_table t;
    uint32_t src;
    struct nv_csv c;
    const struct nv_field **cols;
    size_t ncols;
    struct nv_err err;
    enum nv_rc rc;
};

static void *read_half(void *arg)
{
    struct half *h = arg;

    h->rc =
        read_rows(&h->shadow, h->t, h->src, &h->c, h->cols, h->ncols, &h->err);
    return NULL;
}

/*
 * Read the two halves of a large table on both cores: links, most of a
 * large bundle, and the sites and assets before them.  The table is given
 * room for a record a line, so that neither half grows it, and the second
 * half writes its records behind room for one a line of the first half (a
 * table of its own, copied over, touched and copied 130 MB more for 3M
 * links); the gap left (rows of empty cells, quoted line breaks) is closed
 * when the halves are joined.  Records keep file order, and the first
 * error in file order is the one reported: the first half's, an id of the
 * second half the first half read too, then the second half's own.
 */
static enum nv_rc read_rows_split(struct nv_model *m, struct half *h,
                                  struct nv_csv *c, size_t split,
                                  struct nv_err *err)
{
    size_t lines = count_lines(c->text, c->pos, split);
    size_t rest = count_lines(c->text, split, c->len) + 1;
    size_t first = m->t[h->t].n + lines;
    pthread_t tid;
    int started;
    enum nv_rc rc = nv_schema_reserve(m, h->t, lines + rest, err);

    if (rc)
        return rc;
    nv_schema_shadow(&h->shadow, m, h->t);
    if (nv_schema_shadow_view(&h->shadow, m, h->t, (uint32_t)first,
                              (uint32_t)rest)) {
        nv_schema_shadow_release(&h->shadow, h->t);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    nv_err_clear(&h->err);
    nv_csv_init(&h->c, c->text, c->len, c->name);
    h->c.sep = c->sep;
    h->c.checked = 1; /* the first read checked the whole text */
    nv_csv_limit(&h->c, split, c->len);
    nv_csv_limit(c, c->pos, split);
    started = pthread_create(&tid, NULL, read_half, h) == 0;
    if (!started)
        read_half(h);
    rc = read_rows(m, h->t, h->src, c, h->cols, h->ncols, err);
    if (started)
        pthread_join(tid, NULL);
    if (!rc)
        rc = nv_schema_join_shadow(m, h->t, &h->shadow, err);
    if (!rc && h->rc) {
        *err = h->err;
        rc = h->rc;
    }
    nv_schema_shadow_release(&h->shadow, h->t);
    nv_csv_release(&h->c);
    return rc;
}

enum nv_rc nv_load_csv_table(struct nv_model *m, enum nv_table t, uint32_t src,
                             const char *text, size_t len, struct nv_err *err)
{
    const struct nv_field *cols[NV_CSV_MAX_FIELDS];
    struct half h = {.t = t, .src = src, .cols = cols};
    struct nv_csv c;
    size_t split;
    enum nv_rc rc;

    nv_csv_init(&c, text, len, m->sources[src]);
    c.sep = nv_csv_sniff(text, len);
    rc = read_header(&c, t, cols, &h.ncols, err);
    split = rc ? len : nv_csv_split(text, c.pos, len);
    if (!rc && nv_schema_can_split(m, t) && len >= SPLIT_MIN && split < len)
        rc = read_rows_split(m, &h, &c, split, err);
    else if (!rc && !(rc = reserve_rows(m, t, text, len, err)))
        rc = read_rows(m, t, src, &c, cols, h.ncols, err);
    nv_csv_release(&c);
    return rc;
}

enum nv_rc nv_load_csv_bundle(struct nv_model *m, const char *dir,
                              struct nv_err *err)
{
    int found = 0;
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < sizeof order / sizeof order[0] && !rc; i++) {
        char path[4096];
        struct nv_file f;
        uint32_t src;
        snprintf(path, sizeof path, "%s/%s.csv", dir,
                 nv_schemas[order[i]].name);
        if (access(path, F_OK) != 0)
            continue;
        found = 1;
        rc = nv_file_read(&f, path, NV_LOAD_MAX_FILE, err);
        if (rc)
            return rc;
        rc = nv_model_add_source(m, path, &src, err);
        nv_progress_begin(m->progress, "loading", path, f.len);
        if (!rc)
            rc = nv_load_csv_table(m, order[i], src, f.data, f.len, err);
        nv_file_release(&f);
    }
    if (!rc && !found)
        rc = nv_err_at(err, NV_ENOENT, dir, 0, 0,
                       "no sites.csv, assets.csv, links.csv or flows.csv "
                       "in this directory");
    return rc;
}
