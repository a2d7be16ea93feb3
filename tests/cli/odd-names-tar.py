"""Write a tar archive whose member names are hard to print."""
import io
import sys
import tarfile

names = [b"a\nb", b"back\\slash", b"caf\xe9", b"per%cent",
         "日本".encode()]
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT,
                  encoding="utf-8", errors="surrogateescape") as t:
    for n in names:
        info = tarfile.TarInfo(n.decode("utf-8", "surrogateescape"))
        info.size = 1
        t.addfile(info, io.BytesIO(b"x"))
