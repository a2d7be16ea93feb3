/*
 * update.c - the checks of an update, in order, and the state store.
 *
 * The checks run in the order a TUF client makes them and the first
 * failure stops the run: nothing of the target is read until signed,
 * fresh metadata lists it, and the target is never read further than one
 * byte past the length the metadata gives.  The state of a trust root is
 * replaced (temporary file, fsync, rename, fsync of the directory) only
 * after every check has passed, so a crash leaves the old state or the
 * new one, never a mix.
 */
#include "integrity/update_int.h"

#include "core/alloc.h"
#include "core/atomic.h"
#include "integrity/dsse.h"
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STATE_MAX ((size_t)1 << 16)
#define PATH_LEN 4096
#define READ_CHUNK 65536

struct run {
    const struct nv_update_request *q;
    struct nv_update_result *r;
    struct nv_dsse d;
    struct nv_arena a;
    struct nv_update_meta m;
    struct nv_update_state st;
    int dir; /* the state directory, locked; -1 until then */
    int failed;
};

static const char *const check_names[NV_UPDATE_NCHECKS] = {
    "signatures", "metadata", "rollback", "expiry",
    "target",     "length",   "sha256",   "hardware"};

static const char *const status_names[] = {"skip", "pass", "fail"};

const char *nv_update_check_name(enum nv_update_check c)
{
    return c < NV_UPDATE_NCHECKS ? check_names[c] : "?";
}

const char *nv_update_status_name(enum nv_update_status s)
{
    return s <= NV_UPDATE_FAIL ? status_names[s] : "?";
}

static void note(struct run *u, enum nv_update_check c, enum nv_update_status s,
                 const char *fmt, ...) NV_PRINTF(4, 5);

/* Record the outcome of check c; a failure ends the run. */
static void note(struct run *u, enum nv_update_check c, enum nv_update_status s,
                 const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(u->r->reason[c], sizeof u->r->reason[c], fmt, ap);
    va_end(ap);
    u->r->status[c] = s;
    u->failed |= s == NV_UPDATE_FAIL;
}

/* "2027-01-01T00:00:00Z" for t into out. */
static void format_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "%lld", (long long)t);
}

/* ---- the checks, in order ---- */

/* Too few trusted signatures (or another payload type) refuse the
 * update; an envelope that is not well-formed is bad input. */
static enum nv_rc check_signatures(struct run *u, struct nv_err *err)
{
    const struct nv_update_root *root = u->q->root;
    struct nv_err e = {0};
    enum nv_rc rc;

    nv_err_clear(&e);
    rc = nv_dsse_open(u->q->meta, u->q->meta_len, u->q->meta_name,
                      NV_UPDATE_PAYLOAD_TYPE,
                      (const struct nv_key *const *)root->keys, root->n,
                      root->threshold, &u->d, &e);
    if (rc == NV_ECRYPTO)
        note(u, NV_UPDATE_SIGNATURES, NV_UPDATE_FAIL, "%s", e.msg);
    else if (rc && err)
        *err = e;
    else if (!rc)
        note(u, NV_UPDATE_SIGNATURES, NV_UPDATE_PASS,
             "%zu of %zu trusted keys signed, %zu needed", u->d.valid, root->n,
             root->threshold);
    return rc == NV_ECRYPTO ? NV_OK : rc;
}

static enum nv_rc check_metadata(struct run *u, struct nv_err *err)
{
    unsigned char sha[NV_SHA256_LEN];
    char name[NV_ERR_FILE_SIZE], where[NV_UPDATE_REASON_SIZE];
    enum nv_rc rc;

    nv_sha256(u->d.payload, u->d.n, sha);
    nv_hex(sha, sizeof sha, u->r->meta_sha256);
    /* Positions are in the decoded payload, not in the envelope. */
    snprintf(name, sizeof name, "%s#payload", u->q->meta_name);
    rc = nv_update_meta_parse((const char *)u->d.payload, u->d.n, name,
                              u->r->name, &u->a, &u->m, err);
    if (rc == NV_EPARSE) {
        nv_err_format(err, where, sizeof where);
        note(u, NV_UPDATE_METADATA, NV_UPDATE_FAIL, "%s", where);
    } else if (!rc) {
        u->r->version = u->m.version;
        note(u, NV_UPDATE_METADATA, NV_UPDATE_PASS,
             "targets version %lld, %zu target%s", (long long)u->m.version,
             u->m.ntargets, u->m.ntargets == 1 ? "" : "s");
    }
    return rc;
}

static enum nv_rc state_path(const struct nv_update_request *q,
                             char path[PATH_LEN], struct nv_err *err)
{
    int n = snprintf(path, PATH_LEN, "%s/%s.json", q->state_dir,
                     nv_update_root_id(q->root));
    if (n < 0 || n >= PATH_LEN)
        return nv_err_set(err, NV_EINVAL, "state directory path too long");
    return NV_OK;
}

/*
 * Create the state directory if need be and lock it until the run ends:
 * two checks at once could otherwise both read version 1, then write 3
 * and 2 in that order, and the state would go backwards.
 */
static enum nv_rc lock_state(struct run *u, struct nv_err *err)
{
    const char *dir = u->q->state_dir;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return nv_err_at(err, NV_EIO, dir, 0, 0, "cannot create: %s",
                         strerror(errno));
    u->dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u->dir < 0 || flock(u->dir, LOCK_EX) != 0)
        return nv_err_at(err, NV_EIO, dir, 0, 0, "cannot lock: %s",
                         strerror(errno));
    return NV_OK;
}

/* The state of the trust root; none yet when its file does not exist. */
static enum nv_rc read_state(struct run *u, struct nv_err *err)
{
    char path[PATH_LEN];
    struct nv_file f;
    struct stat st;
    enum nv_rc rc = lock_state(u, err);

    if (!rc)
        rc = state_path(u->q, path, err);
    if (rc || (stat(path, &st) != 0 && errno == ENOENT))
        return rc;
    rc = nv_file_read(&f, path, STATE_MAX, err);
    if (rc)
        return rc;
    rc = nv_update_state_parse(f.data ? f.data : "", f.len, path, &u->st, err);
    nv_file_release(&f);
    return rc;
}

static enum nv_rc check_rollback(struct run *u, struct nv_err *err)
{
    long long v = (long long)u->m.version, last;
    enum nv_rc rc = read_state(u, err);

    if (rc)
        return rc;
    u->r->previous = u->st.version;
    last = (long long)u->st.version;
    if (last == 0)
        note(u, NV_UPDATE_ROLLBACK, NV_UPDATE_PASS,
             "version %lld; none accepted before", v);
    else if (v < last)
        note(u, NV_UPDATE_ROLLBACK, NV_UPDATE_FAIL,
             "version %lld is below %lld, the last accepted", v, last);
    else if (v == last && strcmp(u->r->meta_sha256, u->st.meta_sha256) != 0)
        note(u, NV_UPDATE_ROLLBACK, NV_UPDATE_FAIL,
             "version %lld was accepted before with other content", v);
    else
        note(u, NV_UPDATE_ROLLBACK, NV_UPDATE_PASS,
             "version %lld; last accepted %lld", v, last);
    return NV_OK;
}

static enum nv_rc check_expiry(struct run *u, struct nv_err *err)
{
    char now[32];

    (void)err;
    format_time(u->q->now, now);
    if (u->q->now >= u->m.expires)
        note(u, NV_UPDATE_EXPIRY, NV_UPDATE_FAIL, "expired at %s; now %s",
             u->m.expires_text, now);
    else
        note(u, NV_UPDATE_EXPIRY, NV_UPDATE_PASS, "expires %s; now %s",
             u->m.expires_text, now);
    return NV_OK;
}

static enum nv_rc check_target(struct run *u, struct nv_err *err)
{
    (void)err;
    if (u->m.found)
        note(u, NV_UPDATE_TARGET, NV_UPDATE_PASS, "\"%s\" is listed",
             u->r->name);
    else
        note(u, NV_UPDATE_TARGET, NV_UPDATE_FAIL,
             "\"%s\" is not among the %zu targets listed", u->r->name,
             u->m.ntargets);
    return NV_OK;
}

static enum nv_rc read_some(int fd, unsigned char *buf, size_t want,
                            size_t *got, const char *path, struct nv_err *err)
{
    ssize_t n;

    do
        n = read(fd, buf, want);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return nv_err_at(err, NV_EIO, path, 0, 0, "cannot read: %s",
                         strerror(errno));
    *got = (size_t)n;
    return NV_OK;
}

/*
 * Hash the first limit bytes of path into sha and count what the file
 * holds up to limit + 1 bytes: one byte more is enough to know it is too
 * long, so an endless stream cannot keep us reading.
 */
static enum nv_rc hash_prefix(const char *path, uint64_t limit, uint64_t *total,
                              unsigned char sha[NV_SHA256_LEN],
                              struct nv_err *err)
{
    struct nv_sha256 *h = nv_sha256_new();
    unsigned char *buf = nv_malloc(READ_CHUNK);
    int fd = h && buf ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    enum nv_rc rc = NV_OK;
    size_t n = 1;

    *total = 0;
    if (!h || !buf)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    else if (fd < 0)
        rc = nv_err_at(err, NV_EIO, path, 0, 0, "cannot open: %s",
                       strerror(errno));
    while (!rc && n > 0 && *total <= limit) {
        uint64_t left = limit + 1 - *total;
        rc = read_some(fd, buf, left < READ_CHUNK ? (size_t)left : READ_CHUNK,
                       &n, path, err);
        if (!rc)
            nv_sha256_add(h, buf, *total + n > limit ? limit - *total : n);
        *total += rc ? 0 : n;
    }
    if (h)
        nv_sha256_end(h, sha);
    nv_sha256_free(h);
    nv_free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* The length and sha256 checks: one bounded pass over the file. */
static enum nv_rc check_file(struct run *u, struct nv_err *err)
{
    const struct nv_update_target *t = &u->m.target;
    unsigned char sha[NV_SHA256_LEN];
    char want[NV_SHA256_HEX];
    long long len = (long long)t->length;
    uint64_t total;
    enum nv_rc rc =
        hash_prefix(u->q->target, (uint64_t)t->length, &total, sha, err);

    if (rc)
        return rc;
    if (total > (uint64_t)t->length)
        note(u, NV_UPDATE_LENGTH, NV_UPDATE_FAIL,
             "longer than the %lld bytes listed (reading stopped there)", len);
    else if (total < (uint64_t)t->length)
        note(u, NV_UPDATE_LENGTH, NV_UPDATE_FAIL, "%llu bytes; %lld listed",
             (unsigned long long)total, len);
    else
        note(u, NV_UPDATE_LENGTH, NV_UPDATE_PASS, "%lld bytes", len);
    if (u->failed)
        return NV_OK;
    nv_hex(sha, sizeof sha, u->r->target_sha256);
    nv_hex(t->sha256, sizeof t->sha256, want);
    if (strcmp(want, u->r->target_sha256) != 0)
        note(u, NV_UPDATE_SHA256, NV_UPDATE_FAIL, "%s; listed %s",
             u->r->target_sha256, want);
    else
        note(u, NV_UPDATE_SHA256, NV_UPDATE_PASS, "%s", want);
    return NV_OK;
}

static int hardware_listed(const struct nv_json *hw, const char *id)
{
    for (size_t i = 0; i < hw->len; i++)
        if (strcmp(hw->u.items[i].u.str, id) == 0)
            return 1;
    return 0;
}

static enum nv_rc check_hardware(struct run *u, struct nv_err *err)
{
    const struct nv_json *hw = u->m.target.hardware;
    const char *id = u->q->hardware;

    (void)err;
    if (!hw)
        note(u, NV_UPDATE_HARDWARE, NV_UPDATE_PASS,
             "the target names no hardware");
    else if (!id)
        note(u, NV_UPDATE_HARDWARE, NV_UPDATE_FAIL,
             "the target is for %zu listed identifier%s and none was given",
             hw->len, hw->len == 1 ? "" : "s");
    else if (!hardware_listed(hw, id))
        note(u, NV_UPDATE_HARDWARE, NV_UPDATE_FAIL,
             "\"%s\" is not among the %zu listed", id, hw->len);
    else
        note(u, NV_UPDATE_HARDWARE, NV_UPDATE_PASS, "\"%s\" is listed", id);
    return NV_OK;
}

/* ---- the state store ---- */

/* Replace the state of the root by the accepted metadata, atomically and
 * durably (core/atomic.h), while the directory lock is held. */
static enum nv_rc write_state(struct run *u, struct nv_err *err)
{
    struct nv_update_state s = {u->m.version, {0}};
    char path[PATH_LEN], text[256];
    int len;

    memcpy(s.meta_sha256, u->r->meta_sha256, sizeof s.meta_sha256);
    len = nv_update_state_format(&s, text, sizeof text);
    if (state_path(u->q, path, err))
        return err->rc;
    return nv_atomic_replace(path, text, (size_t)len, 0644, err);
}

/* ---- the run ---- */

typedef enum nv_rc (*check_fn)(struct run *u, struct nv_err *err);

/* check_file makes two checks: length and sha256. */
static const check_fn checks[] = {
    check_signatures, check_metadata, check_rollback, check_expiry,
    check_target,     check_file,     check_hardware};

/* The target's name: given, or the last part of its path. */
static enum nv_rc target_name(const struct nv_update_request *q,
                              struct nv_update_result *r, struct nv_err *err)
{
    const char *slash = strrchr(q->target, '/');
    const char *name = q->name ? q->name : slash ? slash + 1 : q->target;
    size_t n = strlen(name);

    if (n == 0 || n >= sizeof r->name)
        return nv_err_set(err, NV_EINVAL,
                          "the target's name must have 1 to %zu bytes",
                          sizeof r->name - 1);
    memcpy(r->name, name, n + 1);
    return NV_OK;
}

enum nv_rc nv_update_check(const struct nv_update_request *q,
                           struct nv_update_result *r, struct nv_err *err)
{
    struct run u;
    enum nv_rc rc;

    memset(&u, 0, sizeof u);
    memset(r, 0, sizeof *r);
    u.q = q;
    u.r = r;
    u.dir = -1;
    memcpy(r->root_id, nv_update_root_id(q->root), sizeof r->root_id);
    nv_arena_init(&u.a);
    rc = target_name(q, r, err);
    for (size_t i = 0; !rc && !u.failed && i < sizeof checks / sizeof *checks;
         i++)
        rc = checks[i](&u, err);
    if (!rc && !u.failed)
        rc = write_state(&u, err);
    r->accepted = !rc && !u.failed;
    nv_arena_release(&u.a);
    nv_dsse_release(&u.d);
    if (u.dir >= 0)
        close(u.dir); /* and so unlock */
    return rc;
}

/* ---- reports and signing ---- */

void nv_update_summary_json(struct nv_jsonw *w,
                            const struct nv_update_result *r)
{
    nv_jsonw_key(w, "type");
    nv_jsonw_str(w, "update");
    nv_jsonw_key(w, "accepted");
    nv_jsonw_bool(w, r->accepted);
    nv_jsonw_key(w, "target");
    nv_jsonw_str(w, r->name);
    nv_jsonw_key(w, "version");
    nv_jsonw_int(w, r->version);
    nv_jsonw_key(w, "previous");
    nv_jsonw_int(w, r->previous);
    nv_jsonw_key(w, "root");
    nv_jsonw_str(w, r->root_id);
    nv_jsonw_key(w, "metadata_sha256");
    nv_jsonw_str_or_null(w, r->meta_sha256[0] ? r->meta_sha256 : NULL);
    nv_jsonw_key(w, "target_sha256");
    nv_jsonw_str_or_null(w, r->target_sha256[0] ? r->target_sha256 : NULL);
    nv_jsonw_key(w, "checks");
    nv_jsonw_arr(w);
    for (int c = 0; c < NV_UPDATE_NCHECKS; c++) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "check");
        nv_jsonw_str(w, check_names[c]);
        nv_jsonw_key(w, "result");
        nv_jsonw_str(w, status_names[r->status[c]]);
        nv_jsonw_key(w, "reason");
        nv_jsonw_str(w, r->reason[c]);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

enum nv_rc nv_update_summary(const struct nv_update_result *r,
                             struct nv_buf *out, struct nv_err *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 0) : NULL;
    enum nv_rc rc;

    if (!w) {
        if (f)
            fclose(f);
        free(text); /* open_memstream buffers come from malloc */
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_update_summary_json(w, r);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    if (fclose(f) != 0 && !rc)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    while (!rc && len > 0 && text[len - 1] == '\n')
        len--;
    if (!rc)
        rc = nv_buf_add(out, text, len);
    if (rc == NV_ELIMIT)
        nv_err_set(err, rc, "the summary does not fit");
    free(text);
    return rc;
}

enum nv_rc nv_update_sign(FILE *out, const char *text, size_t len,
                          const char *name, const struct nv_key *const *keys,
                          size_t nkeys, struct nv_err *err)
{
    struct nv_update_meta m;
    struct nv_arena a;
    enum nv_rc rc;

    /* Check before signing: a signature vouches for what it covers. */
    nv_arena_init(&a);
    rc = nv_update_meta_parse(text, len, name, NULL, &a, &m, err);
    nv_arena_release(&a);
    if (rc)
        return rc;
    return nv_dsse_write(out, NV_UPDATE_PAYLOAD_TYPE, text, len, keys, nkeys,
                         err);
}
