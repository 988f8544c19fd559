/* SPDX-License-Identifier: Apache-2.0 */
/* The Linux kernel's memory-model primitives for userspace C, with the
 * ordering the kernel's memory model (tools/memory-model) gives them.
 *
 * Built on C11 __atomic builtins, so the SlabSan pass sees every marked
 * access with its order. The two barriers C11 cannot express, smp_wmb()
 * (orders earlier writes only) and smp_rmb() (orders later reads only), call
 * the runtime when it is linked and fall back to a real fence otherwise: a
 * program compiled without SlabSan is still correct C with real barriers.
 *
 * Mapping (docs/memory-model.md explains each choice):
 *   READ_ONCE/WRITE_ONCE        relaxed atomic load/store
 *   smp_load_acquire            acquire load
 *   smp_store_release           release store
 *   smp_mb                      seq_cst fence (acquire + release)
 *   smp_wmb / smp_rmb           write-only release / read-only acquire fence
 *   xchg, cmpxchg, atomic_*_return, atomic_dec_and_test
 *                               fully ordered: smp_mb(); relaxed RMW; smp_mb()
 *                               (cmpxchg: only when it succeeds)
 *   *_relaxed/_acquire/_release as named
 *   rcu_dereference             consume, modelled as acquire
 *   rcu_assign_pointer          release store
 */
#ifndef SLABSAN_LKMM_H
#define SLABSAN_LKMM_H

#include <stdbool.h>
#include <stddef.h>

#include <slabsan/slabsan.h>

#ifdef __cplusplus
extern "C" {
#endif

void __slabsan_smp_wmb(void) __attribute__((weak));
void __slabsan_smp_rmb(void) __attribute__((weak));

/* ---- marked accesses */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, val) __atomic_store_n((p), (val), __ATOMIC_RELEASE)

/* ---- barriers */
#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
static inline void smp_wmb(void)
{
	if (__slabsan_smp_wmb)
		__slabsan_smp_wmb();
	else
		__atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void smp_rmb(void)
{
	if (__slabsan_smp_rmb)
		__slabsan_smp_rmb();
	else
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
}
#define smp_store_mb(x, val) do { WRITE_ONCE(x, val); smp_mb(); } while (0)
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()
#define smp_acquire__after_ctrl_dep() __atomic_thread_fence(__ATOMIC_ACQUIRE)

/* ---- exchange; fully ordered unless the suffix says otherwise */
#define xchg_relaxed(p, v) __atomic_exchange_n((p), (v), __ATOMIC_RELAXED)
#define xchg_acquire(p, v) __atomic_exchange_n((p), (v), __ATOMIC_ACQUIRE)
#define xchg_release(p, v) __atomic_exchange_n((p), (v), __ATOMIC_RELEASE)
#define xchg(p, v)							\
	({								\
		smp_mb();						\
		__typeof__(*(p)) __x = xchg_relaxed(p, v);		\
		smp_mb();						\
		__x;							\
	})

/* cmpxchg returns the old value; a failed one orders nothing. */
#define __slabsan_cmpxchg(p, o, n, succ)				\
	({								\
		__typeof__(*(p)) __old = (o);				\
		__atomic_compare_exchange_n((p), &__old, (n), false,	\
					    (succ), __ATOMIC_RELAXED);	\
		__old;							\
	})
#define cmpxchg_relaxed(p, o, n) __slabsan_cmpxchg(p, o, n, __ATOMIC_RELAXED)
#define cmpxchg_acquire(p, o, n) __slabsan_cmpxchg(p, o, n, __ATOMIC_ACQUIRE)
#define cmpxchg_release(p, o, n) __slabsan_cmpxchg(p, o, n, __ATOMIC_RELEASE)
#define cmpxchg(p, o, n)						\
	({								\
		__typeof__(*(p)) __expect = (o);			\
		smp_mb__before_successful_cmpxchg();			\
		__typeof__(*(p)) __got =				\
			__slabsan_cmpxchg(p, __expect, n, __ATOMIC_ACQ_REL); \
		if (__got == __expect)					\
			smp_mb();					\
		__got;							\
	})
/* The leading full barrier of a successful cmpxchg: its release half is
 * the acq_rel RMW itself; its acquire half (ordering earlier relaxed loads)
 * is given only on success, by the trailing smp_mb(). */
#define smp_mb__before_successful_cmpxchg() do { } while (0)
#define try_cmpxchg(p, po, n)						\
	({								\
		__typeof__(*(p)) __want = *(po);			\
		__typeof__(*(p)) __seen = cmpxchg(p, __want, n);	\
		bool __ok = __seen == __want;				\
		if (!__ok)						\
			*(po) = __seen;					\
		__ok;							\
	})

/* ---- atomic_t */
typedef struct { int counter; } atomic_t;
#define ATOMIC_INIT(i) { (i) }
#define atomic_read(v) READ_ONCE((v)->counter)
#define atomic_set(v, i) WRITE_ONCE((v)->counter, (i))
#define atomic_read_acquire(v) smp_load_acquire(&(v)->counter)
#define atomic_set_release(v, i) smp_store_release(&(v)->counter, (i))
/* Non-value-returning RMWs are unordered. */
#define atomic_add(i, v) ((void)__atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_sub(i, v) ((void)__atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_inc(v) atomic_add(1, v)
#define atomic_dec(v) atomic_sub(1, v)
/* Value-returning RMWs are fully ordered. */
#define __slabsan_full(expr) ({ smp_mb(); __typeof__(expr) __r = (expr); smp_mb(); __r; })
#define atomic_fetch_add_relaxed(i, v) __atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_fetch_add_acquire(i, v) __atomic_fetch_add(&(v)->counter, (i), __ATOMIC_ACQUIRE)
#define atomic_fetch_add_release(i, v) __atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELEASE)
#define atomic_fetch_add(i, v) __slabsan_full(atomic_fetch_add_relaxed(i, v))
#define atomic_fetch_sub_relaxed(i, v) __atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_fetch_sub_acquire(i, v) __atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_ACQUIRE)
#define atomic_fetch_sub_release(i, v) __atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELEASE)
#define atomic_fetch_sub(i, v) __slabsan_full(atomic_fetch_sub_relaxed(i, v))
#define atomic_fetch_inc(v) atomic_fetch_add(1, v)
#define atomic_fetch_dec(v) atomic_fetch_sub(1, v)
#define atomic_add_return_relaxed(i, v) (atomic_fetch_add_relaxed(i, v) + (i))
#define atomic_add_return(i, v) (atomic_fetch_add(i, v) + (i))
#define atomic_sub_return(i, v) (atomic_fetch_sub(i, v) - (i))
#define atomic_inc_return(v) atomic_add_return(1, v)
#define atomic_dec_return(v) atomic_sub_return(1, v)
#define atomic_dec_and_test(v) (atomic_dec_return(v) == 0)
#define atomic_sub_and_test(i, v) (atomic_sub_return(i, v) == 0)
#define atomic_xchg(v, i) xchg(&(v)->counter, (i))
#define atomic_cmpxchg(v, o, n) cmpxchg(&(v)->counter, (o), (n))
static inline bool atomic_inc_not_zero(atomic_t *v)
{
	int c = atomic_read(v);
	do {
		if (c == 0)
			return false;
	} while (!try_cmpxchg(&v->counter, &c, c + 1));
	return true;
}

/* ---- refcount_t: increments are unordered; a decrement releases, and the
 * one that reaches zero also acquires (so the free after it is ordered
 * after every other holder's accesses). */
typedef struct { atomic_t refs; } refcount_t;
#define REFCOUNT_INIT(n) { ATOMIC_INIT(n) }
#define refcount_set(r, n) atomic_set(&(r)->refs, (n))
#define refcount_read(r) atomic_read(&(r)->refs)
#define refcount_inc(r) atomic_inc(&(r)->refs)
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int c = atomic_read(&r->refs);
	do {
		if (c == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &c, c + 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}
static inline bool refcount_dec_and_test(refcount_t *r)
{
	if (atomic_fetch_sub_release(1, &r->refs) == 1) {
		smp_acquire__after_ctrl_dep();
		return true;
	}
	return false;
}
#define refcount_dec(r) ((void)atomic_fetch_sub_release(1, &(r)->refs))

/* ---- spinlock_t: acquire on lock, release on unlock; reports name it
 * among the locks an access held */
typedef struct { int locked; } spinlock_t;
#define __SPIN_LOCK_UNLOCKED(name) { 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = { 0 }
static inline void spin_lock_init(spinlock_t *l) { WRITE_ONCE(l->locked, 0); }
static inline void spin_lock(spinlock_t *l)
{
	while (xchg_acquire(&l->locked, 1))
		while (READ_ONCE(l->locked))
			__builtin_ia32_pause();
	slabsan_lock_taken(l, 0);
}
static inline bool spin_trylock(spinlock_t *l)
{
	if (xchg_acquire(&l->locked, 1))
		return false;
	slabsan_lock_taken(l, 0);
	return true;
}
static inline void spin_unlock(spinlock_t *l)
{
	smp_store_release(&l->locked, 0);
	slabsan_lock_released(l, 0);
}

/* ---- RCU (implemented in libslabsan_slab.a, allocator/rcu.c) */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	size_t kfree_offset;   /* kfree_rcu: where the head sits in the object */
};
void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void rcu_barrier(void);   /* waits for every queued callback */
void __kfree_rcu(struct rcu_head *head, size_t offset);
#define kfree_rcu(ptr, field) __kfree_rcu(&(ptr)->field, offsetof(__typeof__(*(ptr)), field))
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference_protected(p, c) (p)
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

#ifdef __cplusplus
}
#endif
#endif
