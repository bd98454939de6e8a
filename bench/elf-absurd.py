#!/usr/bin/env python3
"""Copies of a 64-bit little-endian ELF with absurd headers, for
bench/hostile-inputs.sh: every section's size huge, the section table past
the end of the file, 65535 sections, the build info section's size and
offset huge, a program header's file size huge.

    elf-absurd.py BINARY OUT_DIR
"""
import os
import struct
import sys

HUGE = 0x7FFF_FFFF_FFFF_FFF0


def main():
    src, out = sys.argv[1], sys.argv[2]
    elf = open(src, "rb").read()
    assert elf[:4] == b"\x7fELF" and elf[4] == 2 and elf[5] == 1, "a 64-bit little-endian ELF"
    phoff, shoff = struct.unpack_from("<QQ", elf, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", elf, 0x36)

    def section(i):
        return shoff + i * shentsize

    strtab_off = struct.unpack_from("<Q", elf, section(shstrndx) + 0x18)[0]

    def name(i):
        at = strtab_off + struct.unpack_from("<I", elf, section(i))[0]
        return elf[at:elf.index(b"\0", at)].decode()

    def write(tag, data):
        path = os.path.join(out, "absurd-" + tag)
        open(path, "wb").write(data)
        os.chmod(path, 0o755)

    data = bytearray(elf)
    for i in range(1, shnum):
        struct.pack_into("<Q", data, section(i) + 0x20, HUGE)
    write("section-sizes", data)

    data = bytearray(elf)
    struct.pack_into("<Q", data, 0x28, len(elf) + (1 << 40))
    write("section-table-offset", data)

    data = bytearray(elf)
    struct.pack_into("<H", data, 0x3C, 0xFFFF)
    write("section-count", data)

    info = next(i for i in range(shnum) if name(i) == ".go.buildinfo")
    data = bytearray(elf)
    struct.pack_into("<QQ", data, section(info) + 0x18, HUGE, HUGE)
    write("buildinfo-offset-size", data)

    data = bytearray(elf)
    for i in range(phnum):
        struct.pack_into("<QQ", data, phoff + i * phentsize + 0x20, HUGE, HUGE)
    write("segment-sizes", data)


main()
