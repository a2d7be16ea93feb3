/*
 * update.c - `netvet update`: check a signed update before it is
 * installed; also make the trust root and sign the metadata it checks.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/file.h"
#include "cmd/evaluated.h"
#include "cmd/update_describe.h"
#include "integrity/update.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ROOT_LIMIT ((size_t)1 << 20)
#define META_LIMIT ((size_t)16 << 20)
#define SUMMARY_LIMIT ((size_t)1 << 16)

static const char about[] =
    "Check TARGET, a firmware or software update, before it is installed,\n"
    "in the manner of The Update Framework.  META is a DSSE envelope of\n"
    "targets metadata: a version, an expiry time and, for each file, its\n"
    "length, SHA-256 and the hardware it is for.  ROOT names the Ed25519\n"
    "keys allowed to sign it and how many must (k of n).  The checks, in\n"
    "order, each printed with its result: signatures (k distinct trusted\n"
    "keys), metadata (well-formed), rollback (version not below the last\n"
    "accepted one, and the same version only with the same content),\n"
    "expiry (not expired at --now), target (listed by its file name or\n"
    "--name), length, sha256 (the file is never read past the listed\n"
    "length), hardware (--hardware must be listed when the target lists\n"
    "any).  The first failure refuses the update.  An accepted update\n"
    "advances the state kept in --state DIR for this trust root.\n"
    "\n"
    "With --init-root, write a trust root of the --key public keys; with\n"
    "--sign PAYLOAD, check the targets metadata in PAYLOAD and write it as\n"
    "an envelope signed by each --key private key.  Formats, and which\n"
    "attack each check stops: docs/update.md.  Exit status 0 accepted, 1\n"
    "refused, 2 bad input (unreadable files, malformed root or metadata).";

static const char examples[] =
    "  netvet keygen keys/a; netvet keygen keys/b; netvet keygen keys/c\n"
    "  # a trust root: any 2 of the 3 keys must sign\n"
    "  netvet update --init-root --threshold 2 --key keys/a.pub \\\n"
    "      --key keys/b.pub --key keys/c.pub > root.json\n"
    "  # the vendor writes the metadata of the file (never by hand)\n"
    "  netvet update --describe fw-4.2.bin --version 7 \\\n"
    "      --expires 2027-01-01T00:00:00Z --hardware acme-r7 > targets.json\n"
    "  # which lists the files, such as\n"
    "  #   {\"_type\":\"targets\",\"spec\":\"netvet-update/1\",\"version\":7,\n"
    "  #    \"expires\":\"2027-01-01T00:00:00Z\",\"targets\":{\"fw-4.2.bin\":\n"
    "  #    {\"length\":1048576,\"sha256\":\"9f86...\",\"hardware\":"
    "[\"acme-r7\"]}}}\n"
    "  # and signs it\n"
    "  netvet update --sign targets.json --key keys/a.key --key keys/b.key "
    "> fw.meta\n"
    "  # the operator checks the file before installing it\n"
    "  netvet update fw-4.2.bin --metadata fw.meta --trust-root root.json "
    "\\\n"
    "      --hardware acme-r7\n"
    "  netvet update fw.bin --metadata fw.meta --trust-root root.json \\\n"
    "      --name fw-4.2.bin --now 2026-12-01T00:00:00Z --json\n";

struct update_opts {
    const char *meta, *root, *state, *hardware, *name, *now, *sign, *threshold;
    const char *describe, *version, *expires, *against;
    struct nv_cli_evidence evidence;
    struct nv_strlist keys, trust;
    int json, init_root;
};

/* --init-root or --sign: keys in, one document out. */
static int make_document(const struct nv_cmd_spec *spec,
                         const struct update_opts *o)
{
    struct nv_key *keys[NV_UPDATE_MAX_KEYS];
    struct nv_file f = {0};
    struct nv_err err = {0};
    uint32_t threshold = 0;
    size_t n = 0;
    int rc = nv_cli_number(spec, "threshold", o->threshold, NV_UPDATE_MAX_KEYS,
                           &threshold);

    nv_err_clear(&err);
    if (!rc && (o->keys.n == 0 || o->keys.n > NV_UPDATE_MAX_KEYS))
        rc = nv_cli_usage_error(spec, "name 1 to %d keys with --key",
                                NV_UPDATE_MAX_KEYS);
    if (!rc && o->sign && nv_file_read(&f, o->sign, META_LIMIT, &err))
        rc = nv_cli_fail(&err);
    if (!rc)
        rc = nv_cli_load_keys(&o->keys, keys, NV_UPDATE_MAX_KEYS, &n);
    if (!rc && o->sign &&
        nv_update_sign(stdout, f.data ? f.data : "", f.len, o->sign,
                       (const struct nv_key *const *)keys, n, &err))
        rc = nv_cli_fail(&err);
    else if (!rc && !o->sign &&
             nv_update_root_write(stdout, (const struct nv_key *const *)keys, n,
                                  threshold, &err))
        rc = nv_cli_fail(&err);
    while (n > 0)
        nv_key_free(keys[--n]);
    nv_file_release(&f);
    return rc;
}

static void print_text(const struct nv_update_result *r)
{
    printf("%-11s %-6s %s\n", "CHECK", "RESULT", "REASON");
    for (int c = 0; c < NV_UPDATE_NCHECKS; c++)
        printf("%-11s %-6s %s\n", nv_update_check_name(c),
               nv_update_status_name(r->status[c]),
               r->status[c] == NV_UPDATE_SKIP ? "not checked" : r->reason[c]);
    for (int c = 0; !r->accepted && c < NV_UPDATE_NCHECKS; c++)
        if (r->status[c] == NV_UPDATE_FAIL)
            printf("refused: %s (%s check)\n", r->name,
                   nv_update_check_name(c));
    if (r->accepted)
        printf("accepted: %s version %lld; state advanced\n", r->name,
               (long long)r->version);
}

static int print_json(const struct nv_update_result *r)
{
    struct nv_buf b;
    struct nv_err err = {0};
    int rc = NV_EXIT_OK;

    nv_buf_init(&b, SUMMARY_LIMIT);
    if (nv_update_summary(r, &b, &err))
        rc = nv_cli_fail(&err);
    else
        printf("%s\n", b.data);
    nv_buf_release(&b);
    return rc;
}

static void log_decision(struct nv_jsonw *w, const void *r)
{
    nv_update_summary_json(w, r);
}

/* Print what was checked (if anything), record the decision and pick the
 * exit status. */
static int report(const struct update_opts *o, const struct nv_update_result *r,
                  enum nv_rc rc, const struct nv_err *err)
{
    int checked = r->status[NV_UPDATE_SIGNATURES] != NV_UPDATE_SKIP;
    int out = NV_EXIT_OK;

    if (checked && o->json)
        out = print_json(r);
    else if (checked)
        print_text(r);
    if (rc)
        return nv_cli_fail(err);
    if (!out)
        out = nv_cli_evidence_record(&o->evidence, "update", log_decision, r);
    if (out)
        return out;
    return r->accepted ? NV_EXIT_OK : NV_EXIT_FINDINGS;
}

/* With --against: the target must be the evaluated build, before the
 * update checks run and the state can advance. */
static int check_evaluated(const struct update_opts *o, const char *target)
{
    size_t n = 0;
    int rc;

    if (!o->against)
        return NV_EXIT_OK;
    rc = nv_cli_is_evaluated(target, o->against, &o->trust, &n);
    /* --json keeps standard output for the decision document. */
    if (rc == NV_EXIT_FINDINGS)
        fprintf(o->json ? stderr : stdout,
                "refused: %s is not the evaluated build of %s (%zu "
                "differences; netvet verify shows them)\n",
                target, o->against, n);
    else if (rc == NV_EXIT_OK && !o->json)
        printf("%-11s %-6s %s\n", "evaluated", "pass", o->against);
    return rc;
}

static int check_update(const struct nv_cmd_spec *spec,
                        const struct update_opts *o, const char *target)
{
    struct nv_update_request q = {
        NULL,        NULL,   0,
        o->meta,     target, o->name,
        o->hardware, 0,      o->state ? o->state : ".netvet-update"};
    struct nv_update_root *root = NULL;
    struct nv_update_result r;
    struct nv_file rf = {0}, mf = {0};
    struct nv_err err = {0};
    enum nv_rc rc;

    if (o->now && nv_update_parse_time(o->now, strlen(o->now), &q.now))
        return nv_cli_usage_error(spec, "--now takes a UTC time such as "
                                        "2026-12-01T00:00:00Z");
    q.now = o->now ? q.now : (int64_t)time(NULL);
    nv_err_clear(&err);
    rc = nv_file_read(&rf, o->root, ROOT_LIMIT, &err);
    if (!rc)
        rc = nv_update_root_parse(rf.data ? rf.data : "", rf.len, o->root,
                                  &root, &err);
    if (!rc)
        rc = nv_file_read(&mf, o->meta, META_LIMIT, &err);
    q.root = root;
    q.meta = mf.data ? mf.data : "";
    q.meta_len = mf.len;
    memset(&r, 0, sizeof r);
    if (!rc)
        rc = nv_update_check(&q, &r, &err);
    nv_update_root_free(root);
    nv_file_release(&rf);
    nv_file_release(&mf);
    return report(o, &r, rc, &err);
}

static int check_opts(const struct nv_cmd_spec *spec,
                      const struct update_opts *o, size_t nargs)
{
    int making = o->init_root || o->sign || o->describe;

    if (!!o->init_root + !!o->sign + !!o->describe > 1)
        return nv_cli_usage_error(spec, "one of --init-root, --sign and "
                                        "--describe");
    if (making && nargs)
        return nv_cli_usage_error(spec, "--%s takes no TARGET",
                                  o->sign       ? "sign"
                                  : o->describe ? "describe"
                                                : "init-root");
    if (o->init_root != !!o->threshold)
        return nv_cli_usage_error(spec, "--init-root and --threshold go "
                                        "together");
    if (!making && (nargs != 1 || !o->meta || !o->root))
        return nv_cli_usage_error(spec, "check one TARGET with --metadata "
                                        "META and --trust-root ROOT");
    return NV_EXIT_OK;
}

int cmd_update(int argc, char **argv)
{
    struct update_opts o;
    memset(&o, 0, sizeof o);
    const struct nv_opt opts[] = {
        {"metadata", NV_OPT_STRING, &o.meta, "META",
         "the signed targets metadata (a DSSE envelope)"},
        {"trust-root", NV_OPT_STRING, &o.root, "ROOT",
         "the trust root: signing keys and threshold"},
        {"state", NV_OPT_STRING, &o.state, "DIR",
         "where accepted versions are kept (.netvet-update)"},
        {"hardware", NV_OPT_STRING, &o.hardware, "ID",
         "this device's hardware identifier"},
        {"name", NV_OPT_STRING, &o.name, "NAME",
         "the target's name in the metadata (its file name)"},
        {"now", NV_OPT_STRING, &o.now, "TIME",
         "check expiry at this UTC time, not the clock's"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "the decision as one JSON line"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "append the decision to this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "private key that signs the log's checkpoints"},
        {"init-root", NV_OPT_FLAG, &o.init_root, NULL,
         "write a trust root of the --key public keys"},
        {"threshold", NV_OPT_STRING, &o.threshold, "K",
         "with --init-root: how many keys must sign"},
        {"sign", NV_OPT_STRING, &o.sign, "PAYLOAD",
         "check targets metadata and write it signed"},
        {"key", NV_OPT_LIST, &o.keys, "FILE",
         "a key for --init-root or --sign (repeat)"},
        {"against", NV_OPT_STRING, &o.against, "MANIFEST",
         "also require TARGET to be this evaluated build"},
        {"trust", NV_OPT_LIST, &o.trust, "PUBKEY",
         "with --against: a key the manifest may be signed by"},
        {"describe", NV_OPT_STRING, &o.describe, "FILE",
         "write the targets metadata of FILE (length, SHA-256 computed)"},
        {"version", NV_OPT_STRING, &o.version, "N",
         "with --describe: the metadata's version"},
        {"expires", NV_OPT_STRING, &o.expires, "TIME",
         "with --describe: when the metadata expires"},
    };
    const struct nv_cmd_spec spec = {
        "update", "TARGET --metadata META --trust-root ROOT",
        about,    examples,
        opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = check_opts(&spec, &o, args.n);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_evidence_check(&spec, &o.evidence);
    if (rc == NV_EXIT_OK && !o.against != !o.trust.n)
        rc = nv_cli_usage_error(&spec, "--against and --trust go together");
    if (rc == NV_EXIT_OK && !o.describe && !o.init_root && !o.sign)
        rc = check_evaluated(&o, args.items[0]);
    if (rc == NV_EXIT_OK && o.describe) {
        struct nv_update_describe d = {o.describe, o.name, o.version, o.expires,
                                       o.hardware};
        rc = nv_update_describe(&spec, &d);
    } else if (rc == NV_EXIT_OK && (o.init_root || o.sign))
        rc = make_document(&spec, &o);
    else if (rc == NV_EXIT_OK)
        rc = check_update(&spec, &o, args.items[0]);
    nv_strlist_release(&args);
    nv_strlist_release(&o.keys);
    nv_strlist_release(&o.trust);
    return rc < 0 ? NV_EXIT_OK : rc;
}
