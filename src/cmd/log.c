/*
 * log.c - `netvet log`: append to, show, prove and verify the evidence
 * log (docs/log.md).  Each action has its own option table and help.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "integrity/evlog.h"
#include "integrity/evproof.h"
#include "core/file.h"

#include <stdio.h>
#include <string.h>

static const char about[] =
    "The evidence log: an append-only log of entries (in practice one\n"
    "JSON object each: a manifest, a verification, a decision) in a\n"
    "Merkle tree in the manner of RFC 9162, with a checkpoint signed with\n"
    "Ed25519 after every append.  'append' adds an entry, 'show' lists the\n"
    "entries, 'prove' writes an inclusion or consistency proof as JSON,\n"
    "and 'verify' checks the whole log or a proof with the public key\n"
    "alone.  Appends survive a crash at any point: the log then holds the\n"
    "entries before or after the append.  'netvet log ACTION --help'\n"
    "explains an action.  Exit status of verify: 0 it holds, 1 it does\n"
    "not (a changed, missing or unproven entry), 2 bad input or a bad\n"
    "signature.";

static const char examples[] =
    "  netvet keygen log                  # log.key and log.pub\n"
    "  netvet log append evidence --key log.key --text '{\"event\":\"x\"}'\n"
    "  netvet log show evidence\n"
    "  netvet log prove evidence --index 0 > proof.json\n"
    "  netvet log verify --proof proof.json --trust log.pub\n"
    "  netvet log verify evidence --trust log.pub\n";

/* Print the error and pick the exit status: a log or proof that does
 * not hold is a finding, anything else bad input. */
static int fail(const struct nv_err *err)
{
    int rc = nv_cli_fail(err);
    return err->rc == NV_ECONFLICT ? NV_EXIT_FINDINGS : rc;
}

/* Load the key in path into *k, printing why not. */
static int load_key(const char *path, struct nv_key **k)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    return nv_key_load(path, k, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* The log in dir, opened, printing why not. */
static int open_log(const char *dir, struct nv_evlog **log)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    return nv_evlog_open(dir, log, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* ---- append ---- */

/* The most input one --lines call reads. */
#define MAX_LINES_INPUT ((size_t)1 << 30)

struct append_opts {
    const char *key, *origin, *text;
    int lines;
};

/* The next line of data[*pos..len) without its newline (nor a CR before
 * it) into *item; *pos moves past it. */
static void next_line(const char *data, size_t len, size_t *pos,
                      struct nv_evlog_item *item)
{
    const char *s = data + *pos, *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;

    *pos += n + (nl != NULL);
    if (n && s[n - 1] == '\r')
        n--;
    item->data = s;
    item->n = n;
}

/* The non-empty lines of f as entries, in *items (nv_free it); a line
 * longer than an entry may be is an error at its line. */
static enum nv_rc split_lines(const struct nv_file *f, const char *file,
                              struct nv_evlog_item **items, size_t *count,
                              struct nv_err *err)
{
    size_t lines = 0, pos = 0, n = 0;
    unsigned long no = 0;
    struct nv_evlog_item item;

    for (size_t i = 0; i < f->len; i++)
        lines += f->data[i] == '\n';
    *items = nv_calloc(lines + 1, sizeof **items);
    if (!*items)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    while (pos < f->len) {
        next_line(f->data, f->len, &pos, &item);
        no++;
        if (item.n > NV_EVLOG_MAX_ENTRY)
            return nv_err_at(err, NV_ELIMIT, file, no, 1,
                             "an entry has at most 1 MiB");
        if (item.n)
            (*items)[n++] = item;
    }
    *count = n;
    return n ? NV_OK : nv_err_at(err, NV_EINVAL, file, 0, 0, "no entries");
}

/* Append each non-empty line of file as an entry, under one checkpoint. */
static enum nv_rc append_lines(const char *dir, const struct nv_key *k,
                               const struct append_opts *o, const char *file,
                               struct nv_err *err)
{
    struct nv_file f = {NULL, 0, 0};
    struct nv_evlog_item *items = NULL;
    size_t count = 0;
    uint64_t first;
    enum nv_rc rc = nv_file_read(&f, file, MAX_LINES_INPUT, err);

    if (!rc)
        rc = split_lines(&f, file, &items, &count, err);
    if (!rc)
        rc = nv_evlog_record_many(dir, k, o->origin, items, count, &first, err);
    if (!rc)
        printf("appended entries %llu to %llu to %s\n",
               (unsigned long long)first,
               (unsigned long long)(first + count - 1), dir);
    nv_free(items);
    nv_file_release(&f);
    return rc;
}

/* Append the bytes of file, or the text, as one entry. */
static enum nv_rc append_one(const char *dir, const struct nv_key *k,
                             const struct append_opts *o, const char *file,
                             struct nv_err *err)
{
    struct nv_file f = {NULL, 0, 0};
    uint64_t index;
    enum nv_rc rc =
        file ? nv_file_read(&f, file, NV_EVLOG_MAX_ENTRY, err) : NV_OK;

    if (!rc)
        rc = nv_evlog_record(dir, k, o->origin,
                             file ? (f.data ? f.data : "") : o->text,
                             file ? f.len : strlen(o->text), &index, err);
    if (!rc)
        printf("appended entry %llu to %s\n", (unsigned long long)index, dir);
    nv_file_release(&f);
    return rc;
}

static int append_entry(const char *dir, const struct append_opts *o,
                        const char *file)
{
    struct nv_key *k = NULL;
    struct nv_err err = {0};
    int rc = load_key(o->key, &k);

    nv_err_clear(&err);
    if (!rc && (o->lines ? append_lines(dir, k, o, file, &err)
                         : append_one(dir, k, o, file, &err)))
        rc = fail(&err);
    nv_key_free(k);
    return rc;
}

static int log_append(int argc, char **argv)
{
    struct append_opts o = {NULL, NULL, NULL, 0};
    const struct nv_opt opts[] = {
        {"key", NV_OPT_STRING, &o.key, "KEY", "the private key that signs"},
        {"origin", NV_OPT_STRING, &o.origin, "NAME",
         "the log's name (a new log; default \"" NV_EVLOG_DEFAULT_ORIGIN "\")"},
        {"text", NV_OPT_STRING, &o.text, "TEXT", "the entry, given inline"},
        {"lines", NV_OPT_FLAG, &o.lines, NULL,
         "each non-empty line of FILE is an entry (JSON lines)"},
    };
    const struct nv_cmd_spec spec = {
        "log append",
        "DIR (FILE | - | --text TEXT) [--lines]",
        "Append one entry (at most 1 MiB: the bytes of FILE, of standard\n"
        "input with '-', or TEXT) to the log in DIR, creating the log if\n"
        "missing, and sign a new checkpoint with KEY.  With --lines each\n"
        "non-empty line of FILE or standard input (up to 1 GiB; a CR\n"
        "before the newline is dropped) is an entry, all appended under\n"
        "one checkpoint: all of them or none.  The checkpoint is verified\n"
        "with KEY and the log's last record against it first (the whole\n"
        "log when its state file is missing or does not match): a log that\n"
        "does not hold is never extended.  Prints the entries' indexes.",
        "  netvet log append evidence --key log.key manifest.json\n"
        "  netvet log append evidence --key log.key --text "
        "'{\"decision\":\"accept\"}'\n"
        "  netvet log append evidence --key log.key --lines events.jsonl\n",
        opts,
        sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {NULL, 0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK &&
        (!o.key || args.n != (o.text ? 1u : 2u) || (o.text && o.lines)))
        rc = nv_cli_usage_error(&spec, "name DIR, --key KEY and one of "
                                       "FILE, - or --text TEXT (not with "
                                       "--lines)");
    if (rc == NV_EXIT_OK)
        rc = append_entry(args.items[0], &o, o.text ? NULL : args.items[1]);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}

/* ---- show ---- */

/* Whether the entry can be shown as it is: UTF-8 on one line. */
static int printable(const unsigned char *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (e[i] < 0x20 || e[i] == 0x7f)
            return 0;
    return nv_utf8_valid((const char *)e, n);
}

static void show_text(const struct nv_evlog *log)
{
    const struct nv_checkpoint *cp = nv_evlog_checkpoint(log);
    char root[NV_SHA256_HEX], leaf[NV_SHA256_HEX];

    if (!cp) {
        printf("no entries yet\n");
        return;
    }
    nv_hex(cp->root, NV_MERKLE_HASH, root);
    printf("log \"%s\": %llu entries, root %s\nsigned by key %s\n\n",
           cp->origin, (unsigned long long)cp->size, root, cp->signer);
    for (uint64_t i = 0; i < nv_evlog_size(log); i++) {
        size_t n;
        const unsigned char *e = nv_evlog_entry(log, i, &n);
        nv_hex(nv_evlog_leaves(log) + i * NV_MERKLE_HASH, 8, leaf);
        printf("%6llu  %s  ", (unsigned long long)i, leaf);
        if (printable(e, n))
            printf("%.*s%s\n", (int)(n > 100 ? 100 : n), (const char *)e,
                   n > 100 ? "..." : "");
        else
            printf("(%zu bytes)\n", n);
    }
}

/* An entry as a JSON object: the entry itself if it is JSON, else its
 * bytes in base64. */
static void show_json_entry(struct nv_jsonw *w, const struct nv_evlog *log,
                            uint64_t i, struct nv_arena *a)
{
    char leaf[NV_SHA256_HEX];
    size_t n;
    const unsigned char *e = nv_evlog_entry(log, i, &n);
    struct nv_json *v;
    struct nv_err err = {0};

    nv_hex(nv_evlog_leaves(log) + i * NV_MERKLE_HASH, NV_MERKLE_HASH, leaf);
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "index");
    nv_jsonw_int(w, (int64_t)i);
    nv_jsonw_key(w, "hash");
    nv_jsonw_str(w, leaf);
    nv_arena_reset(a);
    if (nv_json_parse((const char *)e, n, "entry", a, &v, &err) == NV_OK) {
        nv_jsonw_key(w, "entry");
        nv_jsonw_value(w, v);
    } else {
        char *b64 = nv_malloc(nv_base64_len(n) + 1);
        if (b64)
            nv_base64(e, n, b64);
        nv_jsonw_key(w, "base64");
        nv_jsonw_str_or_null(w, b64);
        nv_free(b64);
    }
    nv_jsonw_obj_end(w);
}

static void show_json(const struct nv_evlog *log, struct nv_jsonw *w)
{
    const struct nv_checkpoint *cp = nv_evlog_checkpoint(log);
    char root[NV_SHA256_HEX];
    struct nv_arena a;

    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "origin");
    nv_jsonw_str_or_null(w, cp ? cp->origin : NULL);
    nv_jsonw_key(w, "size");
    nv_jsonw_int(w, cp ? (int64_t)cp->size : 0);
    if (cp)
        nv_hex(cp->root, NV_MERKLE_HASH, root);
    nv_jsonw_key(w, "root");
    nv_jsonw_str_or_null(w, cp ? root : NULL);
    nv_jsonw_key(w, "signer");
    nv_jsonw_str_or_null(w, cp ? cp->signer : NULL);
    nv_jsonw_key(w, "entries");
    nv_jsonw_arr(w);
    nv_arena_init(&a);
    for (uint64_t i = 0; i < nv_evlog_size(log); i++)
        show_json_entry(w, log, i, &a);
    nv_arena_release(&a);
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

static int show(const struct nv_evlog *log, int json)
{
    struct nv_jsonw *w = json ? nv_jsonw_new(stdout, 1) : NULL;
    struct nv_err err = {0};
    int rc = NV_EXIT_OK;

    nv_err_clear(&err);
    if (json && !w)
        return NV_EXIT_INTERNAL;
    if (json)
        show_json(log, w);
    else
        show_text(log);
    if (w && nv_jsonw_finish(w, &err))
        rc = nv_cli_fail(&err);
    nv_jsonw_free(w);
    /* What was shown is not the signed log: say so. */
    if (!rc && nv_evlog_checkpoint(log) && nv_evlog_check(log, &err))
        rc = fail(&err);
    return rc;
}

static int log_show(int argc, char **argv)
{
    int json = 0;
    const struct nv_opt opts[] = {
        {"json", NV_OPT_FLAG, &json, NULL, "one JSON document"},
    };
    const struct nv_cmd_spec spec = {
        "log show",
        "DIR",
        "List the entries of the log in DIR with their index and leaf hash,\n"
        "and its checkpoint (name, size, root and signing key).  Exit\n"
        "status 1 if the entries do not hash to the checkpoint's root; the\n"
        "signature is checked by 'netvet log verify'.",
        "  netvet log show evidence\n  netvet log show evidence --json\n",
        opts,
        sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {NULL, 0};
    struct nv_evlog *log = NULL;
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK && args.n != 1)
        rc = nv_cli_usage_error(&spec, "name one log DIR");
    if (rc == NV_EXIT_OK)
        rc = open_log(args.items[0], &log);
    if (rc == NV_EXIT_OK)
        rc = show(log, json);
    nv_evlog_free(log);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}

/* ---- prove ---- */

struct prove_opts {
    const char *index, *size, *from, *to;
};

/* The proof the options ask for, written to standard output. */
static int prove(const struct nv_evlog *log, const uint32_t v[4], int incl)
{
    struct nv_evproof p;
    struct nv_jsonw *w;
    struct nv_err err = {0};
    enum nv_rc rc;

    nv_err_clear(&err);
    rc = incl ? nv_evproof_inclusion(log, v[0], v[1], &p, &err)
              : nv_evproof_consistency(log, v[2], v[3], &p, &err);
    if (rc)
        return fail(&err);
    w = nv_jsonw_new(stdout, 1);
    if (!w)
        return NV_EXIT_INTERNAL;
    rc = nv_evproof_write(&p, w, &err);
    if (!rc)
        rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* Exactly one kind of proof, and its numbers, parsed into v. */
static int prove_numbers(const struct nv_cmd_spec *spec,
                         const struct prove_opts *o, uint32_t v[4])
{
    const char *const text[4] = {o->index, o->size, o->from, o->to};
    const char *const names[4] = {"index", "size", "from", "to"};
    int rc = NV_EXIT_OK;

    if (!o->index == !o->from || (o->index && o->to) || (o->from && o->size))
        return nv_cli_usage_error(spec, "give --index I [--size N] or "
                                        "--from M [--to N]");
    for (int i = 0; i < 4 && rc == NV_EXIT_OK; i++)
        rc = nv_cli_number(spec, names[i], text[i],
                           (int64_t)NV_EVLOG_MAX_ENTRIES, &v[i]);
    return rc;
}

static int log_prove(int argc, char **argv)
{
    struct prove_opts o = {NULL, NULL, NULL, NULL};
    const struct nv_opt opts[] = {
        {"index", NV_OPT_STRING, &o.index, "I", "prove that entry I is in"},
        {"size", NV_OPT_STRING, &o.size, "N",
         "in the tree of the first N entries (default: all)"},
        {"from", NV_OPT_STRING, &o.from, "M",
         "prove that the first M entries are a prefix"},
        {"to", NV_OPT_STRING, &o.to, "N",
         "of the first N entries (default: all)"},
    };
    const struct nv_cmd_spec spec = {
        "log prove",
        "DIR (--index I [--size N] | --from M [--to N])",
        "Write a proof as JSON: that entry I is in the log (an inclusion\n"
        "proof, with the entry), or that the log of M entries is a prefix\n"
        "of the log of N (a consistency proof: nothing was changed or\n"
        "removed).  The proof carries the signed checkpoint, so that\n"
        "'netvet log verify --proof' checks it with the public key alone.",
        "  netvet log prove evidence --index 3 > entry-3.json\n"
        "  netvet log prove evidence --from 10 > since-10.json\n",
        opts,
        sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {NULL, 0};
    struct nv_evlog *log = NULL;
    uint32_t v[4] = {0, 0, 0, 0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK && args.n != 1)
        rc = nv_cli_usage_error(&spec, "name one log DIR");
    if (rc == NV_EXIT_OK)
        rc = prove_numbers(&spec, &o, v);
    if (rc == NV_EXIT_OK)
        rc = open_log(args.items[0], &log);
    if (rc == NV_EXIT_OK)
        rc = prove(log, v, o.index != NULL);
    nv_evlog_free(log);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}

/* ---- verify ---- */

struct verify_opts {
    const char *trust, *proof, *entry;
};

static int verify_log(const char *dir, const struct nv_key *k)
{
    struct nv_evlog *log = NULL;
    struct nv_err err = {0};
    int rc = open_log(dir, &log);

    nv_err_clear(&err);
    if (!rc && nv_evlog_verify(log, k, &err))
        rc = fail(&err);
    if (!rc)
        printf("ok: log \"%s\" in %s holds %llu entries, signed by key "
               "%.16s\n",
               nv_evlog_checkpoint(log)->origin, dir,
               (unsigned long long)nv_evlog_size(log), nv_key_id(k));
    nv_evlog_free(log);
    return rc;
}

/* Whether file holds exactly the entry p is about. */
static int same_entry(const struct nv_evproof *p, const char *file)
{
    struct nv_file f;
    struct nv_err err = {0};
    int rc;

    nv_err_clear(&err);
    if (nv_file_read(&f, file, NV_EVLOG_MAX_ENTRY, &err))
        return nv_cli_fail(&err);
    rc = f.len == p->entry_len &&
                 (f.len == 0 || memcmp(f.data, p->entry, f.len) == 0)
             ? NV_EXIT_OK
             : NV_EXIT_FINDINGS;
    nv_file_release(&f);
    if (rc)
        fprintf(stderr, "netvet: %s: not the entry the proof is about\n", file);
    return rc;
}

static void print_proven(const struct nv_evproof *p)
{
    if (p->kind == NV_EVPROOF_INCLUSION)
        printf("ok: entry %llu is in log \"%s\" (%llu entries)\n",
               (unsigned long long)p->index, p->cp.origin,
               (unsigned long long)p->cp.size);
    else
        printf("ok: log \"%s\" of %llu entries extends the log of %llu\n",
               p->cp.origin, (unsigned long long)p->cp.size,
               (unsigned long long)p->old_size);
}

static int verify_proof(const struct verify_opts *o, const struct nv_key *k)
{
    struct nv_file f;
    struct nv_arena a;
    struct nv_evproof p;
    struct nv_err err = {0};
    int rc = NV_EXIT_OK;

    nv_err_clear(&err);
    if (nv_file_read(&f, o->proof, NV_EVPROOF_MAX_TEXT, &err))
        return nv_cli_fail(&err);
    nv_arena_init(&a);
    if (nv_evproof_parse(f.data, f.len, o->proof, &a, &p, &err) ||
        nv_evproof_verify(&p, k, &err))
        rc = fail(&err);
    if (!rc && o->entry && p.kind != NV_EVPROOF_INCLUSION) {
        nv_err_at(&err, NV_EINVAL, o->proof, 0, 0,
                  "a consistency proof has no entry to compare");
        rc = nv_cli_fail(&err);
    }
    if (!rc && o->entry)
        rc = same_entry(&p, o->entry);
    if (!rc)
        print_proven(&p);
    nv_arena_release(&a);
    nv_file_release(&f);
    return rc;
}

static int log_verify(int argc, char **argv)
{
    struct verify_opts o = {NULL, NULL, NULL};
    const struct nv_opt opts[] = {
        {"trust", NV_OPT_STRING, &o.trust, "PUBKEY",
         "the log's public key (PEM)"},
        {"proof", NV_OPT_STRING, &o.proof, "FILE",
         "check a proof from 'netvet log prove' instead of a log"},
        {"entry", NV_OPT_STRING, &o.entry, "FILE",
         "and that the proven entry is this file's bytes"},
    };
    const struct nv_cmd_spec spec = {
        "log verify",
        "(DIR | --proof FILE [--entry FILE]) --trust PUBKEY",
        "Check the log in DIR (the checkpoint's signature, then every entry\n"
        "against the signed root), or a proof without the log.  Exit status\n"
        "0 if it holds, 1 if it does not (an entry changed, missing or not\n"
        "proven), 2 on bad input or a bad signature.",
        "  netvet log verify evidence --trust log.pub\n"
        "  netvet log verify --proof entry-3.json --trust log.pub\n"
        "  netvet log verify --proof entry-3.json --entry manifest.json "
        "--trust log.pub\n",
        opts,
        sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {NULL, 0};
    struct nv_key *k = NULL;
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK &&
        (!o.trust || args.n != (o.proof ? 0u : 1u) || (o.entry && !o.proof)))
        rc = nv_cli_usage_error(&spec, "name --trust PUBKEY and either a log "
                                       "DIR or --proof FILE");
    if (rc == NV_EXIT_OK)
        rc = load_key(o.trust, &k);
    if (rc == NV_EXIT_OK)
        rc = o.proof ? verify_proof(&o, k) : verify_log(args.items[0], k);
    nv_key_free(k);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}

int cmd_log(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } actions[] = {{"append", log_append},
                   {"prove", log_prove},
                   {"show", log_show},
                   {"verify", log_verify}};
    const struct nv_cmd_spec spec = {"log",    "ACTION ...", about,
                                     examples, NULL,         0};

    for (size_t i = 0; argc > 1 && i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(argv[1], actions[i].name) == 0)
            return actions[i].run(argc - 1, argv + 1);
    if (argc > 1 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        nv_cli_usage(&spec, stdout);
        return NV_EXIT_OK;
    }
    if (argc < 2) {
        nv_cli_usage(&spec, stderr);
        return NV_EXIT_USAGE;
    }
    return nv_cli_usage_error(&spec,
                              "'%s' is not an action: append, show, "
                              "prove or verify",
                              argv[1]);
}
