/*
 * pathesc.c - percent-escaping of paths.
 */
#include "integrity/pathesc.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..n) (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80                    ? 1
                 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

static int needs_escape(unsigned char c)
{
    return c < 0x20 || c == 0x7F || c == '%' || c == '\\';
}

/* Bytes of s[0..n) from the start that are written as they are. */
static size_t plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0, len;
    while (i < n && (len = utf8_len(s + i, n - i)) > 0 &&
           !(len == 1 && needs_escape(s[i])))
        i += len;
    return i;
}

enum nv_rc nv_path_escape(const char *p, size_t n, struct nv_buf *out)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        size_t run = plain_run(s + i, n - i);
        enum nv_rc rc = run ? nv_buf_add(out, s + i, run)
                            : nv_buf_addf(out, "%%%02X", s[i]);
        if (rc)
            return rc;
        i += run ? run : 1;
    }
    return NV_OK;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decode text[0..n) onto the end of out. */
static enum nv_rc unescape(const char *text, size_t n, struct nv_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '%') {
            if (n - i < 3)
                return NV_EPARSE;
            int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0)
                return NV_EPARSE;
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (needs_escape((unsigned char)c))
            return NV_EPARSE;
        enum nv_rc rc = nv_buf_addc(out, c);
        if (rc)
            return rc;
    }
    return NV_OK;
}

enum nv_rc nv_path_unescape(const char *text, size_t n, struct nv_buf *out)
{
    size_t start = out->len;
    struct nv_buf again;
    nv_buf_init(&again, out->limit);
    enum nv_rc rc = unescape(text, n, out);
    /* Only the canonical escaping is accepted, so a path has one text. */
    if (!rc)
        rc = nv_path_escape(out->data + start, out->len - start, &again);
    if (!rc && (again.len != n || memcmp(again.data, text, n) != 0))
        rc = NV_EPARSE;
    nv_buf_release(&again);
    if (rc && out->cap) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
