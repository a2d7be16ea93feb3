/*
 * test_progress.c - when a progress sink is drawn, without any clock
 * in the assertions: the delays are either zero or an hour.
 */
#include "core/progress.h"
#include "core/threads.h"
#include "test.h"

#include <stdio.h>

struct seen {
    int draws, erases;
    char what[160];
    uint64_t done, total;
};

static void record(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    struct seen *s = ctx;

    if (!what) {
        s->erases++;
        return;
    }
    s->draws++;
    snprintf(s->what, sizeof s->what, "%s", what);
    s->done = done;
    s->total = total;
}

NV_TEST(progress_null_is_no_progress)
{
    nv_progress_begin(NULL, "loading", "x", 10);
    nv_progress_set(NULL, 3);
    nv_progress_add(NULL, 1);
    nv_progress_end(NULL);
    ASSERT(1);
}

NV_TEST(progress_drawn_once_due_then_erased)
{
    struct nv_progress p;
    struct seen s = {0};

    nv_progress_init(&p, record, &s, 0, 3600000);
    nv_progress_set(&p, 5); /* no job begun: nothing */
    ASSERT_EQ(s.draws, 0);
    nv_progress_begin(&p, "loading", "big.json", 100);
    nv_progress_set(&p, 40);
    nv_progress_add(&p, 2); /* the next drawing is an hour away */
    ASSERT_EQ(s.draws, 1);
    ASSERT(strcmp(s.what, "loading big.json") == 0);
    ASSERT_EQ(s.done, 40);
    ASSERT_EQ(s.total, 100);
    nv_progress_end(&p);
    ASSERT_EQ(s.erases, 1);
    nv_progress_end(&p); /* nothing left to erase */
    ASSERT_EQ(s.erases, 1);
}

NV_TEST(progress_quick_job_never_drawn)
{
    struct nv_progress p;
    struct seen s = {0};

    nv_progress_init(&p, record, &s, 3600000, 0);
    nv_progress_begin(&p, "exposure", NULL, 3);
    for (int i = 0; i < 3; i++)
        nv_progress_add(&p, 1);
    nv_progress_end(&p);
    ASSERT_EQ(s.draws, 0);
    ASSERT_EQ(s.erases, 0);
}

NV_TEST(progress_phases_keep_the_job)
{
    struct nv_progress p;
    struct seen s = {0};

    nv_progress_init(&p, record, &s, 0, 0);
    nv_progress_begin(&p, "must", NULL, 4);
    nv_progress_set(&p, 1);
    nv_progress_begin(&p, "may", NULL, 8);
    nv_progress_set(&p, 2);
    ASSERT_EQ(s.draws, 2);
    ASSERT(strcmp(s.what, "may") == 0);
    ASSERT_EQ(s.total, 8);
    ASSERT_EQ(s.erases, 0); /* one line for the whole job */
    nv_progress_end(&p);
    ASSERT_EQ(s.erases, 1);
}

/* A job begun with its total unknown is drawn as a count, then as a share
 * of the total once it is known; a total given before any job began is
 * ignored. */
NV_TEST(progress_total_known_later)
{
    struct nv_progress p;
    struct seen s = {0};

    nv_progress_init(&p, record, &s, 0, 0);
    nv_progress_total(&p, 7); /* no job begun: nothing */
    nv_progress_begin(&p, "hashing", "src", 0);
    nv_progress_add(&p, 3);
    ASSERT_EQ(s.total, 0);
    ASSERT_EQ(s.done, 3);
    nv_progress_total(&p, 12);
    nv_progress_add(&p, 1);
    ASSERT_EQ(s.total, 12);
    ASSERT_EQ(s.done, 4);
    nv_progress_end(&p);
}

static void *add_many(void *arg)
{
    for (int i = 0; i < 10000; i++)
        nv_progress_add(arg, 1);
    return NULL;
}

NV_TEST(progress_counts_from_threads)
{
    struct nv_progress p;
    struct seen s = {0};

    nv_progress_init(&p, record, &s, 3600000, 0);
    nv_progress_begin(&p, "hashing", NULL, 0);
    nv_threads_run(4, add_many, &p);
    ASSERT_EQ(atomic_load(&p.done), 4 * 10000);
    nv_progress_end(&p);
}
