/* SPDX-License-Identifier: Apache-2.0 */
/* SlabSan's public annotations. Every one of them is a no-op in a program
 * that is not linked with the SlabSan runtime: the runtime's entry points
 * are weak references here, and a missing weak function is a null pointer. */
#ifndef SLABSAN_SLABSAN_H
#define SLABSAN_SLABSAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void __slabsan_malloclike(void *p, size_t size) __attribute__((weak));
void __slabsan_freelike(void *p) __attribute__((weak));
void __slabsan_acquire(const volatile void *addr) __attribute__((weak));
void __slabsan_release(const volatile void *addr) __attribute__((weak));
void __slabsan_lock_taken(const volatile void *lock, int shared) __attribute__((weak));
void __slabsan_lock_released(const volatile void *lock, int shared) __attribute__((weak));
void __slabsan_rcu_read_lock(void) __attribute__((weak));
void __slabsan_rcu_read_unlock(void) __attribute__((weak));
void __slabsan_ignore_begin(void) __attribute__((weak));
void __slabsan_ignore_end(void) __attribute__((weak));
void __slabsan_assert_exclusive(const volatile void *addr, size_t size, int writer_only)
	__attribute__((weak));

/* A custom allocator handed out [p, p+size): from now on it is a heap block
 * whose free must be ordered after everything other threads did to it. */
static inline void slabsan_malloclike(void *p, size_t size)
{
	if (__slabsan_malloclike)
		__slabsan_malloclike(p, size);
}

/* The custom allocator takes p back (call it before reusing the memory). */
static inline void slabsan_freelike(void *p)
{
	if (__slabsan_freelike)
		__slabsan_freelike(p);
}

/* Synchronization the pass cannot see (inline assembly, a foreign library):
 * __slabsan_release(addr) where the code publishes, __slabsan_acquire(addr)
 * where another thread observes that publication. */

/* A lock SlabSan does not intercept (a spinlock of your own; spinlock_t of
 * <slabsan/lkmm.h> does this already): call slabsan_lock_taken() right
 * after taking it and slabsan_lock_released() right after giving it up,
 * shared = 1 for a reader's lock, and race reports name it among the locks
 * each access held. The ordering itself comes from the lock's atomics (an
 * acquire when taken, a release when given up), not from these calls. */
static inline void slabsan_lock_taken(const volatile void *lock, int shared)
{
	if (__slabsan_lock_taken)
		__slabsan_lock_taken(lock, shared);
}

static inline void slabsan_lock_released(const volatile void *lock, int shared)
{
	if (__slabsan_lock_released)
		__slabsan_lock_released(lock, shared);
}

/* A read-side critical section of an RCU of your own (liburcu's, say;
 * <slabsan/lkmm.h>'s rcu_read_lock() does this already): call
 * slabsan_rcu_read_lock() right after entering the outermost section and
 * slabsan_rcu_read_unlock() right after leaving it. A race report whose
 * earlier access was made inside one says so, and asks the free or write
 * it raced with to wait for a grace period. The ordering itself comes from
 * the RCU's own atomics, not from these calls. */
static inline void slabsan_rcu_read_lock(void)
{
	if (__slabsan_rcu_read_lock)
		__slabsan_rcu_read_lock();
}

static inline void slabsan_rcu_read_unlock(void)
{
	if (__slabsan_rcu_read_unlock)
		__slabsan_rcu_read_unlock();
}

/* Marks a struct field as allocator metadata: reports name it. */
#define __slabsan_meta __attribute__((annotate("slabsan.meta")))

/* KCSAN's data_race(expr): the accesses in expr are intentionally racy. */
#define data_race(expr)							\
	({								\
		if (__slabsan_ignore_begin)				\
			__slabsan_ignore_begin();			\
		__typeof__(({ expr; })) __slabsan_v = ({ expr; });	\
		if (__slabsan_ignore_end)				\
			__slabsan_ignore_end();				\
		__slabsan_v;						\
	})

/* A barrier for tests that releases threads together WITHOUT creating
 * happens-before between them (like ThreadSanitizer's test-only barrier):
 * races across it are still reported. Without the runtime it is a plain
 * spinning barrier. Zero-initialize, set count, then call from count threads. */
struct slabsan_test_barrier {
	unsigned count;
	unsigned arrived;
	unsigned generation;
};
void __slabsan_test_barrier_wait(struct slabsan_test_barrier *b) __attribute__((weak));
static inline void slabsan_test_barrier_wait(struct slabsan_test_barrier *b)
{
	if (__slabsan_test_barrier_wait) {
		__slabsan_test_barrier_wait(b);
		return;
	}
	unsigned gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == b->count) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->generation, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen)
		;
}

/* KCSAN's assertions: from here on, until this thread synchronizes, no
 * other thread may write var (WRITER) or access it at all (ACCESS);
 * READ_ONCE/WRITE_ONCE and atomics count. Violations are "assert: race". */
#define ASSERT_EXCLUSIVE_WRITER(var)					\
	do {								\
		if (__slabsan_assert_exclusive)				\
			__slabsan_assert_exclusive(&(var), sizeof(var), 1); \
	} while (0)
#define ASSERT_EXCLUSIVE_ACCESS(var)					\
	do {								\
		if (__slabsan_assert_exclusive)				\
			__slabsan_assert_exclusive(&(var), sizeof(var), 0); \
	} while (0)

#ifdef __cplusplus
}
#endif
#endif
