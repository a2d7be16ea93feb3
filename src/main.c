/*
 * main.c - netvet's command table: one line per subcommand.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct nv_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct nv_cmd commands[] = {
    {"assess", cmd_assess, "who can intercept or cut which critical flow"},
    {"check", cmd_check, "check a network against policy packs; risk score"},
    {"concentration", cmd_concentration,
     "vendor shares, single-vendor areas, rip-and-replace"},
    {"diff", cmd_diff, "what changed between two versions, and what it moved"},
    {"import", cmd_import, "build a model from NetBox or Nautobot"},
    {"inspect", cmd_inspect, "load and check a model; summarise it"},
    {"keygen", cmd_keygen, "create an Ed25519 key pair for signing evidence"},
    {"log", cmd_log, "append to, show, prove and verify the evidence log"},
    {"manifest", cmd_manifest, "record and sign what an evaluated build holds"},
    {"plan", cmd_plan, "plan the replacement of untrusted equipment by year"},
    {"merge", cmd_save, "write several model files as one native model"},
    {"release", cmd_release, "what may still be shared with each partner"},
    {"report", cmd_report, "write a self-contained HTML report: map, charts"},
    {"save", cmd_save, "write a model as JSON, CSV or a binary snapshot"},
    {"screen", cmd_screen, "screen names against restricted-party lists"},
    {"serve", cmd_serve, "the API and web page over a store, keys, audit"},
    {"store", cmd_store, "keep snapshots of a network; its posture over time"},
    {"synth", cmd_synth, "generate a realistic national network model"},
    {"update", cmd_update, "check a signed update before it is installed"},
    {"verify", cmd_verify, "compare an image with a signed manifest"},
    {"version", cmd_version, "print the version"},
    {"wargame", cmd_wargame, "what a hostile supplier could read or cut"},
};

static void usage(FILE *out)
{
    fputs("usage: netvet COMMAND [OPTIONS] [ARGS]\n\n"
          "netvet vets telecom and critical-infrastructure networks for\n"
          "equipment from untrusted vendors.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'netvet help COMMAND' or 'netvet COMMAND --help' explains a "
          "command,\nwith examples; 'netvet --version' prints the version.\n"
          "\nExit status: 0 nothing to report, 1 findings, 2 bad input, 3 "
          "out of\nmemory or output that cannot be written.\n",
          out);
}

static const struct nv_cmd *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

/* `netvet help [COMMAND]`: the command's --help. */
static int help(int argc, char **argv)
{
    const struct nv_cmd *c = argc > 2 ? find(argv[2]) : NULL;
    char flag[] = "--help";
    char *args[] = {argv[2], flag, NULL};

    if (argc <= 2) {
        usage(stdout);
        return NV_EXIT_OK;
    }
    if (!c) {
        fprintf(stderr, "netvet: '%s' is not a command (see 'netvet --help')\n",
                argv[2]);
        return NV_EXIT_USAGE;
    }
    return c->run(2, args);
}

/* Whatever a command printed must have reached standard output: a full
 * disk or a closed pipe is exit status 3, with the reason, for every
 * command. */
static int flushed(int rc)
{
    int failed = fflush(stdout) != 0;
    const char *why = failed ? strerror(errno) : "write error";

    if (!failed && !ferror(stdout))
        return rc;
    if (rc != NV_EXIT_INTERNAL)
        fprintf(stderr, "netvet: standard output: cannot write: %s\n", why);
    return NV_EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return NV_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help"))
        return flushed(help(argc, argv));
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
        return flushed(cmd_version(1, argv + 1));
    if (find(argv[1]))
        return flushed(find(argv[1])->run(argc - 1, argv + 1));
    fprintf(stderr, "netvet: '%s' is not a command (see 'netvet --help')\n",
            argv[1]);
    return NV_EXIT_USAGE;
}
