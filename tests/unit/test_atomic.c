/*
 * test_atomic.c - the one atomic writer: a file is replaced whole or not
 * at all, whatever step a crash stops at, and failures leave nothing.
 */
#include "test.h"

#include "core/atomic.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole content of path into buf (NUL-terminated); its length or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return -1;
    n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

/* The number of entries of dir other than . and .. */
static int entries(const char *dir)
{
    char cmd[4200];
    int n = -1;

    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    if (p && fscanf(p, "%d", &n) != 1)
        n = -1;
    if (p)
        pclose(p);
    return n;
}

NV_TEST(atomic_replace_and_stream)
{
    char dir[4096], path[4200], buf[256];
    struct nv_err err = {0};
    struct nv_atomic a;

    snprintf(dir, sizeof dir, "%s", nv_t_tmpdir());
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ASSERT_EQ(nv_atomic_replace(path, "old\n", 4, 0666, &err), NV_OK);
    ASSERT_EQ(slurp(path, buf, sizeof buf), 4);

    /* Until commit, readers see the old content; after it, the new. */
    ASSERT_EQ(nv_atomic_open(&a, path, 0666, &err), NV_OK);
    FILE *f = nv_atomic_stream(&a);
    ASSERT(f != NULL);
    fprintf(f, "new %d\n", 42);
    ASSERT_EQ(slurp(path, buf, sizeof buf), 4);
    ASSERT_EQ(nv_atomic_commit(&a, &err), NV_OK);
    ASSERT_EQ(slurp(path, buf, sizeof buf), 7);
    ASSERT(strcmp(buf, "new 42\n") == 0);

    /* An abandoned replacement leaves the file and no temporary. */
    ASSERT_EQ(nv_atomic_open(&a, path, 0666, &err), NV_OK);
    ASSERT_EQ(nv_atomic_write(&a, "x", 1, &err), NV_OK);
    nv_atomic_abort(&a);
    ASSERT_EQ(slurp(path, buf, sizeof buf), 7);
    ASSERT_EQ(entries(dir), 1);
}

/* The mode given less the umask, as for any file the user creates. */
NV_TEST(atomic_mode_follows_umask)
{
    char path[4096];
    struct nv_err err = {0};
    struct stat st;
    mode_t old = umask(027);

    snprintf(path, sizeof path, "%s/m", nv_t_tmpdir());
    enum nv_rc rc = nv_atomic_replace(path, "x", 1, 0666, &err);
    umask(old);
    ASSERT_EQ(rc, NV_OK);
    ASSERT_EQ(stat(path, &st), 0);
    ASSERT_EQ(st.st_mode & 0777, 0640);
}

/* A directory that does not exist: an error naming the file, nothing
 * created. */
NV_TEST(atomic_failure_names_the_file)
{
    char path[4096];
    struct nv_err err = {0};

    snprintf(path, sizeof path, "%s/no/such/dir/f", nv_t_tmpdir());
    ASSERT_EQ(nv_atomic_replace(path, "x", 1, 0666, &err), NV_EIO);
    ASSERT(strcmp(err.file, path) == 0);
    ASSERT(strstr(err.msg, "cannot create") != NULL);
}

/* Replace the file in a child that stops at file operation step. */
static int crashing_replace(const char *path, long step)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct nv_err err = {0};
        nv_atomic_crash_after(step);
        _exit(nv_atomic_replace(path, "the new content\n", 16, 0666, &err) ? 1
                                                                           : 0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* Whatever step a crash stops at, the file holds the old content or the
 * new, never a part or a mix; once a run goes through, the new. */
NV_TEST(atomic_crash_at_every_step)
{
    char path[4096], buf[256];
    struct nv_err err = {0};
    int status = NV_ATOMIC_CRASH_EXIT;
    long step;

    snprintf(path, sizeof path, "%s/c", nv_t_tmpdir());
    ASSERT_EQ(nv_atomic_replace(path, "old\n", 4, 0666, &err), NV_OK);
    for (step = 0; status == NV_ATOMIC_CRASH_EXIT; step++) {
        ASSERT(step < 32);
        status = crashing_replace(path, step);
        ASSERT(status == 0 || status == NV_ATOMIC_CRASH_EXIT);
        long n = slurp(path, buf, sizeof buf);
        if (status == 0)
            ASSERT(strcmp(buf, "the new content\n") == 0);
        else
            ASSERT(n == 4 || strcmp(buf, "the new content\n") == 0);
    }
    /* open, write, sync, rename, directory sync: each was a crash point */
    ASSERT(step >= 5);
}

/* A device is written in place, never replaced by a file; a symbolic
 * link keeps pointing at its target, which gets the new content. */
NV_TEST(atomic_devices_and_links)
{
    char dir[4096], file[4200], link[4200], buf[64];
    struct nv_err err = {0};
    struct stat st;

    ASSERT_EQ(nv_atomic_replace("/dev/null", "x", 1, 0666, &err), NV_OK);
    ASSERT_EQ(stat("/dev/null", &st), 0);
    ASSERT(S_ISCHR(st.st_mode));
    if (stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode)) {
        ASSERT_EQ(nv_atomic_replace("/dev/full", "x", 1, 0666, &err), NV_EIO);
        ASSERT_EQ(stat("/dev/full", &st), 0);
        ASSERT(S_ISCHR(st.st_mode));
    }
    snprintf(dir, sizeof dir, "%s", nv_t_tmpdir());
    snprintf(file, sizeof file, "%s/target", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    ASSERT_EQ(nv_atomic_replace(file, "old", 3, 0666, &err), NV_OK);
    ASSERT_EQ(symlink(file, link), 0);
    ASSERT_EQ(nv_atomic_replace(link, "new!", 4, 0666, &err), NV_OK);
    ASSERT_EQ(lstat(link, &st), 0);
    ASSERT(S_ISLNK(st.st_mode));
    ASSERT_EQ(slurp(file, buf, sizeof buf), 4);
}
