# netvet serve: what is refused before anything listens (the server
# itself is tested by tests/serve/api.py).

$ netvet serve --store none.db --listen localhost:8470
? 2
2~ listen:1:1: "localhost" is not a numeric IPv4 address

$ netvet serve --store none.db --listen 127.0.0.1:70000
? 2
2~ listen:1:11: the port is a number from 0 to 65535

$ netvet serve --store none.db --tls-cert cert.pem
? 2
2~ give both --tls-cert and --tls-key

$ netvet serve --store none.db --sync-wait soon
? 2
2~ --sync-wait takes a number

$ netvet serve --help
~ --sync-wait MS
~ --tls-cert FILE
