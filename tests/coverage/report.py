#!/usr/bin/env python3
"""report.py OUT CROSS_COMPILE: build/coverage/index.md from what
tests/coverage/run.sh collected (see there): the EL2 blocks QEMU logged,
with the images they came from, and the gcov files of the host runs."""
import collections
import glob
import os
import re
import subprocess
import sys

out, cross = sys.argv[1], sys.argv[2]
root = os.getcwd()
ROOMS = ("boot/", "hyp/", "mm/", "drivers/", "lib/")

# (file, function) -> {"el2": bool, "host": bool}; file -> lines with code, lines run
funcs = collections.defaultdict(lambda: {"el2": False, "host": False})
line_fn = {}  # (file, line) -> function, from the images' line tables
code_lines = collections.defaultdict(set)
run_lines = collections.defaultdict(set)


def rel(path):
    path = os.path.normpath(path)
    return path[len(root) + 1:] if path.startswith(root + "/") else path


def ours(path):
    return path.startswith(ROOMS)


# --- EL2: instructions QEMU translated, matched against the booted image ---
def elf_of(image):
    d = os.path.dirname(image)
    for cand in (os.path.join(d, "hyp.elf"), os.path.join(os.path.dirname(d), "hyp.elf")):
        if os.path.exists(cand):
            return cand
    return None


def addr2line(elf, offsets):
    """offset -> (function, file, line), for offsets in the image."""
    res = {}
    offsets = sorted(offsets)
    for i in range(0, len(offsets), 20000):
        chunk = offsets[i:i + 20000]
        p = subprocess.run([cross + "addr2line", "-f", "-e", elf] + ["%x" % o for o in chunk],
                           capture_output=True, text=True, check=True)
        lines = p.stdout.splitlines()
        for k, off in enumerate(chunk):
            fn, loc = lines[2 * k], lines[2 * k + 1]
            m = re.match(r"(.*):(\d+)", loc.split(" ")[0])
            if fn != "??" and m:
                res[off] = (fn, rel(m.group(1)), int(m.group(2)))
    return res


per_elf_run = collections.defaultdict(set)
for log in glob.glob(os.path.join(out, "el2", "*.log")):
    images_file = log[:-4] + ".images"
    if not os.path.exists(images_file):
        continue
    insns = []
    with open(log, errors="replace") as f:
        for line in f:
            m = re.match(r"0x([0-9a-f]+):\s+([0-9a-f]{8})\s", line)
            if m:
                insns.append((int(m.group(1), 16), int(m.group(2), 16)))
    for image in open(images_file).read().split():
        elf = elf_of(image)
        if not elf or not os.path.exists(image):
            continue
        blob = open(image, "rb").read()
        first = int.from_bytes(blob[0:4], "little")
        bases = {a for a, op in insns if op == first and a % 4096 == 0}
        for base in bases:
            for a, op in insns:
                off = a - base
                if 0 <= off < len(blob) - 3 and int.from_bytes(blob[off:off + 4], "little") == op:
                    per_elf_run[elf].add(off)

# Every instruction of each image's text, to know what could have run.
for elf in set(per_elf_run):
    p = subprocess.run([cross + "nm", "-S", "--defined-only", elf], capture_output=True,
                       text=True, check=True)
    text_offsets = set()
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT":
            start, size = int(parts[0], 16), int(parts[1], 16)
            text_offsets.update(range(start, start + size, 4))
    where = addr2line(elf, text_offsets)
    for off, (fn, path, line) in where.items():
        if ours(path):
            code_lines[path].add(line)
            funcs[(path, fn)]
            line_fn.setdefault((path, line), fn)
    for off in per_elf_run[elf]:
        if off in where:
            fn, path, line = where[off]
            if ours(path):
                run_lines[path].add(line)
                funcs[(path, fn)]["el2"] = True

# --- host: gcov text files (gcc's and llvm-cov's) ---
for gcov in glob.glob(os.path.join(out, "gcov", "*", "*.gcov")):
    src = None
    with open(gcov, errors="replace") as f:
        for line in f:
            if src is None:
                m = re.match(r"\s*-:\s*0:Source:(.*)", line)
                if m:
                    src = rel(m.group(1) if m.group(1).startswith("/") else
                              os.path.join(root, m.group(1)))
                    if not ours(src):
                        break
                continue
            m = re.match(r"function (\S+) called (\d+)", line)
            if m:
                funcs[(src, m.group(1))]
                if int(m.group(2)) > 0:
                    funcs[(src, m.group(1))]["host"] = True
                continue
            m = re.match(r"\s*([0-9#=*-]+):\s*(\d+):", line)
            if m and m.group(1) != "-":
                n = int(m.group(2))
                code_lines[src].add(n)
                if m.group(1)[0].isdigit():
                    run_lines[src].add(n)
                    # gcc's text gives no function records: the line's
                    # function, as the hypervisor's image knows it.
                    if (src, n) in line_fn:
                        funcs[(src, line_fn[(src, n)])]["host"] = True

# --- what cannot run here, and why ---
reasons = {}
nh = os.path.join(root, "tests", "coverage", "not-here.txt")
for line in open(nh):
    line = line.strip()
    if line and not line.startswith("#"):
        key, _, why = line.partition(" ")
        reasons[key] = why.strip()

files = sorted({f for f, _ in funcs})
total_f = sum(1 for _ in funcs)
run_f = sum(1 for v in funcs.values() if v["el2"] or v["host"])
print("# Coverage (make coverage)\n")
print("What the tests run: the hypervisor's code at EL2 under the QEMU suite, and the")
print("same sources on the host under the unit tests and the fuzz corpora")
print("(tests/coverage/run.sh says how each is measured).\n")
print("Functions run by some test: %d of %d.\n" % (run_f, total_f))
print("| file | functions | at EL2 | on the host | by either | lines run |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for f in files:
    fs = [v for (ff, _), v in funcs.items() if ff == f]
    e = sum(v["el2"] for v in fs)
    h = sum(v["host"] for v in fs)
    b = sum(v["el2"] or v["host"] for v in fs)
    c, r = len(code_lines[f]), len(run_lines[f] & code_lines[f])
    print("| %s | %d | %d | %d | %d | %d of %d |" % (f, len(fs), e, h, b, r, c))
print("\n## Functions no test runs\n")
unexplained = 0
for (f, fn), v in sorted(funcs.items()):
    if v["el2"] or v["host"]:
        continue
    why = reasons.get("%s:%s" % (f, fn)) or reasons.get(fn)
    if not why:
        unexplained += 1
    print("- `%s` %s: %s" % (f, fn, why or "**no test reaches it yet**"))
print("\n%d functions no test runs and no reason explains.\n" % unexplained)
print("## Lines no test runs, per file\n")
for f in files:
    missed = sorted(code_lines[f] - run_lines[f])
    if missed:
        spans, start, prev = [], missed[0], missed[0]
        for n in missed[1:] + [None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            spans.append("%d" % start if start == prev else "%d-%d" % (start, prev))
            if n is not None:
                start = prev = n
        print("- `%s`: %s" % (f, ", ".join(spans)))
