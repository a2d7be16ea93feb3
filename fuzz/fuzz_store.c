/*
 * fuzz_store.c - the store's reader over a hostile file: open (and
 * migrate), list, resolve, read every snapshot back and load it as a
 * model, read a kept posture row.  The input is written to a file in a
 * new temporary directory, which is removed afterwards with whatever
 * SQLite or a migration put beside it.
 */
#include "core/file.h"
#include "model/load.h"
#include "store/posture.h"
#include "store/store.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_snapshot(struct nv_store *s, const char *id)
{
    struct nv_model *m = nv_model_new();
    struct nv_posture ps;
    struct nv_err err = {0};
    char *text = NULL;
    size_t len = 0;

    if (m && !nv_store_get(s, id, &text, &len, NULL, NULL, &err) &&
        !nv_load_text(m, "fuzz", text, len, &err))
        (void)!nv_model_finish(m, &err);
    nv_free(text);
    text = NULL;
    if (!nv_store_cache_get(s, id, "k", &text, &len, &err) && text &&
        !nv_posture_read(text, len, "fuzz", &ps, &err))
        nv_posture_release(&ps);
    nv_free(text);
    nv_model_free(m);
}

static void read_store(const char *path)
{
    struct nv_store *s = NULL;
    struct nv_snapshots l;
    struct nv_err err = {0};
    char id[NV_SHA256_HEX];

    if (nv_store_open(path, &s, &err))
        return;
    if (!nv_store_list(s, &l, &err)) {
        for (uint32_t i = 0; i < l.n && i < 16; i++)
            read_snapshot(s, l.v[i].id);
        nv_store_snapshots_release(&l);
    }
    (void)!nv_store_resolve(s, "last", id, &err);
    (void)!nv_store_resolve(s, "0123", id, &err);
    nv_store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/nv-fuzz-store-XXXXXX", path[64];
    FILE *f;

    if (!mkdtemp(dir))
        return 0;
    snprintf(path, sizeof path, "%s/s.db", dir);
    f = fopen(path, "wb");
    if (f && fwrite(data, 1, size, f) == size && fclose(f) == 0)
        read_store(path);
    else if (f)
        fclose(f);
    nv_file_remove_dir(dir);
    return 0;
}
