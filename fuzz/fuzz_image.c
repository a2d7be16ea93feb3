/*
 * fuzz_image.c - image readers (archives through libarchive, squashfs
 * through libsquashfs): the input is written to a temporary file, which
 * is what the readers take.
 */
#include "integrity/image.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/netvet-fuzz-image-XXXXXX";

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    struct nv_image_limits l;
    struct nv_manifest m;
    struct nv_err err = {0};

    if (fd < 0) {
        if ((fd = mkstemp(path)) < 0)
            abort();
        atexit(remove_file);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    nv_image_limits_default(&l);
    l.max_bytes = (uint64_t)64 << 20; /* bombs stop early */
    nv_manifest_init(&m);
    (void)!nv_image_read(path, &l, &m, &err);
    nv_manifest_release(&m);
    return 0;
}
