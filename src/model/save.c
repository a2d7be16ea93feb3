/*
 * save.c - the model written back as native JSON or a CSV bundle.
 *
 * Only fields that some file gave (rec.set) are written, so a saved model
 * loads back to the same records with the same defaults.
 */
#include "model/save.h"

#include "core/atomic.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/parse.h"
#include "core/version.h"
#include "model/schema.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* The largest model text written in memory. */
#define SAVE_MAX_TEXT ((size_t)4 << 30)

static const void *field_ptr(const void *rec, const struct nv_field *f)
{
    return (const char *)rec + f->offset;
}

static void json_field(struct nv_jsonw *w, const struct nv_field *f,
                       const void *p)
{
    const struct nv_strs *strs = p;
    const struct nv_refs *refs = p;

    switch (f->type) {
    case NV_F_STR:
        nv_jsonw_str(w, *(const char *const *)p);
        break;
    case NV_F_NUM:
        nv_jsonw_num(w, *(const double *)p);
        break;
    case NV_F_INT:
        nv_jsonw_int(w, *(const int64_t *)p);
        break;
    case NV_F_BOOL:
        nv_jsonw_bool(w, *(const int *)p);
        break;
    case NV_F_ENUM:
        nv_jsonw_str(w, f->names[*(const int *)p]);
        break;
    case NV_F_REF:
        nv_jsonw_str(w, ((const struct nv_ref *)p)->id);
        break;
    case NV_F_STRS:
        nv_jsonw_arr(w);
        for (uint32_t i = 0; i < strs->n; i++)
            nv_jsonw_str(w, strs->v[i]);
        nv_jsonw_arr_end(w);
        break;
    case NV_F_REFS:
        nv_jsonw_arr(w);
        for (uint32_t i = 0; i < refs->n; i++)
            nv_jsonw_str(w, refs->v[i].id);
        nv_jsonw_arr_end(w);
        break;
    }
}

static void json_record(struct nv_jsonw *w, const struct nv_schema *s,
                        const void *rec)
{
    uint32_t set = ((const struct nv_rec *)rec)->set;

    nv_jsonw_obj(w);
    for (int i = 0; i < s->nfields; i++) {
        if (!(set & (1u << i)))
            continue;
        nv_jsonw_key(w, s->fields[i].name);
        json_field(w, &s->fields[i], field_ptr(rec, &s->fields[i]));
    }
    nv_jsonw_obj_end(w);
}

/* Whether record i of table t is the user's to write back: entities that
 * resolution added (from the built-in catalogue or a restricted-party
 * list) are derived, and made again at load, where a later list can
 * still designate them. */
static int written(const struct nv_model *m, int t, uint32_t i)
{
    return t != NV_T_ENTITY || NV_ENTITIES(m)[i].origin == NV_ORIGIN_MODEL;
}

/* One record a line: the skeleton is written around the records, each
 * a new document of the writer.  The version of netvet that wrote it is
 * left out of the canonical text, whose hash must not change with it. */
static enum nv_rc save_json(const struct nv_model *m, FILE *out, int version,
                            struct nv_err *err)
{
    struct nv_jsonw *w = nv_jsonw_new_alone(out, 0);
    enum nv_rc rc;

    if (!w)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_jsonw_raw(w, "{\"netvet\": 1");
    if (version)
        nv_jsonw_raw(w, ",\n\"netvet_version\": \"" NV_VERSION "\"");
    for (int t = 0; t < NV_T_COUNT; t++) {
        const struct nv_schema *s = &nv_schemas[t];
        nv_jsonw_raw(w, ",\n\"");
        nv_jsonw_raw(w, s->name);
        nv_jsonw_raw(w, "\": [");
        for (uint32_t i = 0, k = 0; i < m->t[t].n; i++) {
            if (!written(m, t, i))
                continue;
            nv_jsonw_next(w, k++ ? ",\n" : "\n");
            json_record(w, s, (const char *)m->t[t].v + (size_t)i * s->size);
        }
        nv_jsonw_next(w, "");
        nv_jsonw_raw(w, "]");
    }
    nv_jsonw_raw(w, "}");
    rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    return rc;
}

enum nv_rc nv_save_json(const struct nv_model *m, FILE *out, struct nv_err *err)
{
    return save_json(m, out, 1, err);
}

enum nv_rc nv_save_json_canonical(const struct nv_model *m, FILE *out,
                                  struct nv_err *err)
{
    return save_json(m, out, 0, err);
}

enum nv_rc nv_save_json_text(const struct nv_model *m, char **text, size_t *len,
                             struct nv_err *err)
{
    struct nv_buf b;
    size_t n;
    char *t;
    FILE *f;
    enum nv_rc rc;

    nv_buf_init(&b, SAVE_MAX_TEXT);
    f = nv_buf_stream(&b);
    if (!f)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    rc = nv_save_json_canonical(m, f, err);
    if (fclose(f) != 0 && !rc)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory (or over %zu bytes)",
                        (size_t)SAVE_MAX_TEXT);
    n = b.len;
    t = rc ? NULL : nv_buf_take(&b);
    nv_buf_release(&b);
    if (!t)
        return rc ? rc : nv_err_set(err, NV_ENOMEM, "out of memory");
    *text = t;
    *len = n;
    return NV_OK;
}

/* A CSV cell: quoted when it holds a separator, quote, line break or
 * blank at either end, with quotes doubled. */
static void csv_cell(FILE *out, const char *s)
{
    size_t n = strlen(s);

    if (!strpbrk(s, ",\"\r\n") && (n == 0 || (s[0] != ' ' && s[n - 1] != ' ')))
        fputs(s, out);
    else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
}

/* Lists are ';'-joined in one cell, no longer than a reader accepts. */
static enum nv_rc csv_list(FILE *out, const char *const *v,
                           const struct nv_ref *r, uint32_t n)
{
    struct nv_buf cell;
    enum nv_rc rc = NV_OK;

    nv_buf_init(&cell, NV_CSV_MAX_FIELD);
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = nv_buf_addf(&cell, "%s%s", i ? ";" : "", v ? v[i] : r[i].id);
    if (!rc)
        csv_cell(out, cell.data);
    nv_buf_release(&cell);
    return rc;
}

static enum nv_rc csv_field(FILE *out, const struct nv_field *f, const void *p)
{
    char num[32];

    switch (f->type) {
    case NV_F_STR:
        csv_cell(out, *(const char *const *)p);
        break;
    case NV_F_NUM:
        nv_format_double(*(const double *)p, num);
        fputs(num, out);
        break;
    case NV_F_INT:
        fprintf(out, "%lld", (long long)*(const int64_t *)p);
        break;
    case NV_F_BOOL:
        fputs(*(const int *)p ? "true" : "false", out);
        break;
    case NV_F_ENUM:
        fputs(f->names[*(const int *)p], out);
        break;
    case NV_F_REF:
        csv_cell(out, ((const struct nv_ref *)p)->id);
        break;
    case NV_F_STRS:
        return csv_list(out, ((const struct nv_strs *)p)->v, NULL,
                        ((const struct nv_strs *)p)->n);
    case NV_F_REFS:
        return csv_list(out, NULL, ((const struct nv_refs *)p)->v,
                        ((const struct nv_refs *)p)->n);
    }
    return NV_OK;
}

static enum nv_rc csv_table(FILE *out, const struct nv_model *m,
                            enum nv_table t)
{
    const struct nv_schema *s = &nv_schemas[t];
    enum nv_rc rc = NV_OK;

    for (int k = 0; k < s->nfields; k++)
        fprintf(out, "%s%s", k ? "," : "", s->fields[k].name);
    fputc('\n', out);
    for (uint32_t i = 0; i < m->t[t].n && !rc; i++) {
        const void *rec = (const char *)m->t[t].v + (size_t)i * s->size;
        uint32_t set = ((const struct nv_rec *)rec)->set;
        if (!written(m, (int)t, i))
            continue;
        for (int k = 0; k < s->nfields && !rc; k++) {
            if (k)
                fputc(',', out);
            if (set & (1u << k))
                rc = csv_field(out, &s->fields[k],
                               field_ptr(rec, &s->fields[k]));
        }
        fputc('\n', out);
    }
    return rc;
}

/* Write table t to path, whole or not at all (core/atomic.h). */
static enum nv_rc save_csv_table(const struct nv_model *m, enum nv_table t,
                                 const char *path, struct nv_err *err)
{
    struct nv_atomic a;
    enum nv_rc rc = nv_atomic_open(&a, path, 0666, err);
    FILE *out;

    if (rc)
        return rc;
    out = nv_atomic_stream(&a);
    rc = out ? csv_table(out, m, t) : NV_ENOMEM;
    if (rc || ferror(out)) {
        nv_atomic_abort(&a);
        return nv_err_at(err, rc ? rc : NV_EIO, path, 0, 0,
                         rc == NV_ENOMEM ? "out of memory"
                         : rc            ? "a list is too long for a CSV cell"
                                         : "cannot write");
    }
    return nv_atomic_commit(&a, err);
}

enum nv_rc nv_save_csv(const struct nv_model *m, const char *dir,
                       struct nv_err *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return nv_err_at(err, NV_EIO, dir, 0, 0, "cannot create: %s",
                         strerror(errno));
    for (int t = 0; t < NV_T_COUNT; t++) {
        char path[4096];
        enum nv_rc rc;
        if (m->t[t].n == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s.csv", dir, nv_schemas[t].name);
        rc = save_csv_table(m, (enum nv_table)t, path, err);
        if (rc)
            return rc;
    }
    return NV_OK;
}
