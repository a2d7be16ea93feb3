"""Write a hostile tar archive: what a malicious firmware image tries."""
import io
import sys
import tarfile


def member(tar, name, data=b"", **kw):
    info = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(info, k, v)
    info.size = len(data) if info.type == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if data else None)


with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    member(t, "etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
    member(t, "../../escape", b"written outside?\n")
    member(t, "/etc/cron.d/evil", b"* * * * * root sh\n")
    member(t, "etc/shadow-link", type=tarfile.SYMTYPE,
           linkname="../../../etc/shadow")
    member(t, "dev/mem", type=tarfile.CHRTYPE, devmajor=1, devminor=1)
    member(t, "etc/passwd", b"root::0:0::/root:/bin/sh\n")
    member(t, "bin/hard", type=tarfile.LNKTYPE, linkname="../etc/passwd")
