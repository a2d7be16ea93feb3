/*
 * json.c - a positioned JSON tree over yajl's parser, and yajl's generator.
 *
 * yajl reports each token through a callback; inside a callback
 * yajl_get_bytes_consumed() is the offset just past that token, from which
 * the token's start is recovered.  Children of open containers collect in
 * one scratch vector (a member per child; array children have no key) and
 * move into the arena when the container closes, so each value costs one
 * copy and no per-container heap allocation.
 */
#include "core/json.h"

#include "core/alloc.h"
#include "core/parse.h"
#include "core/strmap.h"
#include "core/version.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

struct frame {
    enum nv_json_type type; /* NV_JSON_ARRAY or NV_JSON_OBJECT */
    size_t off;
    size_t first; /* index in scratch of the first child */
};

struct half;

struct parser {
    yajl_handle h;
    const char *text, *name;
    size_t len;
    struct nv_arena *a;    /* values */
    struct nv_arena *keys; /* root members' keys (outlive items) */
    struct nv_err *err;
    struct frame stack[NV_JSON_MAX_DEPTH];
    int depth;
    struct nv_json_member *scratch;
    size_t nscratch, cap;
    struct nv_json root;
    nv_json_item_fn fn; /* streaming when set */
    void *ctx;
    int64_t index; /* next element index of a streamed array */
    size_t base;   /* offset of the bytes yajl is given now */
    size_t fed;    /* offset just past them */
    const struct nv_json_split *split;
    struct half *half; /* the second half being read, if any */
    size_t mid;        /* where it starts, once known (0: not yet) */
    int skip;          /* a second half's placeholder element is next */
    int second;        /* reading a second half: stop where it ends */
    size_t closed;     /* where a second half's array ended */
    size_t chunk;      /* bytes given to yajl at a time */
    size_t start;      /* where the document starts (after a BOM) */
};

const char *nv_json_type_name(enum nv_json_type t)
{
    static const char *const names[] = {"null",     "false",    "true",
                                        "a number", "a string", "an array",
                                        "an object"};
    return names[t];
}

enum nv_rc nv_json_error_at(struct nv_err *err, enum nv_rc rc, const char *text,
                            size_t len, const char *name, size_t off,
                            const char *fmt, ...)
{
    unsigned long line, col;
    va_list ap;

    nv_text_pos(text, len, off, &line, &col);
    nv_err_at(err, rc, name, line, col, "%s", "");
    if (err) {
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

enum nv_rc nv_json_member(const struct nv_json_doc *d, const struct nv_json *o,
                          const char *key, enum nv_json_type t, int required,
                          const struct nv_json **out, struct nv_err *err)
{
    const struct nv_json *v = nv_json_get(o, key);

    *out = NULL;
    if ((!v || v->type == NV_JSON_NULL) && !required)
        return NV_OK;
    if (!v)
        return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                o->off, "\"%s\" is missing", key);
    if (v->type != t)
        return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                v->off, "\"%s\" must be %s", key,
                                nv_json_type_name(t));
    *out = v;
    return NV_OK;
}

/* Offset just past the token yajl is reporting. */
static size_t token_end(const struct parser *p)
{
    return p->base + yajl_get_bytes_consumed(p->h);
}

/* Start of the string token that ends just before end (its closing quote
 * is at end - 1): the nearest earlier quote not escaped by a backslash. */
static size_t string_start(const struct parser *p, size_t end)
{
    size_t i = end - 1;

    while (i-- > 0) {
        size_t bs = 0;
        if (p->text[i] != '"')
            continue;
        while (bs < i && p->text[i - 1 - bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            return i;
    }
    return 0;
}

static int fail(struct parser *p, enum nv_rc rc, size_t off, const char *msg)
{
    nv_json_error_at(p->err, rc, p->text, p->len, p->name, off, "%s", msg);
    return 0;
}

static int push_scratch(struct parser *p, const char *key, size_t klen,
                        size_t koff)
{
    struct nv_json_member *m;

    if (p->nscratch == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        m = nv_reallocarray(p->scratch, cap, sizeof *m);
        if (!m)
            return fail(p, NV_ENOMEM, token_end(p), "out of memory");
        p->scratch = m;
        p->cap = cap;
    }
    m = &p->scratch[p->nscratch++];
    m->key = key;
    m->klen = klen;
    m->koff = koff;
    return 1;
}

/* Hand a finished element or root member to the streaming callback. */
static int deliver(struct parser *p, const struct nv_json *v)
{
    const struct frame *top = &p->stack[p->depth - 1];
    const struct nv_json_member *m;
    enum nv_rc rc;

    if (top->type == NV_JSON_ARRAY && p->skip) {
        p->skip = 0; /* the placeholder a second half starts after */
        nv_arena_reset(p->a);
        return 1;
    }
    if (top->type == NV_JSON_ARRAY) {
        m = &p->scratch[top->first - 1];
        rc = p->fn(p->ctx, m->key, p->index++, v, p->err);
    } else if (v->type == NV_JSON_ARRAY) {
        p->nscratch--; /* its elements went out one by one */
        return 1;
    } else {
        m = &p->scratch[p->nscratch - 1];
        rc = p->fn(p->ctx, m->key, -1, v, p->err);
        p->nscratch--;
    }
    nv_arena_reset(p->a);
    if (rc && p->err && !p->err->rc)
        nv_err_set(p->err, rc, "%s", nv_strerror(rc));
    return rc == NV_OK;
}

/* Place a complete value: root, member value, or array element. */
static int add_value(struct parser *p, const struct nv_json *v)
{
    const struct frame *top;

    if (p->depth == 0) {
        p->root = *v;
        return 1;
    }
    top = &p->stack[p->depth - 1];
    if (p->fn &&
        (p->depth == 1 || (p->depth == 2 && top->type == NV_JSON_ARRAY)))
        return deliver(p, v);
    if (top->type == NV_JSON_ARRAY && !push_scratch(p, NULL, 0, 0))
        return 0;
    p->scratch[p->nscratch - 1].val = *v;
    return 1;
}

static int on_scalar(struct parser *p, enum nv_json_type t, size_t off,
                     const char *s, size_t n)
{
    struct nv_json v = {t, off, n, {NULL}};

    if (s) {
        v.u.str = nv_arena_strndup(p->a, s, n);
        if (!v.u.str)
            return fail(p, NV_ENOMEM, off, "out of memory");
    }
    return add_value(p, &v);
}

static int cb_null(void *ctx)
{
    struct parser *p = ctx;
    return on_scalar(p, NV_JSON_NULL, token_end(p) - 4, NULL, 0);
}

static int cb_bool(void *ctx, int b)
{
    struct parser *p = ctx;
    return on_scalar(p, b ? NV_JSON_TRUE : NV_JSON_FALSE,
                     token_end(p) - (b ? 4 : 5), NULL, 0);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    struct parser *p = ctx;
    return on_scalar(p, NV_JSON_NUMBER, token_end(p) - n, s, n);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    struct parser *p = ctx;
    return on_scalar(p, NV_JSON_STRING, string_start(p, token_end(p)),
                     (const char *)s, n);
}

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
    struct parser *p = ctx;
    size_t off = string_start(p, token_end(p));
    struct nv_arena *a = p->fn && p->depth == 1 ? p->keys : p->a;
    char *key = nv_arena_strndup(a, (const char *)s, n);

    if (!key)
        return fail(p, NV_ENOMEM, off, "out of memory");
    return push_scratch(p, key, n, off);
}

static void maybe_split(struct parser *p, size_t open);

static int open_container(struct parser *p, enum nv_json_type t)
{
    size_t off = token_end(p) - 1;
    struct frame *f;

    if (p->depth == NV_JSON_MAX_DEPTH)
        return fail(p, NV_ELIMIT, off, "nesting deeper than 64 levels");
    if (p->fn && p->depth == 0 && t != NV_JSON_OBJECT)
        return fail(p, NV_EPARSE, off, "expected an object at the top");
    f = &p->stack[p->depth++];
    f->type = t;
    f->off = off;
    f->first = p->nscratch;
    if (p->fn && p->depth == 2 && t == NV_JSON_ARRAY) {
        p->index = 0;
        maybe_split(p, off);
    }
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, NV_JSON_OBJECT);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, NV_JSON_ARRAY);
}

static int duplicate(struct parser *p, const struct nv_json_member *m)
{
    return nv_json_error_at(p->err, NV_EDUP, p->text, p->len, p->name, m->koff,
                            "duplicate key \"%s\"", m->key) == NV_OK;
}

/* Duplicate keys make a document ambiguous; refuse them.  Records have a
 * handful of keys, where comparing pairs beats hashing. */
static int check_duplicates(struct parser *p, const struct nv_json_member *m,
                            size_t n)
{
    struct nv_strmap seen;
    uint32_t v;
    int found = 0, ok = 1;

    for (size_t i = 1; i < n && n <= 16; i++)
        for (size_t k = 0; k < i; k++)
            if (m[i].klen == m[k].klen &&
                memcmp(m[i].key, m[k].key, m[i].klen) == 0)
                return duplicate(p, &m[i]);
    if (n <= 16)
        return 1;
    nv_strmap_init(&seen);
    for (size_t i = 0; i < n && ok; i++) {
        if (nv_strmap_put(&seen, m[i].key, m[i].klen, 0, &v, &found))
            ok = fail(p, NV_ENOMEM, m[i].koff, "out of memory");
        else if (found)
            ok = duplicate(p, &m[i]);
    }
    nv_strmap_release(&seen);
    return ok;
}

static int cb_end(void *ctx)
{
    struct parser *p = ctx;
    struct frame f;

    if (p->second && p->depth == 2) {
        p->closed = token_end(p) - 1; /* a second half ends here */
        return 0;
    }
    f = p->stack[--p->depth];
    size_t n = p->nscratch - f.first;
    const struct nv_json_member *kids = n ? p->scratch + f.first : NULL;
    struct nv_json v = {f.type, f.off, n, {NULL}};

    if (f.type == NV_JSON_OBJECT) {
        if (n > 1 && !check_duplicates(p, kids, n))
            return 0;
        v.u.members = nv_arena_alloc(p->a, n * sizeof *kids);
        if (n && !v.u.members)
            return fail(p, NV_ENOMEM, f.off, "out of memory");
        if (n)
            memcpy(v.u.members, kids, n * sizeof *kids);
    } else {
        v.u.items = nv_arena_calloc(p->a, n, sizeof *v.u.items);
        if (n && !v.u.items)
            return fail(p, NV_ENOMEM, f.off, "out of memory");
        for (size_t i = 0; i < n; i++)
            v.u.items[i] = kids[i].val;
    }
    p->nscratch = f.first;
    return add_value(p, &v);
}

static const yajl_callbacks callbacks = {
    cb_null,      cb_bool, NULL,   NULL,           cb_number, cb_string,
    cb_start_map, cb_key,  cb_end, cb_start_array, cb_end,
};

/*
 * The handle of a syntax check of the whole text given to yajl in one
 * piece, and where it found its error (*off); NULL if it found none.  A
 * read in pieces meets the same first error, but yajl places one in a
 * token that began in an earlier piece differently: the read in one
 * piece says where it is.
 */
static yajl_handle whole_error(const struct parser *p, size_t *off)
{
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    const unsigned char *text = (const unsigned char *)p->text + p->start;
    yajl_status st =
        h ? yajl_parse(h, text, p->len - p->start) : yajl_status_ok;

    *off = p->start + (h ? yajl_get_bytes_consumed(h) : 0);
    if (st == yajl_status_ok && h) {
        st = yajl_complete_parse(h);
        *off = p->len; /* the final call has seen no bytes */
    }
    if (st == yajl_status_error)
        return h;
    if (h)
        yajl_free(h);
    return NULL;
}

/* Turn yajl's verdict into ours; our own callbacks already set err. */
static enum nv_rc finish_parse(struct parser *p, yajl_status st, int at_end)
{
    yajl_handle h = NULL;
    unsigned char *msg;
    size_t off;
    char *nl;

    if (st == yajl_status_ok)
        return NV_OK;
    if (st == yajl_status_client_canceled)
        return p->err && p->err->rc ? p->err->rc : NV_EPARSE;
    if (!p->second && p->base > p->start)
        h = whole_error(p, &off);
    /* yajl counts bytes per call; the final call has seen none. */
    if (!h)
        off = at_end ? p->len : token_end(p);
    msg = h ? yajl_get_error(h, 0, (const unsigned char *)p->text + p->start,
                             p->len - p->start)
            : yajl_get_error(p->h, 0, (const unsigned char *)p->text + p->base,
                             p->fed - p->base);
    nl = msg ? strchr((char *)msg, '\n') : NULL;
    if (nl)
        *nl = '\0';
    nv_json_error_at(p->err, NV_EPARSE, p->text, p->len, p->name, off,
                     "malformed JSON: %s", msg ? (char *)msg : "error");
    if (msg)
        yajl_free_error(h ? h : p->h, msg);
    if (h)
        yajl_free(h);
    return NV_EPARSE;
}

/* ---- reading a large array in two halves ---- */

/* Documents smaller than this are read on one thread; larger ones are
 * given to yajl a piece of this size at a time, so that the reading can
 * stop where a second half begins. */
#define SPLIT_MIN ((size_t)1 << 20)

/* The longest key of an array that is split. */
#define SPLIT_KEY 64

#ifdef NV_TESTING
static size_t forced; /* where to split every array, when not 0 */

void nv_json_split_at(size_t off)
{
    forced = off;
}
#else
static const size_t forced = 0;
#endif

/* How far apart the places a scan of an array notes are: where the
 * second scan (for the boundary) starts from, and how often the first
 * tells the reader how far it may go. */
#define MARK_STEP ((size_t)1 << 20)

/* Where a scan of an array stands: the next byte to look at, how deep,
 * and how many commas between elements it passed. */
struct scan {
    size_t at;
    long depth;
    int64_t commas;
};

/* The elements after mid (a comma) of a root array, read by a parser of
 * their own that starts as if it had read open and stops where the array
 * ends.  Until the scan for mid ends, the first half is read no further
 * than safe, where mid will not be before. */
struct half {
    struct parser p;
    struct nv_arena items, keys;
    struct nv_err err;
    enum nv_rc rc;
    size_t from;        /* the array's start */
    size_t asked;       /* where a test asks mid to be, or 0 */
    size_t mid;         /* 0: the array is not split */
    int64_t n1, n;      /* elements before mid, and in all */
    void *ctx;          /* the split's context for them */
    struct scan *marks; /* the first scan's notes, one a MARK_STEP */
    size_t nmarks, cap;
    pthread_t tid;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t safe;               /* the first half may be read this far */
    size_t reached;            /* the end of the piece it reads */
    int scanned;               /* mid, n1 and n are known */
    int go;                    /* 1: read the second half; -1: do not */
    char open[SPLIT_KEY + 16]; /* {"key":[0, */
};

/* Whether the element before the comma at text[i] ends in a quote or a
 * bracket: yajl tells where a number or a word ends only by the byte
 * after it, which would lie in the other half. */
static int ends_closed(const char *text, size_t open, size_t i)
{
    while (i > open && memchr(" \t\r\n", text[i - 1], 4))
        i--;
    return i > open && memchr("\"]}", text[i - 1], 3);
}

/* The end of the string whose opening quote is at text[i]: its closing
 * quote, or len. */
static size_t skip_string(const char *text, size_t len, size_t i)
{
    for (;;) {
        const char *q = memchr(text + i + 1, '"', len - i - 1);
        size_t bs = 0;
        if (!q)
            return len;
        i = (size_t)(q - text);
        while (text[i - 1 - bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            return i;
    }
}

/*
 * Scan on from s to the first comma between elements of the array at or
 * after target (one the element before ends closed at, if closed is set)
 * and return it, with s just past it; or return 0 where the array ends
 * (s->at is then its closing bracket) or the text does.  Strings are
 * skipped as JSON lexes them, so wherever yajl accepts the text up to the
 * comma, the two agree.
 */
static size_t scan_to(const char *text, size_t len, size_t open, struct scan *s,
                      size_t target, int closed)
{
    static const unsigned char structure[256] = {
        ['"'] = 1, ['['] = 1, ['{'] = 1, [']'] = 1, ['}'] = 1, [','] = 1};

    for (size_t i = s->at; i < len; i++) {
        if (!structure[(unsigned char)text[i]])
            continue;
        if (text[i] == '"') {
            i = skip_string(text, len, i);
        } else if (text[i] == '[' || text[i] == '{') {
            s->depth++;
        } else if (text[i] != ',') {
            if (--s->depth == 0) {
                s->at = i;
                return 0;
            }
        } else if (s->depth == 1) {
            s->commas++;
            if (i >= target && (!closed || ends_closed(text, open, i))) {
                s->at = i + 1;
                return i;
            }
        }
    }
    s->at = len;
    return 0;
}

/* Let the first half's reader go as far as safe. */
static void allow(struct half *h, size_t safe)
{
    pthread_mutex_lock(&h->lock);
    if (safe > h->safe)
        h->safe = safe;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

/* Scan the whole array, noting where the scan stood a MARK_STEP apart and
 * letting the first half's reader on meanwhile (unless a test asked where
 * to split): mid will lie at least half way from the array's start to
 * where the scan is.  Return where the array ends, or 0; count its
 * elements. */
static size_t scan_array(struct half *h)
{
    const struct parser *p = &h->p;
    struct scan s = {h->from, 0, 0};
    size_t comma;

    while ((comma = scan_to(p->text, p->len, h->from, &s, s.at + MARK_STEP,
                            0)) != 0) {
        if (!nv_array_reserve(&h->marks, &h->cap, h->nmarks + 1,
                              sizeof *h->marks))
            h->marks[h->nmarks++] = s;
        if (!h->asked)
            allow(h, h->from + (comma - h->from) / 2);
    }
    h->n = s.commas + 1; /* if split, the array has elements */
    return s.at < p->len ? s.at : 0;
}

/*
 * Where the second half starts: the first comma between elements, after
 * which the element ends closed, half way through what is left for the
 * first half's reader when the scan ends (past the piece it reads), so
 * that the two halves take about as long; 0 when what is left is too
 * small to share.  *n1 receives the number of elements before it.
 */
static size_t boundary(struct half *h, size_t end)
{
    struct scan s = {h->from, 0, 0};
    size_t target, reached, mid;

    pthread_mutex_lock(&h->lock);
    reached = h->reached;
    pthread_mutex_unlock(&h->lock);
    if (h->asked)
        target = h->asked > reached ? h->asked : reached;
    else if (end > reached && end - reached >= 2 * SPLIT_MIN)
        target = reached + (end - reached) / 2;
    else
        return 0;
    allow(h, target);
    for (size_t i = h->nmarks; i-- > 0;)
        if (h->marks[i].at <= target) {
            s = h->marks[i];
            break;
        }
    mid = scan_to(h->p.text, h->p.len, h->from, &s, target, 1);
    h->n1 = s.commas;
    return mid;
}

static void parse_half(struct half *h)
{
    struct parser *p = &h->p;
    yajl_status st;
    int at_end = 0;

    p->h = yajl_alloc(&callbacks, NULL, p);
    if (!p->h) {
        h->rc = nv_err_set(&h->err, NV_ENOMEM, "out of memory");
        return;
    }
    /* The placeholder's offsets fall before mid, inside the text. */
    st = yajl_parse(p->h, (const unsigned char *)h->open, strlen(h->open));
    p->index = h->n1;
    p->base = h->mid + 1;
    p->fed = p->len;
    if (st == yajl_status_ok)
        st = yajl_parse(p->h, (const unsigned char *)p->text + p->base,
                        p->len - p->base);
    if (st == yajl_status_ok) {
        st = yajl_complete_parse(p->h);
        at_end = 1;
    }
    h->rc = p->closed ? NV_OK : finish_parse(p, st, at_end);
    yajl_free(p->h);
    nv_free(p->scratch);
}

/* Find where the second half starts, say so, and read it when told to:
 * the scans are done here, while the first half is being read. */
static void *read_half(void *arg)
{
    struct half *h = arg;
    size_t end = scan_array(h);
    size_t mid = end ? boundary(h, end) : 0;
    int go;

    pthread_mutex_lock(&h->lock);
    h->mid = mid > sizeof h->open ? mid : 0;
    h->scanned = 1;
    pthread_cond_signal(&h->cond);
    while (h->mid && !h->go)
        pthread_cond_wait(&h->cond, &h->lock);
    go = h->mid && h->go > 0;
    pthread_mutex_unlock(&h->lock);
    if (go)
        parse_half(h);
    return NULL;
}

/* Tell the second half's thread whether to read it (go > 0), once. */
static void start(struct half *h, int go)
{
    pthread_mutex_lock(&h->lock);
    if (!h->go)
        h->go = go;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

/* Start reading the second half of the array opening at text[open],
 * when it is worth it and the split's owner wants it. */
static void maybe_split(struct parser *p, size_t open)
{
    const struct nv_json_member *k = &p->scratch[p->nscratch - 1];
    struct half *h;
    void *ctx;

    if (!p->split || p->second || p->half || k->klen > SPLIT_KEY ||
        (p->len < SPLIT_MIN && !forced))
        return;
    ctx = p->split->begin(p->ctx, k->key);
    h = ctx ? nv_calloc(1, sizeof *h) : NULL;
    if (!h) {
        if (ctx)
            (void)!p->split->end(p->ctx, ctx, 0, NULL);
        return;
    }
    nv_arena_init(&h->items);
    nv_arena_init(&h->keys);
    h->p = (struct parser){.text = p->text,
                           .len = p->len,
                           .name = p->name,
                           .a = &h->items,
                           .keys = &h->keys,
                           .err = &h->err,
                           .fn = p->fn,
                           .ctx = ctx,
                           .skip = 1,
                           .second = 1};
    h->from = open;
    h->asked = forced;
    h->safe = forced ? forced : open;
    h->reached = p->fed; /* the piece being read goes on past open */
    h->ctx = ctx;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    snprintf(h->open, sizeof h->open, "{\"%s\":[0,", k->key);
    p->half = h;
    h->started = pthread_create(&h->tid, NULL, read_half, h) == 0;
    if (!h->started)
        read_half(h);
}

/* Wait for the second half and hand it to the split's owner: to keep
 * when the first half ended in its place (first_ok), which may then find
 * an error before the second half's own; then, when the second half was
 * read whole, *at is where the array ends. */
static enum nv_rc join_half(struct parser *p, int first_ok, size_t *at)
{
    struct half *h = p->half;
    enum nv_rc rc;

    start(h, -1);
    if (h->started)
        pthread_join(h->tid, NULL);
    p->half = NULL;
    p->mid = 0;
    first_ok = first_ok && p->index == h->n1;
    rc = p->split->end(p->ctx, h->ctx, first_ok, p->err);
    if (!rc && first_ok && h->rc && p->err)
        *p->err = h->err;
    if (!rc && first_ok)
        rc = h->rc;
    if (!rc && first_ok)
        *at = h->p.closed;
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    nv_arena_release(&h->items);
    nv_arena_release(&h->keys);
    nv_free(h->marks);
    nv_free(h);
    return rc;
}

/*
 * Where the piece given to yajl from at ends: a chunk on, after the next
 * line break within a chunk more (no token spans a line break: a string
 * holding one is an error there), else two chunks on (a compact document
 * has none: a token may then span two pieces, which yajl reads as one),
 * or stop.
 */
static size_t piece_end(const struct parser *p, size_t at, size_t stop)
{
    size_t from = at + p->chunk, span;
    const char *nl;

    if (stop - at <= p->chunk)
        return stop;
    span = stop - from < p->chunk ? stop - from : p->chunk;
    nl = memchr(p->text + from, '\n', span);
    return nl ? (size_t)(nl - p->text) + 1 : from + span;
}

/* Where the piece from at may end while a second half is being read: as
 * it will while it ends where the second half's scan allows, else where
 * the second half starts, once the scan has found it and its owner has
 * made room for it; when the array is not split after all, it is read on
 * here. */
static size_t stop_for_half(struct parser *p, size_t at)
{
    struct half *h = p->half;
    size_t end = piece_end(p, at, p->len);
    int scanned;

    if (p->mid)
        return p->mid;
    pthread_mutex_lock(&h->lock);
    while (!h->scanned && end > h->safe)
        pthread_cond_wait(&h->cond, &h->lock);
    scanned = h->scanned;
    if (!scanned)
        h->reached = end;
    pthread_mutex_unlock(&h->lock);
    if (!scanned)
        return p->len;
    if (h->mid && p->split->sized(p->ctx, h->ctx, h->n1, h->n) == NV_OK) {
        start(h, 1);
        p->mid = h->mid;
        return p->mid;
    }
    (void)join_half(p, 0, &at);
    return p->len;
}

static enum nv_rc run(struct parser *p)
{
    yajl_status st = yajl_status_ok;
    enum nv_rc rc = NV_OK;
    int at_end = 0;
    size_t at = 0;

    p->h = yajl_alloc(&callbacks, NULL, p);
    if (!p->h)
        return nv_err_set(p->err, NV_ENOMEM, "out of memory");
    /* A UTF-8 byte-order mark may start a document (RFC 8259, 8.1). */
    if (p->len >= 3 && memcmp(p->text, "\xEF\xBB\xBF", 3) == 0)
        at = 3;
    p->start = at;
    p->chunk = !p->split ? p->len : forced ? 16 : SPLIT_MIN;
    do {
        size_t stop = p->half ? stop_for_half(p, at) : p->len;
        p->base = at;
        p->fed = piece_end(p, at, stop);
        st = yajl_parse(p->h, (const unsigned char *)p->text + at, p->fed - at);
        at = p->fed;
        if (st == yajl_status_ok && p->half && at == p->mid)
            rc = join_half(p, 1, &at);
    } while (st == yajl_status_ok && !rc && at < p->len);
    if (p->half)
        rc = join_half(p, 0, &at);
    if (st == yajl_status_ok && !rc) {
        st = yajl_complete_parse(p->h);
        at_end = 1;
    }
    rc = rc ? rc : finish_parse(p, st, at_end);
    yajl_free(p->h);
    nv_free(p->scratch);
    return rc;
}

enum nv_rc nv_json_parse(const char *text, size_t len, const char *name,
                         struct nv_arena *a, struct nv_json **out,
                         struct nv_err *err)
{
    struct parser p = {0};
    enum nv_rc rc;

    p.text = text ? text : "";
    p.len = len;
    p.name = name;
    p.a = a;
    p.keys = a;
    p.err = err;
    rc = run(&p);
    if (rc)
        return rc;
    *out = nv_arena_alloc(a, sizeof **out);
    if (!*out)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    **out = p.root;
    return NV_OK;
}

enum nv_rc nv_json_stream(const char *text, size_t len, const char *name,
                          nv_json_item_fn fn, void *ctx, struct nv_err *err)
{
    struct nv_json_split none = {fn, ctx, NULL, NULL, NULL};

    return nv_json_stream_split(text, len, name, &none, err);
}

enum nv_rc nv_json_stream_split(const char *text, size_t len, const char *name,
                                const struct nv_json_split *split,
                                struct nv_err *err)
{
    struct nv_arena items, keys;
    struct parser p = {0};
    enum nv_rc rc;

    nv_arena_init(&items);
    nv_arena_init(&keys);
    p.text = text ? text : "";
    p.len = len;
    p.name = name;
    p.a = &items;
    p.keys = &keys;
    p.err = err;
    p.fn = split->fn;
    p.ctx = split->ctx;
    p.split = split->begin ? split : NULL;
    rc = run(&p);
    if (!rc && p.root.type != NV_JSON_OBJECT)
        rc = nv_json_error_at(err, NV_EPARSE, p.text, len, name, p.root.off,
                              "expected an object at the top");
    nv_arena_release(&items);
    nv_arena_release(&keys);
    return rc;
}

const struct nv_json *nv_json_get(const struct nv_json *o, const char *key)
{
    if (!o || o->type != NV_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < o->len; i++)
        if (strcmp(o->u.members[i].key, key) == 0)
            return &o->u.members[i].val;
    return NULL;
}

/* ---- writing ---- */

/* What a writer of its stream alone gathers before writing it out. */
#define GATHER ((size_t)1 << 16)

struct nv_jsonw {
    yajl_gen g;
    FILE *out;
    yajl_gen_status st; /* the first failure, or yajl_gen_status_ok */
    char *gather;       /* NULL: every token goes out as it comes */
    size_t ngather;
};

static void flush_gathered(struct nv_jsonw *w)
{
    if (w->ngather)
        fwrite_unlocked(w->gather, 1, w->ngather, w->out);
    w->ngather = 0;
}

/* The generator hands over every token on its own: unlocked writes, as
 * one writer owns its stream, spare a lock per token; a writer that is
 * alone gathers them, sparing the call too (most tokens are a few
 * bytes). */
static void write_out(void *ctx, const char *s, size_t n)
{
    struct nv_jsonw *w = ctx;

    if (!w->gather) {
        fwrite_unlocked(s, 1, n, w->out);
        return;
    }
    if (n > GATHER - w->ngather)
        flush_gathered(w);
    if (n > GATHER) {
        fwrite_unlocked(s, 1, n, w->out);
        return;
    }
    memcpy(w->gather + w->ngather, s, n);
    w->ngather += n;
}

struct nv_jsonw *nv_jsonw_new_alone(FILE *out, int pretty)
{
    struct nv_jsonw *w = nv_jsonw_new(out, pretty);

    if (w && !(w->gather = nv_malloc(GATHER))) {
        nv_jsonw_free(w);
        return NULL;
    }
    return w;
}

void nv_jsonw_raw(struct nv_jsonw *w, const char *s)
{
    write_out(w, s, strlen(s));
}

struct nv_jsonw *nv_jsonw_new(FILE *out, int pretty)
{
    struct nv_jsonw *w = nv_calloc(1, sizeof *w);

    if (!w)
        return NULL;
    w->out = out;
    w->g = yajl_gen_alloc(NULL);
    if (!w->g) {
        nv_free(w);
        return NULL;
    }
    yajl_gen_config(w->g, yajl_gen_print_callback, write_out, w);
    yajl_gen_config(w->g, yajl_gen_validate_utf8, 1);
    if (pretty) {
        yajl_gen_config(w->g, yajl_gen_beautify, 1);
        yajl_gen_config(w->g, yajl_gen_indent_string, "  ");
    }
    return w;
}

void nv_jsonw_free(struct nv_jsonw *w)
{
    if (!w)
        return;
    flush_gathered(w);
    yajl_gen_free(w->g);
    nv_free(w->gather);
    nv_free(w);
}

static void keep(struct nv_jsonw *w, yajl_gen_status st)
{
    if (w->st == yajl_gen_status_ok)
        w->st = st;
}

void nv_jsonw_obj(struct nv_jsonw *w)
{
    keep(w, yajl_gen_map_open(w->g));
}

void nv_jsonw_obj_end(struct nv_jsonw *w)
{
    keep(w, yajl_gen_map_close(w->g));
}

void nv_jsonw_arr(struct nv_jsonw *w)
{
    keep(w, yajl_gen_array_open(w->g));
}

void nv_jsonw_arr_end(struct nv_jsonw *w)
{
    keep(w, yajl_gen_array_close(w->g));
}

void nv_jsonw_strn(struct nv_jsonw *w, const char *s, size_t n)
{
    keep(w, yajl_gen_string(w->g, (const unsigned char *)s, n));
}

void nv_jsonw_key(struct nv_jsonw *w, const char *key)
{
    nv_jsonw_strn(w, key, strlen(key));
}

void nv_jsonw_version(struct nv_jsonw *w)
{
    nv_jsonw_key(w, "netvet_version");
    nv_jsonw_str(w, NV_VERSION);
}

void nv_jsonw_str(struct nv_jsonw *w, const char *s)
{
    nv_jsonw_strn(w, s, strlen(s));
}

void nv_jsonw_str_or_null(struct nv_jsonw *w, const char *s)
{
    if (s)
        nv_jsonw_str(w, s);
    else
        nv_jsonw_null(w);
}

void nv_jsonw_int(struct nv_jsonw *w, int64_t v)
{
    keep(w, yajl_gen_integer(w->g, (long long)v));
}

void nv_jsonw_num(struct nv_jsonw *w, double v)
{
    char text[32];
    int n;

    if (!isfinite(v)) { /* JSON has no NaN or infinity */
        keep(w, yajl_gen_invalid_number);
        return;
    }
    n = nv_format_double(v, text);
    keep(w, yajl_gen_number(w->g, text, (size_t)n));
}

void nv_jsonw_bool(struct nv_jsonw *w, int v)
{
    keep(w, yajl_gen_bool(w->g, v));
}

void nv_jsonw_null(struct nv_jsonw *w)
{
    keep(w, yajl_gen_null(w->g));
}

void nv_jsonw_value(struct nv_jsonw *w, const struct nv_json *v)
{
    switch (v->type) {
    case NV_JSON_NULL:
        nv_jsonw_null(w);
        break;
    case NV_JSON_FALSE:
    case NV_JSON_TRUE:
        nv_jsonw_bool(w, v->type == NV_JSON_TRUE);
        break;
    case NV_JSON_NUMBER:
        keep(w, yajl_gen_number(w->g, v->u.str, v->len));
        break;
    case NV_JSON_STRING:
        nv_jsonw_strn(w, v->u.str, v->len);
        break;
    case NV_JSON_ARRAY:
        nv_jsonw_arr(w);
        for (size_t i = 0; i < v->len; i++)
            nv_jsonw_value(w, &v->u.items[i]);
        nv_jsonw_arr_end(w);
        break;
    case NV_JSON_OBJECT:
        nv_jsonw_obj(w);
        for (size_t i = 0; i < v->len; i++) {
            nv_jsonw_strn(w, v->u.members[i].key, v->u.members[i].klen);
            nv_jsonw_value(w, &v->u.members[i].val);
        }
        nv_jsonw_obj_end(w);
        break;
    }
}

void nv_jsonw_next(struct nv_jsonw *w, const char *sep)
{
    yajl_gen_reset(w->g, sep);
}

enum nv_rc nv_jsonw_finish(struct nv_jsonw *w, struct nv_err *err)
{
    flush_gathered(w);
    fputc('\n', w->out);
    /* Output errors have no input position: whatever err held goes. */
    if (fflush(w->out) != 0 || ferror(w->out))
        return nv_err_at(err, NV_EIO, NULL, 0, 0, "cannot write the output: %s",
                         strerror(errno));
    if (w->st != yajl_gen_status_ok)
        return nv_err_at(err, NV_EINVAL, NULL, 0, 0,
                         "cannot write JSON (status %d)", (int)w->st);
    return NV_OK;
}
