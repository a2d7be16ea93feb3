/*
 * manifest.c - entries, path clean-up, issues, sorting.
 */
#include "integrity/manifest.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const ftype_names[] = {
#define NV_FTYPE_NAME(name, text) text,
    NV_FTYPE_MAP(NV_FTYPE_NAME)
#undef NV_FTYPE_NAME
};

static const char *const issue_ids[] = {
#define NV_ISSUE_ID(name, id, text) id,
    NV_ISSUE_MAP(NV_ISSUE_ID)
#undef NV_ISSUE_ID
};

static const char *const issue_texts[] = {
#define NV_ISSUE_TEXT(name, id, text) text,
    NV_ISSUE_MAP(NV_ISSUE_TEXT)
#undef NV_ISSUE_TEXT
};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *nv_ftype_name(enum nv_ftype t)
{
    return ftype_names[t];
}
int nv_ftype_parse(const char *s)
{
    return lookup(ftype_names, NV_FT_COUNT, s);
}
const char *nv_issue_id(enum nv_issue_kind k)
{
    return issue_ids[k];
}
const char *nv_issue_text(enum nv_issue_kind k)
{
    return issue_texts[k];
}
int nv_issue_parse(const char *s)
{
    return lookup(issue_ids, NV_ISSUE_COUNT, s);
}

void nv_manifest_init(struct nv_manifest *m)
{
    memset(m, 0, sizeof *m);
    nv_arena_init(&m->a);
    m->image = "";
    m->format = "";
}

void nv_manifest_release(struct nv_manifest *m)
{
    nv_arena_release(&m->a);
    nv_free(m->f);
    nv_free(m->issue);
    nv_manifest_init(m);
}

enum nv_rc nv_manifest_issue(struct nv_manifest *m, const char *path,
                             size_t path_len, enum nv_issue_kind kind,
                             struct nv_err *err)
{
    if (nv_array_reserve(&m->issue, &m->issue_cap, m->nissue + 1,
                         sizeof *m->issue))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    char *copy = nv_arena_strndup(&m->a, path, path_len);
    if (!copy)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    m->issue[m->nissue++] = (struct nv_missue){copy, path_len, kind};
    return NV_OK;
}

/* One component of a path at a time: *p advances past it and its
 * slashes; the length of "" when none is left. */
static size_t next_component(const char **p, const char *end,
                             const char **start)
{
    while (*p < end && **p == '/')
        ++*p;
    *start = *p;
    while (*p < end && **p != '/')
        ++*p;
    return (size_t)(*p - *start);
}

static int is_dots(const char *s, size_t n, size_t dots)
{
    return n == dots && memcmp(s, "..", dots) == 0;
}

/* Copy path without empty and "." components into out (room for len + 1
 * bytes); *climbs is set if a ".." component is met.  Returns the length. */
static size_t clean_path(const char *path, size_t len, char *out, int *climbs)
{
    const char *p = path, *end = path + len, *c;
    size_t n, o = 0;
    *climbs = 0;
    while ((n = next_component(&p, end, &c)) > 0) {
        if (is_dots(c, n, 1))
            continue;
        *climbs |= is_dots(c, n, 2);
        if (o)
            out[o++] = '/';
        memcpy(out + o, c, n);
        o += n;
    }
    out[o] = '\0';
    return o;
}

/* Whether a symlink at path (cleaned) pointing at target leads out of the
 * image; absolute targets start at the image's root. */
static int link_escapes(const char *path, size_t len, const char *target,
                        size_t tlen)
{
    long depth = 0;
    const char *p, *end, *c;
    size_t n;
    if (!(tlen && target[0] == '/'))
        for (size_t i = 0; i < len; i++)
            depth += path[i] == '/';
    for (p = target, end = target + tlen; (n = next_component(&p, end, &c));)
        if (is_dots(c, n, 2) && --depth < 0)
            return 1;
        else if (!is_dots(c, n, 1) && !is_dots(c, n, 2))
            depth++;
    return 0;
}

/* Issues of raw entry f, cleaned into e; they name the raw path. */
static enum nv_rc note_issues(struct nv_manifest *m, const struct nv_mfile *f,
                              const struct nv_mfile *e, int climbs,
                              struct nv_err *err)
{
    /* A hard link names another member: it must be a path inside. */
    int hard = f->type == NV_FT_HARDLINK;
    int escapes =
        f->link &&
        (hard ? (f->link_len && f->link[0] == '/') ||
                    link_escapes("", 0, f->link, f->link_len)
              : link_escapes(e->path, e->path_len, f->link, f->link_len));
    struct {
        int when;
        enum nv_issue_kind kind;
    } checks[] = {
        {f->path_len && f->path[0] == '/', NV_ISSUE_ABSOLUTE},
        {climbs, NV_ISSUE_CLIMBS},
        {f->type == NV_FT_CHAR || f->type == NV_FT_BLOCK, NV_ISSUE_DEVICE},
        {escapes, NV_ISSUE_LINK_ESCAPES},
        {f->content.elf_malformed, NV_ISSUE_ELF_MALFORMED},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if (checks[i].when &&
            nv_manifest_issue(m, f->path, f->path_len, checks[i].kind, err))
            return err->rc;
    return NV_OK;
}

enum nv_rc nv_manifest_add(struct nv_manifest *m, const struct nv_mfile *f,
                           struct nv_err *err)
{
    int climbs;
    char *path = nv_arena_alloc(&m->a, f->path_len + 1);
    char *link = f->link ? nv_arena_strndup(&m->a, f->link, f->link_len) : NULL;
    char *caps =
        f->caps ? nv_arena_strndup(&m->a, (const char *)f->caps, f->caps_len)
                : NULL;
    if (!path || (f->link && !link) || (f->caps && !caps) ||
        nv_array_reserve(&m->f, &m->cap, m->n + 1, sizeof *m->f))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    struct nv_mfile e = *f;
    e.caps = (const unsigned char *)caps;
    e.path = path;
    e.path_len = clean_path(f->path, f->path_len, path, &climbs);
    e.link = link;
    if (e.path_len == 0) /* the image's root directory itself */
        return NV_OK;
    if (note_issues(m, f, &e, climbs, err))
        return err->rc;
    m->f[m->n++] = e;
    m->sorted = 0;
    return NV_OK;
}

static int cmp_path(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* Pointers into the unsorted array keep the order entries were added. */
static int by_path_then_order(const void *x, const void *y)
{
    const struct nv_mfile *a = *(const struct nv_mfile *const *)x;
    const struct nv_mfile *b = *(const struct nv_mfile *const *)y;
    int c = cmp_path(a->path, a->path_len, b->path, b->path_len);
    return c ? c : (a > b) - (a < b);
}

enum nv_rc nv_manifest_finish(struct nv_manifest *m, struct nv_err *err)
{
    const struct nv_mfile **order = nv_calloc(m->n ? m->n : 1, sizeof *order);
    struct nv_mfile *sorted = nv_calloc(m->n ? m->n : 1, sizeof *sorted);
    size_t n = 0;
    enum nv_rc rc = order && sorted ? NV_OK : NV_ENOMEM;
    for (size_t i = 0; !rc && i < m->n; i++)
        order[i] = &m->f[i];
    if (!rc)
        qsort(order, m->n, sizeof *order, by_path_then_order);
    for (size_t i = 0; !rc && i < m->n; i++) {
        const struct nv_mfile *e = order[i];
        if (n && cmp_path(sorted[n - 1].path, sorted[n - 1].path_len, e->path,
                          e->path_len) == 0) {
            rc = nv_manifest_issue(m, e->path, e->path_len, NV_ISSUE_DUPLICATE,
                                   err);
            sorted[n - 1] = *e;
        } else
            sorted[n++] = *e;
    }
    nv_free(order);
    if (rc) {
        nv_free(sorted);
        return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
    }
    nv_free(m->f);
    m->f = sorted;
    m->n = n;
    m->cap = m->n ? m->n : 1;
    m->sorted = 1;
    return NV_OK;
}

const struct nv_mfile *nv_manifest_find(const struct nv_manifest *m,
                                        const char *path, size_t len)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_path(m->f[mid].path, m->f[mid].path_len, path, len);
        if (c == 0)
            return &m->f[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
