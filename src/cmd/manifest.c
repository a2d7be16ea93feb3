/*
 * manifest.c - `netvet manifest`: what an evaluated build holds, file by
 * file, signed.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/json.h"
#include "integrity/dsse.h"
#include "integrity/image.h"
#include "integrity/pathesc.h"
#include "integrity/statement.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char about[] =
    "Record what an evaluated build holds: every file's path, type, size,\n"
    "mode (setuid and setgid included), owner, link target, file\n"
    "capabilities and SHA-256, and for ELF files the SHA-256 of each\n"
    "section.  The image is a directory, an archive (tar with any\n"
    "compression, cpio, zip, ar, a Debian package) or a squashfs file\n"
    "system; nothing is extracted and no link is followed.  The manifest\n"
    "is an in-toto Statement v1 with the build's metadata\n"
    "(docs/integrity.md), in a DSSE envelope signed with the evaluator's\n"
    "Ed25519 key (netvet keygen).  What a hostile image tries (absolute or\n"
    "climbing paths, links out of the image, duplicate members, device\n"
    "nodes) is recorded and printed.  Exit status 0, 1 if the image has\n"
    "such issues, 2 on bad input.";

static const char examples[] =
    "  netvet keygen lab/evaluator\n"
    "  netvet manifest firmware.squashfs --key lab/evaluator.key \\\n"
    "      --name ran-controller --version 5.2.1 --revision 9f3c2e1 \\\n"
    "      --toolchain 'gcc 12.2' --evaluator 'National lab' -o fw.manifest\n"
    "  netvet verify deployed.squashfs --against fw.manifest \\\n"
    "      --trust lab/evaluator.pub\n";

struct opts {
    const char *key, *output, *threads, *max_bytes;
    struct nv_cli_evidence evidence;
    int timing;
    struct nv_build_info build;
};

static int check_opts(const struct nv_cmd_spec *spec, struct opts *o,
                      const struct nv_strlist *args, char *today, size_t size)
{
    if (args->n != 1)
        return nv_cli_usage_error(spec, "takes one TREE or IMAGE");
    if (!o->key)
        return nv_cli_usage_error(spec, "--key KEY is needed to sign");
    if (!o->build.name || !o->build.version)
        return nv_cli_usage_error(spec, "--name and --version say which "
                                        "build was evaluated");
    if (!o->build.date) {
        time_t now = time(NULL);
        struct tm tm;
        strftime(today, size, "%Y-%m-%d", gmtime_r(&now, &tm));
        o->build.date = today;
    }
    return NV_EXIT_OK;
}

/* Tell the user what the image tried, one line an issue. */
static void print_issues(const struct nv_manifest *m, const char *image)
{
    struct nv_buf esc;
    nv_buf_init(&esc, 1 << 20);
    for (size_t i = 0; i < m->nissue; i++) {
        nv_buf_reset(&esc);
        if (nv_path_escape(m->issue[i].path, m->issue[i].path_len, &esc))
            break;
        fprintf(stderr, "netvet: %s: %s: %s\n", image, esc.data,
                nv_issue_text(m->issue[i].kind));
    }
    nv_buf_release(&esc);
}

/* The signed manifest of m to out; the statement's digest into digest
 * unless it is NULL (only the evidence log needs it). */
static enum nv_rc write_signed(const struct nv_manifest *m,
                               const struct nv_key *key, FILE *out,
                               unsigned char digest[NV_SHA256_LEN],
                               struct nv_err *err)
{
    static const char room[NV_DSSE_HEAD_ROOM];
    struct nv_buf text;
    nv_buf_init(&text, (size_t)-1 / 2);
    /* Reserved at its size: a buffer of 84 MB grown by doubling would
     * copy the text over and over.  The statement follows the room the
     * envelope's signature needs before it, so it is signed in place. */
    (void)!nv_buf_reserve(&text, sizeof room + nv_statement_size(m));
    FILE *mem =
        nv_buf_add(&text, room, sizeof room) ? NULL : nv_buf_stream(&text);
    if (!mem) {
        nv_buf_release(&text);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    enum nv_rc rc = nv_statement_write(m, mem, err);
    if (fclose(mem) != 0 && !rc)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    unsigned char *statement = (unsigned char *)text.data + sizeof room;
    size_t len = text.len - sizeof room;
    if (!rc) {
        if (digest)
            nv_sha256(statement, len, digest);
        rc = nv_dsse_write_in_place(out, NV_STATEMENT_PAYLOAD_TYPE, statement,
                                    len, &key, 1, err);
    }
    nv_buf_release(&text);
    return rc;
}

/* What the evidence log keeps of a manifest. */
struct record {
    const struct nv_manifest *m;
    const struct nv_key *key;
    const char *image;
    unsigned char statement[NV_SHA256_LEN];
};

static void put_hex(struct nv_jsonw *w, const char *key, const unsigned char *d)
{
    char hex[NV_SHA256_HEX];
    nv_hex(d, NV_SHA256_LEN, hex);
    nv_jsonw_key(w, key);
    nv_jsonw_str_or_null(w, d ? hex : NULL);
}

static void log_record(struct nv_jsonw *w, const void *ctx)
{
    const struct record *r = ctx;
    nv_jsonw_key(w, "image");
    nv_jsonw_str(w, r->image);
    put_hex(w, "image_sha256",
            r->m->has_image_digest ? r->m->image_sha256 : NULL);
    nv_jsonw_key(w, "build");
    nv_jsonw_str(w, r->m->build.name);
    nv_jsonw_key(w, "version");
    nv_jsonw_str(w, r->m->build.version);
    nv_jsonw_key(w, "entries");
    nv_jsonw_int(w, (int64_t)r->m->n);
    nv_jsonw_key(w, "issues");
    nv_jsonw_int(w, (int64_t)r->m->nissue);
    put_hex(w, "statement_sha256", r->statement);
    nv_jsonw_key(w, "signed_by");
    nv_jsonw_str(w, nv_key_id(r->key));
}

static int run(const struct nv_cmd_spec *spec, const struct opts *o,
               const char *image)
{
    struct nv_image_limits lim;
    struct nv_manifest m;
    struct nv_key *key = NULL;
    struct nv_cli_out out;
    struct nv_err err = {0};
    nv_err_clear(&err);
    int rc = nv_cli_image_limits(spec, o->threads, o->max_bytes, &lim);
    if (rc)
        return rc;
    if (nv_key_load(o->key, &key, &err))
        return nv_cli_fail(&err);
    if (!nv_key_can_sign(key)) {
        nv_key_free(key);
        return nv_cli_usage_error(spec,
                                  "%s is a public key; sign with the "
                                  "private one",
                                  o->key);
    }
    double t[3] = {nv_cli_seconds(), 0, 0};
    nv_manifest_init(&m);
    if (nv_image_read(image, &lim, &m, &err))
        rc = nv_cli_fail(&err);
    m.build = o->build;
    t[1] = nv_cli_seconds();
    struct record rec = {&m, key, image, {0}};
    if (!rc && !(rc = nv_cli_out_open(&out, o->output))) {
        enum nv_rc w = write_signed(
            &m, key, out.f, o->evidence.log ? rec.statement : NULL, &err);
        rc = nv_cli_out_close(&out, !w);
        if (w)
            rc = nv_cli_fail(&err);
    }
    t[2] = nv_cli_seconds();
    if (!rc && o->timing)
        fprintf(stderr,
                "netvet: read and hashed in %.3f s, signed and "
                "written in %.3f s\n",
                t[1] - t[0], t[2] - t[1]);
    if (!rc) {
        fprintf(stderr,
                "netvet: %s: %zu entries, %zu issues; signed by key "
                "%.16s\n",
                image, m.n, m.nissue, nv_key_id(key));
        print_issues(&m, image);
        rc = nv_cli_evidence_record(&o->evidence, "manifest", log_record, &rec);
    }
    if (!rc && m.nissue)
        rc = NV_EXIT_FINDINGS;
    nv_manifest_release(&m);
    nv_key_free(key);
    return rc;
}

int cmd_manifest(int argc, char **argv)
{
    struct opts o = {0};
    const struct nv_opt opts[] = {
        {"key", NV_OPT_STRING, &o.key, "KEY", "private key to sign with"},
        {"name", NV_OPT_STRING, &o.build.name, "NAME", "product evaluated"},
        {"version", NV_OPT_STRING, &o.build.version, "VERSION", "its version"},
        {"revision", NV_OPT_STRING, &o.build.revision, "REV",
         "source revision it was built from"},
        {"toolchain", NV_OPT_STRING, &o.build.toolchain, "TEXT",
         "compiler and build environment"},
        {"evaluator", NV_OPT_STRING, &o.build.evaluator, "WHO",
         "who evaluated it"},
        {"date", NV_OPT_STRING, &o.build.date, "DATE",
         "date of the evaluation (default: today, UTC)"},
        {"output", NV_OPT_STRING, &o.output, "FILE",
         "write here (-o; default standard output)"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "threads hashing a directory (default: one per core)"},
        {"max-bytes", NV_OPT_STRING, &o.max_bytes, "SIZE",
         "most bytes to unpack from an image (default 64G)"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "append a record of the manifest to this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "private key that signs the log's checkpoints"},
        {"timing", NV_OPT_FLAG, &o.timing, NULL,
         "print how long each step took"},
    };
    const struct nv_cmd_spec spec = {"manifest", "TREE|IMAGE",
                                     about,      examples,
                                     opts,       sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    char today[16];
    int rc = nv_cli_parse(&spec, argc, argv, &args);
    if (rc == NV_EXIT_OK)
        rc = check_opts(&spec, &o, &args, today, sizeof today);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_evidence_check(&spec, &o.evidence);
    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, args.items[0]);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}
