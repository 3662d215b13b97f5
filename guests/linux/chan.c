/*
 * chan: a hypervisor channel from Linux userspace (docs/config.md,
 * /channels), with the stock uio_pci_generic driver only.
 *   chan [-n N] id          this guest's ID in channel N (default 0)
 *   chan [-n N] send TEXT   TEXT into this guest's outbox, then the other
 *                           peers' doorbells
 *   chan [-n N] recv        waits for a doorbell, prints each outbox that
 *                           changed since the last recv
 *   chan [-n N] ask TEXT    send, then wait (10 s at most) for a peer's
 *                           answer and print it (a bare-metal echo peer:
 *                           guests/chan_check "echo")
 *   chan [-n N] pingpong [R] R numbered messages (default 10000) to and from
 *                           the other peer, each checked whole and in order
 *                           (the protocol of guests/chan_check)
 *   chan [-n N] bench [R]   R round trips (default 1000) with a peer also
 *                           running "chan bench": guest time per round trip,
 *                           and 64 MiB through the channel in 64 KiB pieces
 * The function is found by its IDs (1af4:1110) in sysfs and bound to
 * uio_pci_generic; BAR0 (registers) and BAR2 (the memory) are mapped
 * through /dev/mem at the addresses in its resource file, uncached, as
 * every Linux peer maps them. Memory:
 * a 4 KiB outbox per peer from offset 4 KiB x (1 + ID); the rest for bench.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct outbox {
	volatile uint32_t seq, len;
	volatile char text[4096 - 8];
};

static const char *dev;		/* /sys/bus/pci/devices/... */
static volatile uint32_t *regs; /* BAR0 */
static volatile uint8_t *mem;	/* BAR2 */
static size_t mem_size;
static int uio = -1, cfg = -1;
static unsigned id, npeers = 2;

static void die(const char *what)
{
	fprintf(stderr, "chan: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

static int read_hex(const char *path, unsigned long *v)
{
	FILE *f = fopen(path, "r");
	int ok = f && fscanf(f, "%lx", v) == 1;
	if (f)
		fclose(f);
	return ok ? 0 : -1;
}

/* A doorbell served as a PCI 2.3 user driver serves it: IntrStatus read
 * (cleared), then Interrupt Disable (set by uio_pci_generic when the
 * interrupt came) cleared again. */
static void rearm(void)
{
	(void)regs[1];
	uint16_t cmd;
	if (pread(cfg, &cmd, 2, 4) != 2)
		die("config");
	cmd &= (uint16_t)~0x400;
	if (pwrite(cfg, &cmd, 2, 4) != 2)
		die("config");
	__sync_synchronize();
}

/* The n-th channel function, bound to uio_pci_generic and mapped. */
static void open_channel(unsigned n)
{
	static char path[512];
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	unsigned seen = 0;
	while (d && (e = readdir(d))) {
		unsigned long vendor, device;
		char p[400];
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (read_hex(p, &vendor) < 0 || vendor != 0x1af4)
			continue;
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/device", e->d_name);
		if (read_hex(p, &device) < 0 || device != 0x1110 || seen++ != n)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", e->d_name);
		dev = path;
	}
	if (d)
		closedir(d);
	if (!dev) {
		errno = 0;
		die("no such channel function");
	}
	char p[600];
	snprintf(p, sizeof(p), "%s/uio", dev);
	DIR *u = opendir(p);
	if (!u) { /* not bound yet: by its IDs */
		int fd = open("/sys/bus/pci/drivers/uio_pci_generic/new_id", O_WRONLY);
		if (fd < 0 || write(fd, "1af4 1110", 9) < 0)
			die("uio_pci_generic (modprobe uio_pci_generic)");
		close(fd);
		u = opendir(p);
	}
	while (u && (e = readdir(u)) && strncmp(e->d_name, "uio", 3))
		;
	if (!u || !e)
		die("no uio device");
	char dn[300];
	snprintf(dn, sizeof(dn), "/dev/%s", e->d_name);
	closedir(u);
	if ((uio = open(dn, O_RDWR)) < 0)
		die(dn);
	snprintf(p, sizeof(p), "%s/config", dev);
	if ((cfg = open(p, O_RDWR)) < 0)
		die(p);
	/* The BARs where the kernel found them (its resource file: start,
	 * end, flags per line), through /dev/mem. */
	snprintf(p, sizeof(p), "%s/resource", dev);
	FILE *rf = fopen(p, "r");
	unsigned long long s0 = 0, e0 = 0, f0, s1, e1, f1, s2 = 0, e2 = 0;
	if (!rf || fscanf(rf, "%llx %llx %llx %llx %llx %llx %llx %llx", &s0, &e0, &f0, &s1, &e1,
			  &f1, &s2, &e2) != 8 || !s0 || !s2)
		die(p);
	fclose(rf);
	int dm = open("/dev/mem", O_RDWR | O_SYNC);
	if (dm < 0)
		die("/dev/mem");
	mem_size = (size_t)(e2 - s2 + 1);
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dm, (off_t)s0);
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_SHARED, dm, (off_t)s2);
	if (regs == MAP_FAILED || mem == MAP_FAILED)
		die("mmap");
	id = regs[2];
	regs[0] = 1; /* IntrMask */
	/* A doorbell no one waited for left INTx disabled and IntrStatus
	 * set: from here on, only the ones that come after we opened. */
	rearm();
	if (mem_size < 4096 * (npeers + 1)) {
		errno = 0;
		die("channel too small for the outboxes");
	}
}

static void ring(unsigned peer)
{
	__sync_synchronize();
	regs[3] = peer << 16;
}

/* Waits for a doorbell, timeout_ms at most (-1: forever), and rearms: 0,
 * or -1 when none came. */
static int wait_bell_for(int timeout_ms)
{
	struct pollfd p = {.fd = uio, .events = POLLIN};
	uint32_t count;
	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	if (read(uio, &count, 4) != 4)
		die("read /dev/uio");
	rearm();
	return 0;
}

static void wait_bell(void)
{
	wait_bell_for(-1);
}

static struct outbox *box(unsigned peer)
{
	return (struct outbox *)(mem + 4096 * (1 + peer));
}

/* The ping-pong words at offset 0, as guests/chan_check lays them out. */
struct msgs {
	volatile uint64_t seq[2];   /* what peer 0 / peer 1 last sent */
	volatile uint64_t ready[2]; /* set once its function is set up */
};

/* Peer 0 sends i, peer 1 answers i, for i = 1..rounds: each side checks
 * that it sees the other's number whole and in order before it answers. */
static int pingpong(unsigned rounds)
{
	struct msgs *m = (struct msgs *)mem;
	unsigned other = 1 - id, bad = 0, lost = 0, i;
	m->ready[id] = 1;
	for (unsigned ms = 0; !m->ready[other]; ms++) {
		if (ms == 60000) {
			printf("chan: pingpong: peer %u never came\n", other);
			return 1;
		}
		usleep(1000);
	}
	for (i = 1; i <= rounds && !lost; i++) {
		if (id == 0) {
			m->seq[0] = i;
			ring(other);
			lost += wait_bell_for(10000) < 0;
			bad += !lost && m->seq[1] != i;
		} else {
			lost += wait_bell_for(10000) < 0;
			bad += !lost && m->seq[0] != i;
			m->seq[1] = i;
			ring(other);
		}
	}
	printf("chan: pingpong: id=%u rounds=%u out-of-order=%u lost=%u\n", id, i - 1 - lost, bad,
	       lost);
	return bad || lost;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void copy(volatile uint8_t *to, const volatile uint8_t *from, size_t n)
{
	for (size_t i = 0; i < n; i += 8)
		*(volatile uint64_t *)(to + i) = *(const volatile uint64_t *)(from + i);
}

static void bench(unsigned rounds)
{
	unsigned other = 1 - id;
	/* Meet: each says it is here in its outbox, then peer 0 starts. */
	box(id)->seq = 0xbe9c4;
	while (box(other)->seq != 0xbe9c4)
		usleep(1000);
	double t0 = now();
	for (unsigned i = 0; i < rounds; i++) {
		if (id == 0) {
			ring(other);
			wait_bell();
		} else {
			wait_bell();
			ring(other);
		}
	}
	double rt = (now() - t0) / rounds;
	/* 64 MiB in 64 KiB pieces: peer 0 writes one, rings, peer 1 reads
	 * it out, rings back. */
	static uint8_t buf[65536];
	size_t piece = sizeof(buf), total = 64u << 20;
	volatile uint8_t *area = mem + 4096 * (npeers + 1);
	if (mem_size < 4096 * (npeers + 1) + piece) {
		printf("chan: bench: %.1f us per round trip (channel too small for the copy)\n", rt * 1e6);
		return;
	}
	t0 = now();
	for (size_t done = 0; done < total; done += piece) {
		if (id == 0) {
			memset(buf, (int)(done >> 16), piece);
			copy(area, buf, piece);
			ring(other);
			wait_bell();
		} else {
			wait_bell();
			copy(buf, area, piece);
			ring(other);
		}
	}
	double t = now() - t0;
	t0 = now();
	for (size_t done = 0; done < total; done += piece)
		copy(buf, area, piece); /* the same copies within one guest */
	double local = now() - t0;
	printf("chan: bench: %.1f us per round trip, 64 MiB in %.3f s (%.1f MiB/s; "
	       "one guest copying as much: %.3f s)\n",
	       rt * 1e6, t, 64 / t, local);
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	int a = 1;
	if (argc > 2 && !strcmp(argv[1], "-n"))
		n = (unsigned)atoi(argv[2]), a = 3;
	if (a >= argc) {
		fprintf(stderr, "usage: chan [-n N] id | send TEXT | ask TEXT | recv | pingpong [ROUNDS] | bench [ROUNDS]\n");
		return 2;
	}
	open_channel(n);
	const char *cmd = argv[a];
	if (!strcmp(cmd, "id")) {
		printf("%u\n", id);
	} else if (!strcmp(cmd, "pingpong")) {
		return pingpong(a + 1 < argc ? (unsigned)atoi(argv[a + 1]) : 10000);
	} else if ((!strcmp(cmd, "send") || !strcmp(cmd, "ask")) && a + 1 < argc) {
		static uint32_t last[8];
		for (unsigned p = 0; p < npeers; p++)
			last[p] = box(p)->seq;
		struct outbox *b = box(id);
		size_t len = strnlen(argv[a + 1], sizeof(b->text) - 1);
		for (size_t i = 0; i < len; i++)
			b->text[i] = argv[a + 1][i];
		b->text[len] = 0;
		b->len = (uint32_t)len;
		__sync_synchronize();
		b->seq = b->seq + 1;
		for (unsigned p = 0; p < npeers; p++)
			if (p != id)
				ring(p);
		if (!strcmp(cmd, "ask")) {
			int answered = 0;
			while (!answered && wait_bell_for(10000) == 0)
				for (unsigned p = 0; p < npeers; p++)
					if (p != id && box(p)->seq != last[p]) {
						printf("peer %u: %s\n", p, (const char *)box(p)->text);
						answered = 1;
					}
			if (!answered) {
				printf("chan: no answer\n");
				return 1;
			}
		}
	} else if (!strcmp(cmd, "recv")) {
		static uint32_t last[8];
		for (unsigned p = 0; p < npeers; p++)
			last[p] = box(p)->seq;
		wait_bell();
		for (unsigned p = 0; p < npeers; p++)
			if (p != id && box(p)->seq != last[p])
				printf("peer %u: %s\n", p, (const char *)box(p)->text);
	} else if (!strcmp(cmd, "bench")) {
		bench(a + 1 < argc ? (unsigned)atoi(argv[a + 1]) : 1000);
	} else {
		fprintf(stderr, "chan: unknown command %s\n", cmd);
		return 2;
	}
	return 0;
}
