/* SPDX-License-Identifier: Apache-2.0 */
/* The compiler ABI: what pass/ emits calls to and runtime/ defines.
 * pass/SlabSanPass.cpp mirrors these names, structs and numbers; change both
 * together. Nothing here is public API (see include/slabsan/ for that). */
#ifndef SLABSAN_ABI_H
#define SLABSAN_ABI_H

#include <stddef.h>
#include <stdint.h>

/* One instrumented source location. The pass emits every site of a module
 * into one writable array and registers it from a module constructor; the
 * runtime writes `id` so shadow slots can name a site in 32 bits. */
struct slabsan_site {
	uint32_t id;          /* 0 until registered */
	uint32_t line;        /* 0: no debug location */
	uint32_t column;
	uint32_t flags;       /* SLABSAN_SITE_* */
	const char *function; /* function the access is in (after inlining: the inlined one) */
	const char *file;     /* as in debug info: "dir/file.c" or "file.c"; NULL without -g */
	/* the struct member accessed: "struct slab::stride" (a __slabsan_meta
	 * field, SLABSAN_SITE_META), "struct account::in.b"; NULL when the
	 * pass cannot tell (pass/MemberNames.cpp) */
	const char *field;
	const struct slabsan_site *inlined_at; /* call site this was inlined into, or NULL */
};

enum {
	SLABSAN_SITE_META = 1u << 0,     /* access to a __slabsan_meta field */
	SLABSAN_SITE_VOLATILE = 1u << 1, /* volatile access */
	/* a plain access (or memcpy/memset) that is neither volatile nor
	 * metadata: only full mode checks it, so the runtime learns from it
	 * whether any module checks plain accesses (heap.c) */
	SLABSAN_SITE_PLAIN = 1u << 2,
	/* an atomic read-modify-write or compare-exchange, not a plain store:
	 * reports tell a reference count from a flag by it */
	SLABSAN_SITE_RMW = 1u << 3,
	/* bits 8-10: an atomic access's memory order (enum slabsan_order; a
	 * compare-exchange's success order), for a report that finds the
	 * access by its record alone, which keeps no order */
	SLABSAN_SITE_ORDER_SHIFT = 8,
	SLABSAN_SITE_ORDER_MASK = 7u << SLABSAN_SITE_ORDER_SHIFT,
	/* bits 11-13: a compare-exchange's failure order, the order of its
	 * record as a load (one that stored is recorded as a write) */
	SLABSAN_SITE_FAILURE_ORDER_SHIFT = 11,
	SLABSAN_SITE_FAILURE_ORDER_MASK = 7u << SLABSAN_SITE_FAILURE_ORDER_SHIFT,
};

/* Memory orders: the C11 numbering (__ATOMIC_*), also used by the pass. */
enum slabsan_order {
	SLABSAN_RELAXED = 0,
	SLABSAN_CONSUME = 1,
	SLABSAN_ACQUIRE = 2,
	SLABSAN_RELEASE = 3,
	SLABSAN_ACQ_REL = 4,
	SLABSAN_SEQ_CST = 5,
};

/* Read-modify-write operations (atomicrmw). */
enum slabsan_rmw_op {
	SLABSAN_RMW_XCHG = 0,
	SLABSAN_RMW_ADD = 1,
	SLABSAN_RMW_SUB = 2,
	SLABSAN_RMW_AND = 3,
	SLABSAN_RMW_OR = 4,
	SLABSAN_RMW_XOR = 5,
	SLABSAN_RMW_NAND = 6,
	SLABSAN_RMW_MAX = 7,
	SLABSAN_RMW_MIN = 8,
	SLABSAN_RMW_UMAX = 9,
	SLABSAN_RMW_UMIN = 10,
};

typedef const struct slabsan_site *slabsan_site_t;

/* Module constructor: sites[0..n) of one module. */
void __slabsan_register_sites(struct slabsan_site *sites, size_t n);
/* Module destructor: the same sites, whose memory is about to go (dlclose). */
void __slabsan_unregister_sites(struct slabsan_site *sites, size_t n);

/* Plain accesses. Sizes 1, 2, 4, 8, 16; any alignment. */
void __slabsan_read1(void *addr, slabsan_site_t site);
void __slabsan_read2(void *addr, slabsan_site_t site);
void __slabsan_read4(void *addr, slabsan_site_t site);
void __slabsan_read8(void *addr, slabsan_site_t site);
void __slabsan_read16(void *addr, slabsan_site_t site);
void __slabsan_write1(void *addr, slabsan_site_t site);
void __slabsan_write2(void *addr, slabsan_site_t site);
void __slabsan_write4(void *addr, slabsan_site_t site);
void __slabsan_write8(void *addr, slabsan_site_t site);
void __slabsan_write16(void *addr, slabsan_site_t site);
/* Any other size (aggregates, vectors). */
void __slabsan_read_range(void *addr, size_t size, slabsan_site_t site);
void __slabsan_write_range(void *addr, size_t size, slabsan_site_t site);

/* Volatile accesses: the instruction stays; the runtime treats it as a
 * marked (relaxed atomic) access, like READ_ONCE/WRITE_ONCE. */
void __slabsan_volatile_read(void *addr, size_t size, slabsan_site_t site);
void __slabsan_volatile_write(void *addr, size_t size, slabsan_site_t site);

/* Atomics: the runtime performs the operation itself (so the memory effect
 * and its clock effect are one step). size is 1, 2, 4 or 8; values travel
 * zero-extended in a uint64_t; the pass converts pointers and floats. */
uint64_t __slabsan_atomic_load(void *addr, uint32_t size, uint32_t order,
			       slabsan_site_t site);
void __slabsan_atomic_store(void *addr, uint64_t value, uint32_t size,
			    uint32_t order, slabsan_site_t site);
uint64_t __slabsan_atomic_rmw(void *addr, uint64_t value, uint32_t size,
			      uint32_t op, uint32_t order, slabsan_site_t site);
/* Returns the old value; the exchange happened iff old == expected. */
uint64_t __slabsan_atomic_cmpxchg(void *addr, uint64_t expected,
				  uint64_t desired, uint32_t size,
				  uint32_t success_order, uint32_t failure_order,
				  slabsan_site_t site);
void __slabsan_atomic_fence(uint32_t order, slabsan_site_t site);

/* What an atomic left to the program turned out to be, for the functions
 * below: a compare-exchange is a read-modify-write if it stored, else a
 * load. */
enum slabsan_edge_kind {
	SLABSAN_EDGE_LOAD = 0,
	SLABSAN_EDGE_STORE = 1,
	SLABSAN_EDGE_RMW = 2,
};

/* Around an atomic the pass cannot hand to the functions above (16 bytes,
 * a floating-point read-modify-write, a call into libatomic), which it
 * leaves as it is: before it, the lock of its location; after it, its
 * record as a marked access of size bytes, the edges its order makes as
 * the runtime's own atomics make them, and the unlock. order: C11
 * numbering (a compare-exchange's failure order if it did not store). */
void __slabsan_atomic_edge_before(void *addr);
void __slabsan_atomic_edge_after(void *addr, size_t size, uint32_t order,
				 uint32_t kind, slabsan_site_t site);

/* memcpy/memmove/memset intrinsics: check the ranges, then do the work. */
void *__slabsan_memcpy(void *dst, const void *src, size_t n, slabsan_site_t site);
void *__slabsan_memmove(void *dst, const void *src, size_t n, slabsan_site_t site);
void *__slabsan_memset(void *dst, int c, size_t n, slabsan_site_t site);

/* Cheap stacks: the pass calls these at entry and before each return of
 * every instrumented function. retaddr is llvm.returnaddress(0). The
 * _local entry is for a function only its own module calls (local, its
 * address not taken): no callback from foreign code to look for. */
void __slabsan_func_entry(void *retaddr);
void __slabsan_func_entry_local(void *retaddr);
void __slabsan_func_exit(void);
/* In a function that calls setjmp (any returns_twice function): its depth,
 * read at entry, and after every return of that call the stack cut back
 * to it (a longjmp skipped the exits of the frames in between). */
uint32_t __slabsan_stack_depth(void);
void __slabsan_stack_unwind(uint32_t depth);

/* Called once at entry of each function containing non-empty inline asm,
 * whose accesses and barriers the pass cannot see; site is the first asm. */
void __slabsan_note_inline_asm(slabsan_site_t site);

#endif
