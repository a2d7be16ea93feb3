/*
 * file.h - reading a whole input file, bounded.
 *
 * Regular files are mapped, not copied, so a 300 MB model costs no extra
 * memory; pipes and "-" (standard input) are read into the heap.
 */
#ifndef NV_FILE_H
#define NV_FILE_H

#include "core/err.h"

#include <stddef.h>

struct nv_file {
    const char *data; /* len bytes, not NUL-terminated; NULL when empty;
                         writable when nv_file_map_private gave it */
    size_t len;
    int mapped; /* how to release data */
};

/*
 * Open path ("-" is standard input) and make its bytes available.  Files
 * larger than limit fail with NV_ELIMIT.  On failure f is untouched and
 * err names the file.
 */
enum nv_rc nv_file_read(struct nv_file *f, const char *path, size_t limit,
                        struct nv_err *err) NV_WUR;

/*
 * nv_file_read for a caller that will change the bytes in place: a
 * regular file is mapped private (what is written stays in this process,
 * a page copied when first written) and placed at address hint when that
 * range is free, else where the system puts it.  hint must not be NULL.
 */
enum nv_rc nv_file_map_private(struct nv_file *f, const char *path, void *hint,
                               size_t limit, struct nv_err *err) NV_WUR;

/* Unmap or free the data; f becomes empty. */
void nv_file_release(struct nv_file *f);

/* Whether path names a directory. */
int nv_file_is_dir(const char *path);

/* Remove the files in directory dir (not below it), then dir itself; a
 * scratch directory's cleanup, so what cannot be removed stays. */
void nv_file_remove_dir(const char *dir);

#endif
