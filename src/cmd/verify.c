/*
 * verify.c - `netvet verify`: is the deployed image the evaluated build?
 */
#include "cmd/assetdigest.h"
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "cmd/evaluated.h"
#include "integrity/diff.h"
#include "integrity/dsse.h"
#include "core/file.h"
#include "integrity/image.h"
#include "core/json.h"
#include "integrity/pathesc.h"
#include "integrity/statement.h"

#include <string.h>

static const char about[] =
    "Compare an image with the signed manifest of the evaluated build.\n"
    "The manifest's signature is checked first, against the --trust keys;\n"
    "nothing unsigned is read.  Then every file: added, removed, changed,\n"
    "and changed metadata (type, mode, owner, link target, file\n"
    "capabilities).  A changed ELF file is compared section by section:\n"
    "when only .note.gnu.build-id and .gnu_debuglink differ it is rebuild\n"
    "noise (the same code built again); otherwise a code/data change,\n"
    "with the sections named.  Issues of the image (links out of it,\n"
    "device nodes...) that the manifest did not record are differences\n"
    "too.  With --model instead of an image, the sha256 that a model gives\n"
    "its assets (their firmware) is compared with the image digest the\n"
    "manifest signs, for the assets named by --asset, or else every asset\n"
    "whose model and version are the build's name and version.\n"
    "Exit status 0 when identical, 1 on differences (an asset whose digest\n"
    "is not the evaluated image's), 2 on bad input or a bad signature.";

static const char examples[] =
    "  netvet verify deployed.squashfs --against fw.manifest "
    "--trust lab/evaluator.pub\n"
    "  netvet verify /mnt/rootfs --against fw.manifest --trust a.pub "
    "--json\n"
    "  netvet verify libc6_u14.deb --against libc6_u7.manifest --trust a.pub "
    "--allow-rebuild-noise\n"
    "  netvet verify --model network.json --against fw.manifest "
    "--trust a.pub\n";

struct opts {
    const char *against, *threads, *max_bytes;
    struct nv_cli_evidence evidence;
    struct nv_strlist trust, model, asset;
    int json, allow_noise;
};

#define MAX_LISTED_SECTIONS 8

static const char *const class_names[] = {"", "rebuild-noise", "code-data",
                                          "content"};

/* The path of a change, escaped, in b. */
static const char *path_of(struct nv_buf *b, const struct nv_change *c)
{
    const struct nv_mfile *f = c->got ? c->got : c->want;
    nv_buf_reset(b);
    return nv_path_escape(f->path, f->path_len, b) ? "(path too long)"
                                                   : b->data;
}

static const char *link_of(struct nv_buf *b, const struct nv_mfile *f)
{
    nv_buf_reset(b);
    if (!f->link)
        return "(none)";
    return nv_path_escape(f->link, f->link_len, b) ? "(too long)" : b->data;
}

static void print_sections(const struct nv_change *c)
{
    uint32_t n = c->nsections;
    for (uint32_t i = 0; i < n && i < MAX_LISTED_SECTIONS; i++)
        printf("%s%s", i ? ", " : " (", c->sections[i]);
    if (n > MAX_LISTED_SECTIONS)
        printf(" and %u more", n - MAX_LISTED_SECTIONS);
    printf("%s", n ? ")" : "");
}

static void print_content(const struct nv_change *c, const char *path)
{
    static const char *const what[] = {"", "rebuild noise", "code/data change",
                                       "content differs (not ELF)"};
    printf("%-8s %s: %s", "changed", path, what[c->cls]);
    print_sections(c);
    printf(", %llu -> %llu bytes\n", (unsigned long long)c->want->content.size,
           (unsigned long long)c->got->content.size);
}

static void print_mode(const struct nv_change *c, const char *path)
{
    uint32_t a = c->want->mode, b = c->got->mode;
    printf("%-8s %s: %04o -> %04o", "mode", path, (unsigned)a, (unsigned)b);
    if ((b & 04000) && !(a & 04000))
        printf(" (setuid added)");
    if ((b & 02000) && !(a & 02000))
        printf(" (setgid added)");
    if ((b & 0002) && !(a & 0002))
        printf(" (writable by all)");
    printf("\n");
}

/* File capabilities as hex, "none" when there are none. */
static const char *caps_text(const struct nv_mfile *f,
                             char out[2 * NV_CAPS_MAX + 1])
{
    if (!f->caps)
        return "none";
    nv_hex(f->caps, f->caps_len, out);
    return out;
}

static void print_caps(const struct nv_change *c, const char *path)
{
    char a[2 * NV_CAPS_MAX + 1], b[2 * NV_CAPS_MAX + 1];
    printf("%-8s %s: %s -> %s%s\n", "caps", path, caps_text(c->want, a),
           caps_text(c->got, b),
           c->got->caps && !c->want->caps ? " (file capabilities added)" : "");
}

static void print_change(const struct nv_change *c, struct nv_buf *b,
                         struct nv_buf *lb)
{
    const char *path = path_of(b, c);
    const struct nv_mfile *f = c->got ? c->got : c->want;
    if (c->what & (NV_DIFF_ADDED | NV_DIFF_REMOVED)) {
        printf("%-8s %s: %s", c->got ? "added" : "removed", path,
               nv_ftype_name(f->type));
        if (f->type == NV_FT_FILE)
            printf(", %llu bytes", (unsigned long long)f->content.size);
        if (f->link)
            printf(" -> %s", link_of(lb, f));
        printf("\n");
        return;
    }
    if (c->what & NV_DIFF_TYPE)
        printf("%-8s %s: %s -> %s\n", "type", path,
               nv_ftype_name(c->want->type), nv_ftype_name(c->got->type));
    if (c->what & NV_DIFF_CONTENT)
        print_content(c, path);
    if (c->what & NV_DIFF_MODE)
        print_mode(c, path);
    if (c->what & NV_DIFF_OWNER)
        printf("%-8s %s: %u:%u -> %u:%u\n", "owner", path, c->want->uid,
               c->want->gid, c->got->uid, c->got->gid);
    if (c->what & NV_DIFF_LINK) {
        printf("%-8s %s: %s -> ", "link", path, link_of(lb, c->want));
        printf("%s\n", link_of(lb, c->got));
    }
    if (c->what & NV_DIFF_CAPS)
        print_caps(c, path);
}

static void print_text(const struct nv_diff *d, const struct nv_manifest *want,
                       const char *image, size_t valid)
{
    struct nv_buf b, lb;
    nv_buf_init(&b, 1 << 20);
    nv_buf_init(&lb, 1 << 20);
    printf("%s against %s %s (evaluated %s%s%s): signature valid, %zu "
           "trusted key%s\n",
           image, want->build.name ? want->build.name : "?",
           want->build.version ? want->build.version : "?",
           want->build.date ? want->build.date : "?",
           want->build.evaluator ? " by " : "",
           want->build.evaluator ? want->build.evaluator : "", valid,
           valid == 1 ? "" : "s");
    for (size_t i = 0; i < d->n; i++)
        print_change(&d->v[i], &b, &lb);
    for (size_t i = 0; i < d->nissues; i++) {
        nv_buf_reset(&b);
        if (!nv_path_escape(d->issues[i]->path, d->issues[i]->path_len, &b))
            printf("%-8s %s: %s\n", "issue", b.data,
                   nv_issue_text(d->issues[i]->kind));
    }
    printf("%s: %zu added, %zu removed, %zu changed (%zu rebuild noise, %zu "
           "code/data), %zu with other metadata, %zu issues\n",
           d->n || d->nissues ? "different" : "identical", d->added, d->removed,
           d->changed, d->noise, d->code, d->metadata, d->nissues);
    nv_buf_release(&b);
    nv_buf_release(&lb);
}

static void json_path(struct nv_jsonw *w, struct nv_buf *b, const char *key,
                      const char *p, size_t n)
{
    nv_buf_reset(b);
    nv_jsonw_key(w, key);
    if (nv_path_escape(p, n, b))
        nv_jsonw_null(w);
    else
        nv_jsonw_str(w, b->data);
}

/* "from" and "to" of a changed value. */
static void json_from_to(struct nv_jsonw *w, const char *key, const char *a,
                         const char *b)
{
    nv_jsonw_key(w, key);
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "from");
    nv_jsonw_str_or_null(w, a);
    nv_jsonw_key(w, "to");
    nv_jsonw_str_or_null(w, b);
    nv_jsonw_obj_end(w);
}

static void json_metadata(struct nv_jsonw *w, const struct nv_change *c)
{
    char a[32], b[32];
    if (c->what & NV_DIFF_TYPE)
        json_from_to(w, "type", nv_ftype_name(c->want->type),
                     nv_ftype_name(c->got->type));
    if (c->what & NV_DIFF_MODE) {
        snprintf(a, sizeof a, "%04o", (unsigned)c->want->mode);
        snprintf(b, sizeof b, "%04o", (unsigned)c->got->mode);
        json_from_to(w, "mode", a, b);
    }
    if (c->what & NV_DIFF_OWNER) {
        snprintf(a, sizeof a, "%u:%u", c->want->uid, c->want->gid);
        snprintf(b, sizeof b, "%u:%u", c->got->uid, c->got->gid);
        json_from_to(w, "owner", a, b);
    }
    if (c->what & NV_DIFF_CAPS) {
        char ca[2 * NV_CAPS_MAX + 1], cb[2 * NV_CAPS_MAX + 1];
        json_from_to(w, "capability",
                     c->want->caps ? caps_text(c->want, ca) : NULL,
                     c->got->caps ? caps_text(c->got, cb) : NULL);
    }
}

static void json_change(struct nv_jsonw *w, struct nv_buf *b,
                        const struct nv_change *c)
{
    static const char *const bits[] = {"added",   "removed",     "type",
                                       "content", "mode",        "owner",
                                       "link",    "capabilities"};
    const struct nv_mfile *f = c->got ? c->got : c->want;
    nv_jsonw_obj(w);
    json_path(w, b, "path", f->path, f->path_len);
    nv_jsonw_key(w, "changes");
    nv_jsonw_arr(w);
    for (unsigned i = 0; i < sizeof bits / sizeof *bits; i++)
        if (c->what & (1u << i))
            nv_jsonw_str(w, bits[i]);
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "file_type");
    nv_jsonw_str(w, nv_ftype_name(f->type));
    if (c->cls) {
        nv_jsonw_key(w, "class");
        nv_jsonw_str(w, class_names[c->cls]);
        nv_jsonw_key(w, "sections");
        nv_jsonw_arr(w);
        for (uint32_t i = 0; i < c->nsections; i++)
            nv_jsonw_str(w, c->sections[i]);
        nv_jsonw_arr_end(w);
    }
    json_metadata(w, c);
    if (c->what & NV_DIFF_LINK) {
        json_path(w, b, "link_from", c->want->link ? c->want->link : "",
                  c->want->link_len);
        json_path(w, b, "link_to", c->got->link ? c->got->link : "",
                  c->got->link_len);
    }
    nv_jsonw_obj_end(w);
}

static void json_count(struct nv_jsonw *w, const char *key, size_t n)
{
    nv_jsonw_key(w, key);
    nv_jsonw_int(w, (int64_t)n);
}

/* "identical" and the counts of each kind of difference. */
static void json_summary(struct nv_jsonw *w, const struct nv_diff *d)
{
    nv_jsonw_key(w, "identical");
    nv_jsonw_bool(w, !d->n && !d->nissues);
    nv_jsonw_key(w, "summary");
    nv_jsonw_obj(w);
    json_count(w, "added", d->added);
    json_count(w, "removed", d->removed);
    json_count(w, "changed", d->changed);
    json_count(w, "rebuild_noise", d->noise);
    json_count(w, "code_data", d->code);
    json_count(w, "metadata", d->metadata);
    json_count(w, "issues", d->nissues);
    nv_jsonw_obj_end(w);
}

static enum nv_rc print_json(const struct nv_diff *d,
                             const struct nv_manifest *want, const char *image,
                             size_t valid, struct nv_err *err)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 1);
    struct nv_buf b;
    if (!w)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_buf_init(&b, 1 << 20);
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "image");
    nv_jsonw_str(w, image);
    nv_jsonw_key(w, "build");
    nv_jsonw_str_or_null(w, want->build.name);
    nv_jsonw_key(w, "version");
    nv_jsonw_str_or_null(w, want->build.version);
    json_count(w, "valid_signatures", valid);
    json_summary(w, d);
    nv_jsonw_key(w, "differences");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < d->n; i++)
        json_change(w, &b, &d->v[i]);
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "issues");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < d->nissues; i++) {
        nv_jsonw_obj(w);
        json_path(w, &b, "path", d->issues[i]->path, d->issues[i]->path_len);
        nv_jsonw_key(w, "issue");
        nv_jsonw_str(w, nv_issue_id(d->issues[i]->kind));
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    enum nv_rc rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    nv_buf_release(&b);
    return rc;
}

/* What the evidence log keeps of a verification. */
struct verdict {
    const struct nv_diff *d;
    const struct nv_manifest *want, *got;
    const char *image, *against;
};

static void log_verdict(struct nv_jsonw *w, const void *ctx)
{
    const struct verdict *v = ctx;
    char hex[NV_SHA256_HEX];
    nv_jsonw_key(w, "image");
    nv_jsonw_str(w, v->image);
    nv_hex(v->got->image_sha256, NV_SHA256_LEN, hex);
    nv_jsonw_key(w, "image_sha256");
    nv_jsonw_str_or_null(w, v->got->has_image_digest ? hex : NULL);
    nv_jsonw_key(w, "manifest");
    nv_jsonw_str(w, v->against);
    nv_jsonw_key(w, "build");
    nv_jsonw_str_or_null(w, v->want->build.name);
    nv_jsonw_key(w, "version");
    nv_jsonw_str_or_null(w, v->want->build.version);
    json_summary(w, v->d);
}

/* Compare and report; the exit code. */
static int compare(const struct opts *o, struct verdict *v, size_t valid,
                   struct nv_err *err)
{
    struct nv_diff d;
    if (nv_diff_compute(v->want, v->got, &d, err))
        return nv_cli_fail(err);
    v->d = &d;
    int rc = NV_EXIT_OK;
    if (o->json && print_json(&d, v->want, v->image, valid, err))
        rc = nv_cli_fail(err);
    else if (!o->json)
        print_text(&d, v->want, v->image, valid);
    if (!rc)
        rc = nv_cli_evidence_record(&o->evidence, "verify", log_verdict, v);
    if (!rc && (d.n || d.nissues))
        rc = o->allow_noise && nv_diff_only_noise(&d) ? NV_EXIT_OK
                                                      : NV_EXIT_FINDINGS;
    nv_diff_release(&d);
    return rc;
}

static int run(const struct nv_cmd_spec *spec, const struct opts *o,
               const char *image)
{
    struct nv_image_limits lim;
    struct nv_manifest want, got;
    struct nv_key *keys[64];
    struct nv_err err = {0};
    size_t valid = 0, nkeys = 0;
    nv_err_clear(&err);
    int rc = nv_cli_image_limits(spec, o->threads, o->max_bytes, &lim);
    if (!rc)
        rc = nv_cli_load_keys(&o->trust, keys, 64, &nkeys);
    if (rc)
        return rc;
    nv_manifest_init(&want);
    nv_manifest_init(&got);
    if (nv_cli_open_manifest(o->against, (const struct nv_key *const *)keys,
                             nkeys, &want, &valid, &err) ||
        nv_image_read(image, &lim, &got, &err))
        rc = nv_cli_fail(&err);
    else {
        struct verdict v = {NULL, &want, &got, image, o->against};
        rc = compare(o, &v, valid, &err);
    }
    while (nkeys)
        nv_key_free(keys[--nkeys]);
    nv_manifest_release(&want);
    nv_manifest_release(&got);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    struct opts o = {0};
    const struct nv_opt opts[] = {
        {"against", NV_OPT_STRING, &o.against, "MANIFEST",
         "the signed manifest of the evaluated build"},
        {"trust", NV_OPT_LIST, &o.trust, "PUBKEY",
         "a key whose signature is accepted (repeat for several)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "JSON instead of a table"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "append the verdict to this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "private key that signs the log's checkpoints"},
        {"allow-rebuild-noise", NV_OPT_FLAG, &o.allow_noise, NULL,
         "exit 0 when the only differences are rebuild noise"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "threads hashing a directory (default: one per core)"},
        {"max-bytes", NV_OPT_STRING, &o.max_bytes, "SIZE",
         "most bytes to unpack from an image (default 64G)"},
        {"model", NV_OPT_LIST, &o.model, "MODEL",
         "check the assets' sha256 in this model instead of an image"},
        {"asset", NV_OPT_LIST, &o.asset, "ID",
         "with --model: an asset that runs the build (repeat)"},
    };
    const struct nv_cmd_spec spec = {"verify", "TREE|IMAGE",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);
    if (rc == NV_EXIT_OK && args.n != !o.model.n)
        rc = nv_cli_usage_error(&spec, o.model.n ? "--model takes the place of "
                                                   "TREE or IMAGE"
                                                 : "takes one TREE or IMAGE");
    if (rc == NV_EXIT_OK && o.asset.n && !o.model.n)
        rc = nv_cli_usage_error(&spec, "--asset needs --model");
    if (rc == NV_EXIT_OK && o.model.n && o.evidence.log)
        rc = nv_cli_usage_error(&spec, "--log records an image's "
                                       "verification, not --model's");
    if (rc == NV_EXIT_OK && (!o.against || !o.trust.n))
        rc = nv_cli_usage_error(&spec, "--against MANIFEST and --trust "
                                       "PUBKEY are needed");
    if (rc == NV_EXIT_OK)
        rc = nv_cli_evidence_check(&spec, &o.evidence);
    if (rc == NV_EXIT_OK && o.model.n) {
        struct nv_digest_check c = {&o.model, &o.asset, o.against, &o.trust,
                                    o.json};
        rc = nv_cli_check_digests(&spec, &c);
    } else if (rc == NV_EXIT_OK) {
        rc = run(&spec, &o, args.items[0]);
    }
    nv_strlist_release(&args);
    nv_strlist_release(&o.trust);
    nv_strlist_release(&o.model);
    nv_strlist_release(&o.asset);
    return rc < 0 ? NV_EXIT_OK : rc;
}
