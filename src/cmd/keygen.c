/*
 * keygen.c - `netvet keygen`: an Ed25519 key pair for signing manifests,
 * update metadata and log checkpoints.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/crypto.h"

#include <errno.h>
#include <stdio.h>

static const struct nv_cmd_spec spec = {
    "keygen",
    "PREFIX",
    "Create an Ed25519 key pair: PREFIX.key, the private key (PKCS#8 PEM,\n"
    "readable by its owner only), and PREFIX.pub, the public key to hand\n"
    "to whoever verifies (SubjectPublicKeyInfo PEM).  Existing files are\n"
    "never overwritten.  Prints the key id, the SHA-256 of the raw public\n"
    "key, by which signatures and trust roots name the key.",
    "  netvet keygen lab/evaluator     # lab/evaluator.key, lab/evaluator.pub\n"
    "  netvet manifest fw.tar --key lab/evaluator.key ... > fw.manifest\n",
    NULL,
    0};

int cmd_keygen(int argc, char **argv)
{
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);
    if (rc == NV_EXIT_OK && args.n != 1)
        rc = nv_cli_usage_error(&spec, "takes one PREFIX");
    if (rc) {
        nv_strlist_release(&args);
        return rc < 0 ? NV_EXIT_OK : rc;
    }
    char priv[4096], pub[4096];
    struct nv_err err = {0};
    struct nv_key *k = NULL;
    nv_err_clear(&err);
    snprintf(priv, sizeof priv, "%s.key", args.items[0]);
    snprintf(pub, sizeof pub, "%s.pub", args.items[0]);
    nv_strlist_release(&args);
    /* The key files are this command's output: failing to write them is
     * exit status 3, as for every output; a key that exists already is
     * never overwritten, and naming one is bad input (2). */
    if (nv_key_generate(priv, pub, &err)) {
        int exists = errno == EEXIST;
        nv_cli_fail(&err);
        return exists ? NV_EXIT_USAGE : NV_EXIT_INTERNAL;
    }
    if (nv_key_load(pub, &k, &err))
        return nv_cli_fail(&err);
    printf("%s\t%s\t%s\n", nv_key_id(k), priv, pub);
    nv_key_free(k);
    return NV_EXIT_OK;
}
