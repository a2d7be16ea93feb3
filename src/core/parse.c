/*
 * parse.c - checked number parsing and offset-to-position conversion.
 */
#include "core/parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum nv_rc nv_parse_i64(const char *s, size_t n, int64_t min, int64_t max,
                        int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0, bound;
    int64_t val;

    if (n && s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == n)
        return NV_EPARSE;
    bound = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return NV_EPARSE;
        if (v > (bound - d) / 10)
            return NV_ELIMIT;
        v = v * 10 + d;
    }
    val = !neg                           ? (int64_t)v
          : v == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                         : -(int64_t)v;
    if (val < min || val > max)
        return NV_ELIMIT;
    *out = val;
    return NV_OK;
}

/* The JSON number grammar, which is also what we accept in CSV cells. */
static int is_number_syntax(const char *s, size_t n)
{
    size_t i = 0;

    if (i < n && s[i] == '-')
        i++;
    if (i == n || s[i] < '0' || s[i] > '9')
        return 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < n && s[i] == '.') {
        if (++i == n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i == n;
}

/*
 * Plain decimals with at most 15 significant digits ("5", "-12.375") are
 * exact as an integer over a power of ten, and one IEEE division of exact
 * operands rounds correctly (Clinger's fast path), so strtod is needed
 * only for exponents and long mantissas.
 */
static int fast_decimal(const char *s, size_t n, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    size_t i = s[0] == '-', digits = 0, frac = 0;
    int64_t v = 0;
    int dot = 0;

    for (; i < n; i++) {
        if (s[i] == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 15)
            return 0;
        v = v * 10 + (s[i] - '0');
        frac += dot;
    }
    *out = (double)v / pow10[frac];
    if (s[0] == '-')
        *out = -*out;
    return 1;
}

enum nv_rc nv_parse_double(const char *s, size_t n, double *out)
{
    char tmp[64];
    double v;

    if (n == 0 || n >= sizeof tmp || !is_number_syntax(s, n))
        return NV_EPARSE;
    if (fast_decimal(s, n, out))
        return NV_OK;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    v = strtod(tmp, NULL);
    if (!isfinite(v))
        return NV_ELIMIT;
    *out = v;
    return NV_OK;
}

int nv_str_eq(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

void nv_text_pos(const char *text, size_t len, size_t off, unsigned long *line,
                 unsigned long *col)
{
    unsigned long l = 1, c = 1;

    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Whole numbers below 1e15 written digit by digit: what "%.15g" prints
 * for them (all their digits, no exponent), without printf's cost; most
 * numbers in a model are such (costs, capacities, counts). */
static int format_whole(double v, char out[32])
{
    char digits[24];
    uint64_t u = (uint64_t)(v < 0 ? -v : v);
    int n = 0, k = 0;

    do {
        digits[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[n++] = '-';
    while (k)
        out[n++] = digits[--k];
    out[n] = '\0';
    return n;
}

int nv_format_double(double v, char out[32])
{
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v &&
        !(v == 0 && signbit(v)))
        return format_whole(v, out);
    int n = snprintf(out, 32, "%.15g", v);

    if (strtod(out, NULL) != v)
        n = snprintf(out, 32, "%.17g", v);
    return n;
}
