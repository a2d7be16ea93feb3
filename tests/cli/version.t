# The command table, help and usage errors.
$ netvet version
~ ^netvet [0-9]+\.[0-9]+\.[0-9]+$

$ netvet
? 2
2~ ^usage: netvet COMMAND

$ netvet --help
~ ^  version +print the version$

$ netvet frobnicate
? 2
2> netvet: 'frobnicate' is not a command (see 'netvet --help')

$ netvet version --bogus
? 2
2> netvet: version: unknown option '--bogus'
