/*
 * err.c - error codes, their names, and the error record.
 *
 * Messages are truncated, never allocated: reporting must work when memory
 * has run out.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct rc_info {
    enum nv_rc rc;
    const char *name;
    const char *text;
};

static const struct rc_info rc_table[] = {
#define NV_RC_INFO(name, value, text) {NV_##name, #name, text},
    NV_RC_MAP(NV_RC_INFO)
#undef NV_RC_INFO
};

static const struct rc_info *rc_find(enum nv_rc rc)
{
    for (size_t i = 0; i < sizeof rc_table / sizeof rc_table[0]; i++)
        if (rc_table[i].rc == rc)
            return &rc_table[i];
    return NULL;
}

const char *nv_strerror(enum nv_rc rc)
{
    const struct rc_info *info = rc_find(rc);
    return info ? info->text : "unknown error";
}

const char *nv_rc_name(enum nv_rc rc)
{
    const struct rc_info *info = rc_find(rc);
    return info ? info->name : "EUNKNOWN";
}

void nv_err_clear(struct nv_err *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static void set_msg(struct nv_err *err, enum nv_rc rc, const char *fmt,
                    va_list ap) NV_PRINTF(3, 0);

static void set_msg(struct nv_err *err, enum nv_rc rc, const char *fmt,
                    va_list ap)
{
    err->rc = rc;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

enum nv_rc nv_err_set(struct nv_err *err, enum nv_rc rc, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return rc;
    va_start(ap, fmt);
    set_msg(err, rc, fmt, ap);
    va_end(ap);
    return rc;
}

enum nv_rc nv_err_at(struct nv_err *err, enum nv_rc rc, const char *file,
                     unsigned long line, unsigned long col, const char *fmt,
                     ...)
{
    va_list ap;

    if (!err)
        return rc;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_start(ap, fmt);
    set_msg(err, rc, fmt, ap);
    va_end(ap);
    return rc;
}

void nv_err_file(struct nv_err *err, const char *file)
{
    if (err && !err->file[0] && file)
        snprintf(err->file, sizeof err->file, "%s", file);
}

void nv_err_format(const struct nv_err *err, char *out, size_t size)
{
    const char *msg = err->msg[0] ? err->msg : nv_strerror(err->rc);

    if (err->file[0] && err->line && err->col)
        snprintf(out, size, "%s:%lu:%lu: %s", err->file, err->line, err->col,
                 msg);
    else if (err->file[0] && err->line)
        snprintf(out, size, "%s:%lu: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(out, size, "%s: %s", err->file, msg);
    else
        snprintf(out, size, "%s", msg);
}
