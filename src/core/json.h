/*
 * json.h - JSON in and out, with positions.
 *
 * Reading builds a small tree in an arena; every value and key keeps the
 * byte offset where it starts, so that a loader can say "FILE:LINE:COL:
 * unknown layer" about a document that is valid JSON but a bad model.
 * Large documents can be streamed: each element of the root object's
 * arrays is handed over, then forgotten.  Writing is a thin checked layer
 * over a generator that escapes strings and validates UTF-8.
 *
 * The JSON grammar itself is yajl's; only this module includes it.
 */
#ifndef NV_JSON_H
#define NV_JSON_H

#include "core/arena.h"
#include "core/err.h"

#include <stdint.h>
#include <stdio.h>

enum nv_json_type {
    NV_JSON_NULL,
    NV_JSON_FALSE,
    NV_JSON_TRUE,
    NV_JSON_NUMBER,
    NV_JSON_STRING,
    NV_JSON_ARRAY,
    NV_JSON_OBJECT
};

struct nv_json_member;

struct nv_json {
    enum nv_json_type type;
    size_t off; /* byte offset of the value's first character */
    size_t len; /* string or number-text bytes; array or object count */
    union {
        const char *str;                /* string (decoded) or number text */
        struct nv_json *items;          /* array: len values */
        struct nv_json_member *members; /* object: len members, in order */
    } u;
};

struct nv_json_member {
    const char *key; /* decoded, NUL-terminated */
    size_t klen;
    size_t koff; /* byte offset of the key's opening quote */
    struct nv_json val;
};

/* Called for each element of an array member of the root object, and for
 * each root member that is not an array (index is then -1).  The value
 * lives until the callback returns.  A non-zero return stops the parse and
 * is returned by nv_json_stream. */
typedef enum nv_rc (*nv_json_item_fn)(void *ctx, const char *key, int64_t index,
                                      const struct nv_json *v,
                                      struct nv_err *err);

/* Deepest nesting accepted; deeper documents fail with NV_ELIMIT. */
#define NV_JSON_MAX_DEPTH 64

/*
 * Parse text[0..len) into a tree allocated in a.  Duplicate keys within an
 * object are an error.  On failure err has the file (name), line and
 * column; the arena may hold garbage, which its release frees.
 */
enum nv_rc nv_json_parse(const char *text, size_t len, const char *name,
                         struct nv_arena *a, struct nv_json **out,
                         struct nv_err *err) NV_WUR;

/* Parse a document whose root is an object, streaming as described at
 * nv_json_item_fn.  Memory stays bounded by the largest element. */
enum nv_rc nv_json_stream(const char *text, size_t len, const char *name,
                          nv_json_item_fn fn, void *ctx,
                          struct nv_err *err) NV_WUR;

/*
 * Streaming that may read the elements of a large array of the root
 * object in two halves at once: those after an element boundary near the
 * middle of what is left of the array go to fn with the context
 * begin(ctx, key) returns, on a thread of their own, while this thread
 * reads those before it.  begin may return NULL: not this array.  Once
 * the array's elements are counted, before any of the second half's is
 * read, sized(ctx, that context, n1, n) is told how many there are (n)
 * and how many come before the second half (n1); unless it returns
 * NV_OK, the array is read on this thread alone.  Then
 * end(ctx, that context, keep, err) is called once: keep says the first
 * half ended where the second began, so that the second half's elements
 * follow the first's: all of them, or those before its error.  end may
 * then report an error of its own, which comes before the second half's
 * in the text; that error is reported if end reports none.  Without
 * keep, the second half is to be forgotten.  Errors and what fn is given
 * are as if the document were read in one piece; begin, sized and end
 * are called on this thread.
 */
struct nv_json_split {
    nv_json_item_fn fn;
    void *ctx;
    void *(*begin)(void *ctx, const char *key);
    enum nv_rc (*sized)(void *ctx, void *half, int64_t n1, int64_t n);
    enum nv_rc (*end)(void *ctx, void *half, int keep, struct nv_err *err);
};

enum nv_rc nv_json_stream_split(const char *text, size_t len, const char *name,
                                const struct nv_json_split *split,
                                struct nv_err *err) NV_WUR;

#ifdef NV_TESTING
/* Split every array nv_json_stream_split meets at the first element
 * boundary at or after offset off, whatever the document's size (0: as
 * usual). */
void nv_json_split_at(size_t off);
#endif

/* The member of object o named key, or NULL (also when o is no object). */
const struct nv_json *nv_json_get(const struct nv_json *o, const char *key);

/* Record an error at the position of byte offset off in text. */
enum nv_rc nv_json_error_at(struct nv_err *err, enum nv_rc rc, const char *text,
                            size_t len, const char *name, size_t off,
                            const char *fmt, ...) NV_PRINTF(7, 8);

/* A parsed document's text and name, for errors at a place in it. */
struct nv_json_doc {
    const char *text, *name;
    size_t len;
};

/*
 * The member key of object o (a value of d), which must be of type t, in
 * *out.  Absent or null and not required: *out is NULL and NV_OK.  Else
 * NV_EPARSE at its place: "\"key\" is missing", "\"key\" must be a string".
 */
enum nv_rc nv_json_member(const struct nv_json_doc *d, const struct nv_json *o,
                          const char *key, enum nv_json_type t, int required,
                          const struct nv_json **out,
                          struct nv_err *err) NV_WUR;

/* The name of a type for messages ("a string", "an object"). */
const char *nv_json_type_name(enum nv_json_type t);

/* ---- writing ---- */

struct nv_jsonw;

/* A writer to out; pretty indents.  NULL when memory is exhausted. */
struct nv_jsonw *nv_jsonw_new(FILE *out, int pretty);

/* The same, for a writer that alone writes to out until it is finished
 * or freed: tokens are gathered and written out in large pieces, so text
 * of the caller's own goes through nv_jsonw_raw.  For large outputs. */
struct nv_jsonw *nv_jsonw_new_alone(FILE *out, int pretty);

/* Write s as it is, in its place among the tokens. */
void nv_jsonw_raw(struct nv_jsonw *w, const char *s);

/* Free w; NULL is a no-op. */
void nv_jsonw_free(struct nv_jsonw *w);

/* Each call adds a token; the first error is kept and later calls do
 * nothing.  Strings must be UTF-8. */
void nv_jsonw_obj(struct nv_jsonw *w);
void nv_jsonw_obj_end(struct nv_jsonw *w);
void nv_jsonw_arr(struct nv_jsonw *w);
void nv_jsonw_arr_end(struct nv_jsonw *w);
void nv_jsonw_key(struct nv_jsonw *w, const char *key);
void nv_jsonw_str(struct nv_jsonw *w, const char *s);
void nv_jsonw_strn(struct nv_jsonw *w, const char *s, size_t n);
void nv_jsonw_str_or_null(struct nv_jsonw *w, const char *s);
void nv_jsonw_int(struct nv_jsonw *w, int64_t v);
void nv_jsonw_num(struct nv_jsonw *w, double v); /* shortest exact form */
void nv_jsonw_bool(struct nv_jsonw *w, int v);
void nv_jsonw_null(struct nv_jsonw *w);

/* The member "netvet_version": NV_VERSION, which every JSON document
 * netvet writes opens with (docs/formats.md says which are exempt). */
void nv_jsonw_version(struct nv_jsonw *w);

/* Write a parsed value, whole (numbers keep their text). */
void nv_jsonw_value(struct nv_jsonw *w, const struct nv_json *v);

/* End the current document, write sep, and start a new one ("\n" for
 * JSON Lines; ",\n" to write the elements of an array one by one). */
void nv_jsonw_next(struct nv_jsonw *w, const char *sep);

/* Finish with a newline and flush; the first error, if any. */
enum nv_rc nv_jsonw_finish(struct nv_jsonw *w, struct nv_err *err) NV_WUR;

#endif
