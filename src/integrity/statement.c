/*
 * statement.c - in-toto statements: writing through the JSON writer,
 * reading from the positioned tree, so every error has a place.
 */
#include "integrity/statement.h"

#include "core/alloc.h"
#include "core/json.h"
#include "core/parse.h"
#include "integrity/pathesc.h"

#include <string.h>

#define MAX_PATH_TEXT 65536

/* ---- writing ---- */

size_t nv_statement_size(const struct nv_manifest *m)
{
    size_t n = 4096; /* the build, the image, the issues */
    for (size_t i = 0; i < m->n; i++) {
        const struct nv_content *c = &m->f[i].content;
        /* the path twice (subject and file), the digest twice, the rest */
        n += 2 * m->f[i].path_len + 256;
        for (uint32_t k = 0; k < c->nsec; k++)
            n += strlen(c->sec[k].name) + 112;
    }
    return n;
}

struct out {
    struct nv_jsonw *w;
    struct nv_buf esc; /* scratch for escaped paths */
    enum nv_rc rc;
};

static void put_path(struct out *o, const char *key, const char *p, size_t n)
{
    nv_buf_reset(&o->esc);
    if (!o->rc)
        o->rc = nv_path_escape(p, n, &o->esc);
    nv_jsonw_key(o->w, key);
    nv_jsonw_str(o->w, o->esc.data);
}

static void put_digest(struct out *o, const char *key, const unsigned char *d)
{
    char hex[NV_SHA256_HEX];
    nv_hex(d, NV_SHA256_LEN, hex);
    nv_jsonw_key(o->w, key);
    nv_jsonw_str(o->w, hex);
}

static void put_str(struct out *o, const char *key, const char *s)
{
    nv_jsonw_key(o->w, key);
    nv_jsonw_str_or_null(o->w, s);
}

static void put_subjects(struct out *o, const struct nv_manifest *m)
{
    nv_jsonw_key(o->w, "subject");
    nv_jsonw_arr(o->w);
    for (size_t i = 0; i < m->n; i++) {
        if (m->f[i].type != NV_FT_FILE)
            continue;
        nv_jsonw_obj(o->w);
        put_path(o, "name", m->f[i].path, m->f[i].path_len);
        nv_jsonw_key(o->w, "digest");
        nv_jsonw_obj(o->w);
        put_digest(o, "sha256", m->f[i].content.sha256);
        nv_jsonw_obj_end(o->w);
        nv_jsonw_obj_end(o->w);
    }
    nv_jsonw_arr_end(o->w);
}

static void put_sections(struct out *o, const struct nv_content *c)
{
    nv_jsonw_key(o->w, "sections");
    nv_jsonw_arr(o->w);
    for (uint32_t i = 0; i < c->nsec; i++) {
        const struct nv_section_digest *s = &c->sec[i];
        nv_jsonw_obj(o->w);
        put_path(o, "name", s->name, strlen(s->name));
        nv_jsonw_key(o->w, "size");
        nv_jsonw_int(o->w, (int64_t)s->size);
        if (s->nobits) {
            nv_jsonw_key(o->w, "nobits");
            nv_jsonw_bool(o->w, 1);
        } else
            put_digest(o, "sha256", s->sha256);
        nv_jsonw_obj_end(o->w);
    }
    nv_jsonw_arr_end(o->w);
}

static void put_file(struct out *o, const struct nv_mfile *f)
{
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", (unsigned)f->mode);
    nv_jsonw_obj(o->w);
    put_path(o, "path", f->path, f->path_len);
    put_str(o, "type", nv_ftype_name(f->type));
    put_str(o, "mode", mode);
    nv_jsonw_key(o->w, "uid");
    nv_jsonw_int(o->w, f->uid);
    nv_jsonw_key(o->w, "gid");
    nv_jsonw_int(o->w, f->gid);
    if (f->link)
        put_path(o, "link", f->link, f->link_len);
    if (f->caps) {
        char hex[2 * NV_CAPS_MAX + 1];
        nv_hex(f->caps, f->caps_len, hex);
        put_str(o, "capability", hex);
    }
    if (f->type == NV_FT_FILE) {
        nv_jsonw_key(o->w, "size");
        nv_jsonw_int(o->w, (int64_t)f->content.size);
        put_digest(o, "sha256", f->content.sha256);
        if (f->content.nsec)
            put_sections(o, &f->content);
    }
    nv_jsonw_obj_end(o->w);
}

static void put_predicate(struct out *o, const struct nv_manifest *m)
{
    const struct nv_build_info *b = &m->build;
    nv_jsonw_key(o->w, "predicate");
    nv_jsonw_obj(o->w);
    nv_jsonw_key(o->w, "build");
    nv_jsonw_obj(o->w);
    put_str(o, "name", b->name);
    put_str(o, "version", b->version);
    put_str(o, "sourceRevision", b->revision);
    put_str(o, "toolchain", b->toolchain);
    put_str(o, "evaluator", b->evaluator);
    put_str(o, "date", b->date);
    nv_jsonw_obj_end(o->w);
    nv_jsonw_key(o->w, "image");
    nv_jsonw_obj(o->w);
    put_path(o, "name", m->image, strlen(m->image));
    put_str(o, "format", m->format);
    if (m->has_image_digest)
        put_digest(o, "sha256", m->image_sha256);
    nv_jsonw_obj_end(o->w);
    nv_jsonw_key(o->w, "files");
    nv_jsonw_arr(o->w);
    for (size_t i = 0; i < m->n; i++)
        put_file(o, &m->f[i]);
    nv_jsonw_arr_end(o->w);
    nv_jsonw_key(o->w, "issues");
    nv_jsonw_arr(o->w);
    for (size_t i = 0; i < m->nissue; i++) {
        nv_jsonw_obj(o->w);
        put_path(o, "path", m->issue[i].path, m->issue[i].path_len);
        put_str(o, "issue", nv_issue_id(m->issue[i].kind));
        nv_jsonw_obj_end(o->w);
    }
    nv_jsonw_arr_end(o->w);
    nv_jsonw_obj_end(o->w);
}

enum nv_rc nv_statement_write(const struct nv_manifest *m, FILE *out,
                              struct nv_err *err)
{
    struct out o = {nv_jsonw_new_alone(out, 0), {0}, NV_OK};
    if (!o.w)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_buf_init(&o.esc, MAX_PATH_TEXT * 3);
    nv_jsonw_obj(o.w);
    put_str(&o, "_type", NV_STATEMENT_TYPE);
    put_subjects(&o, m);
    put_str(&o, "predicateType", NV_PREDICATE_TYPE);
    put_predicate(&o, m);
    nv_jsonw_obj_end(o.w);
    enum nv_rc rc = nv_jsonw_finish(o.w, err);
    nv_jsonw_free(o.w);
    nv_buf_release(&o.esc);
    if (!rc && o.rc)
        rc = nv_err_set(err, o.rc,
                        o.rc == NV_ENOMEM ? "out of memory"
                                          : "path too long to write");
    return rc;
}

/* ---- reading ---- */

struct in {
    struct nv_json_doc d;
    struct nv_manifest *m;
    struct nv_buf scratch;
};

#define BAD(in, at, err, ...)                                                  \
    nv_json_error_at(err, NV_EPARSE, (in)->d.text, (in)->d.len, (in)->d.name,  \
                     (at)->off, __VA_ARGS__)

static enum nv_rc read_path(struct in *in, const struct nv_json *v,
                            const char **path, size_t *n, struct nv_err *err)
{
    nv_buf_reset(&in->scratch);
    enum nv_rc rc = nv_path_unescape(v->u.str, v->len, &in->scratch);
    if (rc == NV_ENOMEM)
        return nv_err_set(err, rc, "out of memory");
    if (rc)
        return BAD(in, v, err, "badly escaped path");
    char *copy = nv_arena_strndup(&in->m->a, in->scratch.data, in->scratch.len);
    if (!copy)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    *path = copy;
    *n = in->scratch.len;
    return NV_OK;
}

static enum nv_rc read_digest(const struct in *in, const struct nv_json *o,
                              unsigned char *out, struct nv_err *err)
{
    const struct nv_json *v;
    if (nv_json_member(&in->d, o, "sha256", NV_JSON_STRING, 1, &v, err))
        return err->rc;
    if (nv_unhex(v->u.str, v->len, out, NV_SHA256_LEN, NULL))
        return BAD(in, v, err, "a SHA-256 digest is 64 hex digits");
    return NV_OK;
}

static enum nv_rc read_number(const struct in *in, const struct nv_json *o,
                              const char *key, int64_t max, int64_t *out,
                              struct nv_err *err)
{
    const struct nv_json *v;
    if (nv_json_member(&in->d, o, key, NV_JSON_NUMBER, 1, &v, err))
        return err->rc;
    if (nv_parse_i64(v->u.str, v->len, 0, max, out))
        return BAD(in, v, err, "\"%s\" must be a whole number from 0 to %lld",
                   key, (long long)max);
    return NV_OK;
}

static enum nv_rc read_section(struct in *in, const struct nv_json *o,
                               struct nv_section_digest *s, struct nv_err *err)
{
    const struct nv_json *name, *nobits;
    size_t len;
    int64_t size;
    if (o->type != NV_JSON_OBJECT)
        return BAD(in, o, err, "a section must be an object");
    if (nv_json_member(&in->d, o, "name", NV_JSON_STRING, 1, &name, err) ||
        read_path(in, name, &s->name, &len, err) ||
        read_number(in, o, "size", INT64_MAX, &size, err) ||
        nv_json_member(&in->d, o, "nobits", NV_JSON_TRUE, 0, &nobits, err))
        return err->rc;
    s->size = (uint64_t)size;
    s->nobits = nobits != NULL;
    return s->nobits ? NV_OK : read_digest(in, o, s->sha256, err);
}

static enum nv_rc read_content(struct in *in, const struct nv_json *o,
                               struct nv_content *c, struct nv_err *err)
{
    const struct nv_json *secs;
    int64_t size;
    if (read_number(in, o, "size", INT64_MAX, &size, err) ||
        read_digest(in, o, c->sha256, err) ||
        nv_json_member(&in->d, o, "sections", NV_JSON_ARRAY, 0, &secs, err))
        return err->rc;
    c->size = (uint64_t)size;
    if (!secs || secs->len == 0)
        return NV_OK;
    c->sec = nv_arena_calloc(&in->m->a, secs->len, sizeof *c->sec);
    if (!c->sec)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < secs->len; i++)
        if (read_section(in, &secs->u.items[i], &c->sec[i], err))
            return err->rc;
    c->nsec = (uint32_t)secs->len;
    return NV_OK;
}

static enum nv_rc read_mode(const struct in *in, const struct nv_json *o,
                            uint32_t *mode, struct nv_err *err)
{
    const struct nv_json *v;
    uint32_t m = 0;
    if (nv_json_member(&in->d, o, "mode", NV_JSON_STRING, 1, &v, err))
        return err->rc;
    for (size_t i = 0; i < v->len; i++)
        if (v->u.str[i] < '0' || v->u.str[i] > '7' || v->len > 6 ||
            (m = m * 8 + (uint32_t)(v->u.str[i] - '0')) > 07777)
            return BAD(in, v, err, "\"mode\" must be octal, at most 7777");
    if (v->len == 0)
        return BAD(in, v, err, "\"mode\" must be octal, at most 7777");
    *mode = m;
    return NV_OK;
}

static enum nv_rc read_type(const struct in *in, const struct nv_json *o,
                            enum nv_ftype *type, struct nv_err *err)
{
    const struct nv_json *v;
    if (nv_json_member(&in->d, o, "type", NV_JSON_STRING, 1, &v, err))
        return err->rc;
    int t = nv_ftype_parse(v->u.str);
    if (t < 0)
        return BAD(in, v, err, "unknown file type \"%s\"", v->u.str);
    *type = (enum nv_ftype)t;
    return NV_OK;
}

/* File capabilities: hex of at most NV_CAPS_MAX bytes, if present. */
static enum nv_rc read_caps(struct in *in, const struct nv_json *o,
                            struct nv_mfile *f, struct nv_err *err)
{
    const struct nv_json *v;
    unsigned char *caps;
    if (nv_json_member(&in->d, o, "capability", NV_JSON_STRING, 0, &v, err))
        return err->rc;
    if (!v)
        return NV_OK;
    if (v->len == 0 || v->len % 2 || v->len > 2 * NV_CAPS_MAX)
        return BAD(in, v, err, "\"capability\" must be 1 to %d bytes in hex",
                   NV_CAPS_MAX);
    if (!(caps = nv_arena_alloc(&in->m->a, v->len / 2)))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (nv_unhex(v->u.str, v->len, caps, v->len / 2, NULL))
        return BAD(in, v, err, "\"capability\" must be hex");
    f->caps = caps;
    f->caps_len = v->len / 2;
    return NV_OK;
}

static enum nv_rc read_entry(struct in *in, const struct nv_json *o,
                             struct nv_err *err)
{
    struct nv_mfile f = {0};
    const struct nv_json *path, *link;
    int64_t uid, gid;
    if (o->type != NV_JSON_OBJECT)
        return BAD(in, o, err, "a file must be an object");
    if (nv_json_member(&in->d, o, "path", NV_JSON_STRING, 1, &path, err) ||
        read_path(in, path, &f.path, &f.path_len, err) ||
        read_type(in, o, &f.type, err) || read_mode(in, o, &f.mode, err) ||
        read_number(in, o, "uid", UINT32_MAX, &uid, err) ||
        read_number(in, o, "gid", UINT32_MAX, &gid, err) ||
        nv_json_member(&in->d, o, "link", NV_JSON_STRING, 0, &link, err) ||
        (link && read_path(in, link, &f.link, &f.link_len, err)) ||
        read_caps(in, o, &f, err) ||
        (f.type == NV_FT_FILE && read_content(in, o, &f.content, err)))
        return err->rc;
    if (f.path_len == 0)
        return BAD(in, path, err, "empty path");
    f.uid = (uint32_t)uid;
    f.gid = (uint32_t)gid;
    struct nv_manifest *m = in->m;
    if (nv_array_reserve(&m->f, &m->cap, m->n + 1, sizeof *m->f))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    m->f[m->n++] = f;
    return NV_OK;
}

static enum nv_rc read_issue(struct in *in, const struct nv_json *o,
                             struct nv_err *err)
{
    const struct nv_json *path, *kind;
    const char *p;
    size_t n;
    if (o->type != NV_JSON_OBJECT)
        return BAD(in, o, err, "an issue must be an object");
    if (nv_json_member(&in->d, o, "path", NV_JSON_STRING, 1, &path, err) ||
        nv_json_member(&in->d, o, "issue", NV_JSON_STRING, 1, &kind, err) ||
        read_path(in, path, &p, &n, err))
        return err->rc;
    int k = nv_issue_parse(kind->u.str);
    if (k < 0)
        return BAD(in, kind, err, "unknown issue \"%s\"", kind->u.str);
    return nv_manifest_issue(in->m, p, n, (enum nv_issue_kind)k, err);
}

/* An optional string member, copied into the manifest (NULL if absent). */
static enum nv_rc read_text(struct in *in, const struct nv_json *o,
                            const char *key, const char **out,
                            struct nv_err *err)
{
    const struct nv_json *v;
    *out = NULL;
    if (nv_json_member(&in->d, o, key, NV_JSON_STRING, 0, &v, err))
        return err->rc;
    if (v && !(*out = nv_arena_strndup(&in->m->a, v->u.str, v->len)))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    return NV_OK;
}

static enum nv_rc read_build(struct in *in, const struct nv_json *p,
                             struct nv_err *err)
{
    const struct nv_json *b, *img;
    struct nv_build_info *i = &in->m->build;
    size_t n;
    if (nv_json_member(&in->d, p, "build", NV_JSON_OBJECT, 1, &b, err) ||
        read_text(in, b, "name", &i->name, err) ||
        read_text(in, b, "version", &i->version, err) ||
        read_text(in, b, "sourceRevision", &i->revision, err) ||
        read_text(in, b, "toolchain", &i->toolchain, err) ||
        read_text(in, b, "evaluator", &i->evaluator, err) ||
        read_text(in, b, "date", &i->date, err) ||
        nv_json_member(&in->d, p, "image", NV_JSON_OBJECT, 1, &img, err) ||
        read_text(in, img, "format", &in->m->format, err))
        return err->rc;
    const struct nv_json *name = nv_json_get(img, "name");
    if (name && name->type == NV_JSON_STRING &&
        read_path(in, name, &in->m->image, &n, err))
        return err->rc;
    if (nv_json_get(img, "sha256")) {
        in->m->has_image_digest = 1;
        return read_digest(in, img, in->m->image_sha256, err);
    }
    return NV_OK;
}

/* Each element of array member key of o, through fn. */
static enum nv_rc read_array(
    struct in *in, const struct nv_json *o, const char *key,
    enum nv_rc (*fn)(struct in *, const struct nv_json *, struct nv_err *),
    struct nv_err *err)
{
    const struct nv_json *a;
    if (nv_json_member(&in->d, o, key, NV_JSON_ARRAY, 1, &a, err))
        return err->rc;
    for (size_t i = 0; i < a->len; i++)
        if (fn(in, &a->u.items[i], err))
            return err->rc;
    return NV_OK;
}

/* Every subject is a regular file of the predicate with the same digest,
 * and every regular file is a subject. */
static enum nv_rc check_subjects(struct in *in, const struct nv_json *subj,
                                 struct nv_err *err)
{
    size_t files = 0;
    for (size_t i = 0; i < in->m->n; i++)
        files += in->m->f[i].type == NV_FT_FILE;
    for (size_t i = 0; i < subj->len; i++) {
        const struct nv_json *s = &subj->u.items[i], *name, *digest;
        unsigned char d[NV_SHA256_LEN];
        const char *p;
        size_t n;
        if (s->type != NV_JSON_OBJECT)
            return BAD(in, s, err, "a subject must be an object");
        if (nv_json_member(&in->d, s, "name", NV_JSON_STRING, 1, &name, err) ||
            read_path(in, name, &p, &n, err) ||
            nv_json_member(&in->d, s, "digest", NV_JSON_OBJECT, 1, &digest,
                           err) ||
            read_digest(in, digest, d, err))
            return err->rc;
        const struct nv_mfile *f = nv_manifest_find(in->m, p, n);
        if (!f || f->type != NV_FT_FILE ||
            memcmp(f->content.sha256, d, sizeof d) != 0)
            return BAD(in, s, err, "subject disagrees with the files");
    }
    if (subj->len != files)
        return BAD(in, subj, err, "%zu subjects for %zu files", subj->len,
                   files);
    return NV_OK;
}

static enum nv_rc read_root(struct in *in, const struct nv_json *root,
                            struct nv_err *err)
{
    const struct nv_json *type, *ptype, *pred, *subj;
    if (root->type != NV_JSON_OBJECT)
        return BAD(in, root, err, "a statement must be an object");
    if (nv_json_member(&in->d, root, "_type", NV_JSON_STRING, 1, &type, err) ||
        nv_json_member(&in->d, root, "predicateType", NV_JSON_STRING, 1, &ptype,
                       err) ||
        nv_json_member(&in->d, root, "subject", NV_JSON_ARRAY, 1, &subj, err) ||
        nv_json_member(&in->d, root, "predicate", NV_JSON_OBJECT, 1, &pred,
                       err))
        return err->rc;
    if (strcmp(type->u.str, NV_STATEMENT_TYPE) != 0)
        return BAD(in, type, err, "not an in-toto Statement v1");
    if (strcmp(ptype->u.str, NV_PREDICATE_TYPE) != 0)
        return BAD(in, ptype, err, "predicate type is not %s",
                   NV_PREDICATE_TYPE);
    size_t issues_before;
    if (read_build(in, pred, err) ||
        read_array(in, pred, "files", read_entry, err) ||
        read_array(in, pred, "issues", read_issue, err))
        return err->rc;
    issues_before = in->m->nissue;
    if (nv_manifest_finish(in->m, err))
        return err->rc;
    if (in->m->nissue != issues_before)
        return BAD(in, pred, err, "a path is listed twice");
    return check_subjects(in, subj, err);
}

enum nv_rc nv_statement_read(const char *text, size_t len, const char *name,
                             struct nv_manifest *m, struct nv_err *err)
{
    struct nv_arena a;
    struct nv_json *root = NULL;
    struct in in = {{text, name, len}, m, {0}};
    nv_arena_init(&a);
    nv_buf_init(&in.scratch, MAX_PATH_TEXT);
    enum nv_rc rc = nv_json_parse(text, len, name, &a, &root, err);
    if (!rc)
        rc = read_root(&in, root, err);
    nv_arena_release(&a);
    nv_buf_release(&in.scratch);
    return rc;
}
