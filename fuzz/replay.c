/*
 * replay.c - run a fuzz target over files and directories without
 * libFuzzer, so that `make check` replays every corpus with gcc.
 */
#include "core/file.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    struct nv_file f;
    struct nv_err err = {0};

    if (nv_file_read(&f, path, (size_t)64 << 20, &err)) {
        fprintf(stderr, "replay: %s: %s\n", path, err.msg);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)f.data, f.len);
    nv_file_release(&f);
    return 0;
}

static int replay(const char *path, int *count)
{
    DIR *d;
    struct dirent *e;
    int bad = 0;

    if (!nv_file_is_dir(path)) {
        ++*count;
        return replay_file(path);
    }
    d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        bad |= replay(sub, count);
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0, count = 0;

    for (int i = 1; i < argc; i++)
        bad |= replay(argv[i], &count);
    printf("replay %s: %d inputs\n", argc > 1 ? argv[1] : "", count);
    return bad;
}
