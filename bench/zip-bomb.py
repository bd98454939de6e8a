#!/usr/bin/env python3
"""Write a GOPROXY tree (file:// layout) of module zips that break the go
command's limits (golang.org/x/mod/zip, cmd/go modfetch): total uncompressed
size over 500 MiB, go.mod and LICENSE over 16 MiB, an entry larger than its
declared size, and a zip file over 500 MiB. Used by bench/hostile-inputs.sh.

    zip-bomb.py PROXY_DIR [--huge]
"""
import os
import struct
import sys
import zipfile

MIB = 1 << 20
VERSION = "v1.0.0"


def module(proxy, name, files, stored=False):
    path = f"bomb.example/{name}"
    d = os.path.join(proxy, path, "@v")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "list"), "w") as f:
        f.write(VERSION + "\n")
    with open(os.path.join(d, VERSION + ".info"), "w") as f:
        f.write('{"Version":"%s","Time":"2024-01-01T00:00:00Z"}' % VERSION)
    with open(os.path.join(d, VERSION + ".mod"), "w") as f:
        f.write(f"module {path}\n\ngo 1.22\n")
    zpath = os.path.join(d, VERSION + ".zip")
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(zpath, "w", method, compresslevel=1) as z:
        for rel, chunks in files:
            with z.open(f"{path}@{VERSION}/{rel}", "w", force_zip64=True) as w:
                for chunk in chunks:
                    w.write(chunk)
    return zpath


def repeat(head, byte, size):
    yield head
    block = byte * MIB
    left = size - len(head)
    while left > 0:
        n = min(left, MIB)
        yield block[:n]
        left -= n


def gomod(name):
    return ("go.mod", [f"module bomb.example/{name}\n\ngo 1.22\n".encode()])


def source(name):
    return (f"{name}.go", [f"package {name}\n".encode()])


def lie_about_size(zpath, entry_suffix, declared):
    """Rewrite the uncompressed size of one entry (zip64 extra fields in the
    local and central headers) to `declared`, leaving its data as it is."""
    data = bytearray(open(zpath, "rb").read())
    for sig, name_len_at, extra_len_at, fixed in ((b"PK\x03\x04", 26, 28, 30), (b"PK\x01\x02", 28, 30, 46)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_len, extra_len = struct.unpack_from("<HH", data, at + name_len_at)
            name = bytes(data[at + fixed:at + fixed + name_len])
            if name.endswith(entry_suffix.encode()):
                extra = at + fixed + name_len
                end = extra + extra_len
                while extra < end:
                    tag, size = struct.unpack_from("<HH", data, extra)
                    if tag == 1:  # zip64: uncompressed size first
                        struct.pack_into("<Q", data, extra + 4, declared)
                    extra += 4 + size
            at += 4
    open(zpath, "wb").write(data)


def main():
    proxy = sys.argv[1]
    module(proxy, "deflate", [gomod("deflate"), ("deflate.go", repeat(b"package deflate\n", b" ", 600 * MIB))])
    module(proxy, "gomod", [("go.mod", repeat(b"module bomb.example/gomod\n\ngo 1.22\n", b"/", 17 * MIB)), source("gomod")])
    module(proxy, "license", [gomod("license"), source("license"), ("LICENSE", repeat(b"License\n", b"x", 17 * MIB))])
    liar = module(proxy, "liar", [gomod("liar"), ("liar.go", repeat(b"package liar\n", b" ", 100 * MIB))])
    lie_about_size(liar, "/liar.go", 100)
    if "--huge" in sys.argv:
        random = (os.urandom(MIB) for _ in range(510))
        module(proxy, "huge", [gomod("huge"), source("huge"), ("data.bin", random)], stored=True)


main()
