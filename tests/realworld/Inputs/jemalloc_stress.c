/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cross-thread frees through Debian's jemalloc (tests/realworld/run-jemalloc):
 * THREADS threads each make ROUNDS objects of 32 bytes to 272 KiB with
 * je_malloc, je_calloc, je_posix_memalign or je_mallocx, fill them, and swap
 * each into a random slot of a shared transfer array; the thread that takes
 * an object out checks its contents and frees it (je_free, je_sdallocx), or
 * grows it with je_realloc and keeps it a while first. So nearly every free
 * is remote: the object goes into the freeing thread's tcache and is flushed
 * from there to the bin or extent of the arena that made it, under that
 * arena's locks, while its owner keeps allocating from it.
 *
 * SlabSan learns of jemalloc's objects through jemalloc's own allocation
 * hooks ("experimental.hooks.install"), with no change to jemalloc: every
 * object a public entry point returns becomes a block (slabsan_malloclike)
 * and every object passed to one is freed (slabsan_freelike), so each free
 * is checked like free(): ordered after the object's allocation and after
 * every thread's writes to it.
 *
 *   jemalloc_stress THREADS ROUNDS [relaxed]
 *
 * "relaxed" is the control: the transfer array's exchanges are relaxed, so
 * a thread that takes an object has not acquired its maker's writes (still
 * correct on x86-64, where the exchange is a locked instruction), and its
 * free is a free without acquire.
 */
#include <jemalloc/jemalloc.h>
#include <pthread.h>
#include <slabsan/slabsan.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jemalloc's hooks_t (include/jemalloc/internal/hook.h), which its
 * experimental mallctl takes but its public header does not declare. */
typedef void (*hook_alloc)(void *extra, int type, void *result, uintptr_t result_raw,
			   uintptr_t args_raw[3]);
typedef void (*hook_dalloc)(void *extra, int type, void *address, uintptr_t args_raw[3]);
typedef void (*hook_expand)(void *extra, int type, void *address, size_t old_usize,
			    size_t new_usize, uintptr_t result_raw, uintptr_t args_raw[4]);
struct hooks {
	hook_alloc alloc_hook;
	hook_dalloc dalloc_hook;
	hook_expand expand_hook;
	void *extra;
};

static void object_made(void *extra, int type, void *result, uintptr_t result_raw,
			uintptr_t args_raw[3])
{
	(void)extra, (void)type, (void)result_raw, (void)args_raw;
	if (result)
		slabsan_malloclike(result, je_malloc_usable_size(result));
}

static void object_freed(void *extra, int type, void *address, uintptr_t args_raw[3])
{
	(void)extra, (void)type, (void)args_raw;
	if (address)
		slabsan_freelike(address);
}

/* realloc in place: the block keeps its address and its contents and now
 * has new_usize bytes, as SlabSan's own realloc would see it. */
static void object_resized(void *extra, int type, void *address, size_t old_usize,
			   size_t new_usize, uintptr_t result_raw, uintptr_t args_raw[4])
{
	(void)extra, (void)type, (void)old_usize, (void)result_raw, (void)args_raw;
	slabsan_freelike(address);
	slabsan_malloclike(address, new_usize);
}

#define SLOTS 256u

struct object {
	uint32_t maker, round;
	size_t size;
	int flags;             /* what je_sdallocx must be told: the alignment */
	uint64_t sum;          /* of the bytes after the header */
};

static _Atomic(struct object *) transfer[SLOTS];
static memory_order take_order = memory_order_acq_rel;
static unsigned rounds;
static _Atomic uint64_t checked, bad;

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t object_size(uint64_t *rnd)
{
	uint64_t r = next_random(rnd);
	switch (r % 16) {
	case 0: return 16384 + r % 262144;   /* large: an extent of its own */
	case 1: case 2: return 1024 + r % 13312;   /* the bigger small classes */
	default: return sizeof(struct object) + r % 512;
	}
}

static struct object *make(uint32_t maker, uint32_t round, uint64_t *rnd)
{
	size_t size = object_size(rnd);
	struct object *o;
	int flags = 0;
	switch (next_random(rnd) % 4) {
	case 0: o = je_calloc(1, size); break;
	case 1:
		if (je_posix_memalign((void **)&o, 64, size))
			o = NULL;
		flags = MALLOCX_ALIGN(64);
		break;
	case 2: o = je_mallocx(size, 0); break;
	default: o = je_malloc(size); break;
	}
	if (!o) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	o->maker = maker;
	o->round = round;
	o->size = size;
	o->flags = flags;
	uint64_t sum = 0;
	unsigned char *bytes = (unsigned char *)(o + 1);
	for (size_t i = 0; i < size - sizeof(*o); i++) {
		bytes[i] = (unsigned char)(maker * 31 + round + i);
		sum += bytes[i];
	}
	o->sum = sum;
	return o;
}

static void check(const struct object *o)
{
	uint64_t sum = 0;
	const unsigned char *bytes = (const unsigned char *)(o + 1);
	for (size_t i = 0; i < o->size - sizeof(*o); i++)
		sum += bytes[i];
	atomic_fetch_add_explicit(sum == o->sum ? &checked : &bad, 1, memory_order_relaxed);
}

/* Free an object another thread made, one way or another. */
static void dispose(struct object *o, uint64_t *rnd, struct object **kept)
{
	check(o);
	switch (next_random(rnd) % 4) {
	case 0:
		je_sdallocx(o, o->size, o->flags);
		break;
	case 1: {   /* grow it, keep it until the next one */
		size_t size = o->size + 1 + next_random(rnd) % 4096;
		struct object *r = je_realloc(o, size);
		if (!r) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
		r->size = size;   /* kept objects are freed unchecked */
		je_free(*kept);
		*kept = r;
		break;
	}
	default:
		je_free(o);
		break;
	}
}

static void *worker(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg;
	uint64_t rnd = 0x9e3779b97f4a7c15ull * (me + 1);
	struct object *kept = NULL;
	for (uint32_t round = 0; round < rounds; round++) {
		struct object *o = make(me, round, &rnd);
		unsigned slot = (unsigned)(next_random(&rnd) % SLOTS);
		struct object *old = atomic_exchange_explicit(&transfer[slot], o, take_order);
		if (old)
			dispose(old, &rnd, &kept);
		if (round % 8 == 0)   /* a local object too: made and freed here */
			je_free(make(me, round, &rnd));
	}
	je_free(kept);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: jemalloc_stress THREADS ROUNDS [relaxed]\n");
		return 2;
	}
	unsigned threads = (unsigned)atoi(argv[1]);
	rounds = (unsigned)atoi(argv[2]);
	if (argc > 3 && !strcmp(argv[3], "relaxed"))
		take_order = memory_order_relaxed;
	if (threads < 1 || threads > 64 || rounds < 1) {
		fprintf(stderr, "jemalloc_stress: THREADS must be 1..64, ROUNDS at least 1\n");
		return 2;
	}
	struct hooks hooks = {object_made, object_freed, object_resized, NULL};
	void *handle;
	size_t handle_size = sizeof(handle);
	if (je_mallctl("experimental.hooks.install", &handle, &handle_size, &hooks,
		       sizeof(hooks))) {
		fprintf(stderr, "jemalloc_stress: cannot install jemalloc's hooks\n");
		return 1;
	}
	pthread_t t[64];
	for (unsigned i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i)) {
			fprintf(stderr, "jemalloc_stress: pthread_create failed\n");
			return 1;
		}
	for (unsigned i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	for (unsigned i = 0; i < SLOTS; i++) {
		struct object *o = atomic_load_explicit(&transfer[i], memory_order_acquire);
		if (o) {
			check(o);
			je_free(o);
		}
	}
	printf("checked %llu objects, %llu bad\n", (unsigned long long)checked,
	       (unsigned long long)bad);
	return bad ? 1 : 0;
}
