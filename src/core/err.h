/*
 * err.h - the one error convention of netvet.
 *
 * Every fallible library function returns an enum nv_rc (NV_OK is zero,
 * failures are negative) and takes a struct nv_err *err as its last
 * argument, which it fills on failure with the code, the position in the
 * input where that makes sense, and a human message.  The struct needs no
 * allocation, so even NV_ENOMEM can be reported.  The library never prints:
 * only the command-line front end turns an nv_err into a message.
 */
#ifndef NV_ERR_H
#define NV_ERR_H

#include <stddef.h>

#if defined(__GNUC__)
#define NV_WUR __attribute__((warn_unused_result))
#define NV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NV_WUR
#define NV_PRINTF(f, a)
#endif

/* X(name, value, description): the single list every table is made from. */
#define NV_RC_MAP(X)                                                           \
    X(OK, 0, "success")                                                        \
    X(ENOMEM, -1, "out of memory")                                             \
    X(EIO, -2, "input/output error")                                           \
    X(EPARSE, -3, "malformed input")                                           \
    X(ELIMIT, -4, "limit exceeded")                                            \
    X(EINVAL, -5, "invalid argument")                                          \
    X(ENOENT, -6, "not found")                                                 \
    X(EDUP, -7, "duplicate")                                                   \
    X(ECONFLICT, -8, "conflicting definitions")                                \
    X(ECRYPTO, -9, "cryptographic check failed")                               \
    X(EUNSUPPORTED, -10, "unsupported")

enum nv_rc {
#define NV_RC_ENUM(name, value, text) NV_##name = value,
    NV_RC_MAP(NV_RC_ENUM)
#undef NV_RC_ENUM
};

#define NV_ERR_MSG_SIZE 256
#define NV_ERR_FILE_SIZE 512

struct nv_err {
    enum nv_rc rc;
    char file[NV_ERR_FILE_SIZE]; /* "" when the error has no input file */
    unsigned long line;          /* 1-based; 0 when unknown */
    unsigned long col;           /* 1-based, in characters; 0 when unknown */
    char msg[NV_ERR_MSG_SIZE];
};

/* The fixed description of a code ("out of memory"); never NULL. */
const char *nv_strerror(enum nv_rc rc);

/* The code's name without prefix ("ENOMEM"); never NULL. */
const char *nv_rc_name(enum nv_rc rc);

/* Clear err to NV_OK with no position and no message. */
void nv_err_clear(struct nv_err *err);

/*
 * Record a failure with a printf-style message and return rc, so that
 * callers can write `return nv_err_set(err, NV_EINVAL, "...")`.  err may be
 * NULL.  An earlier file name and position in err are kept, so err must
 * start cleared: declare it `= {0}` or call nv_err_clear.
 */
enum nv_rc nv_err_set(struct nv_err *err, enum nv_rc rc, const char *fmt, ...)
    NV_PRINTF(3, 4);

/* Like nv_err_set, and also record the input file, line and column. */
enum nv_rc nv_err_at(struct nv_err *err, enum nv_rc rc, const char *file,
                     unsigned long line, unsigned long col, const char *fmt,
                     ...) NV_PRINTF(6, 7);

/* Set the file of err if none is recorded yet (a caller knows the path). */
void nv_err_file(struct nv_err *err, const char *file);

/*
 * Write err as one line "FILE:LINE:COL: message" (the parts that are known)
 * into out, which has room for size bytes; the result is always terminated.
 */
void nv_err_format(const struct nv_err *err, char *out, size_t size);

#endif
