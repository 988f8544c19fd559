// SPDX-License-Identifier: Apache-2.0
// Two holders of a kmalloc()ed struct pid drop their references on two
// threads; the second drop frees it.
//  - The old put_pid() fast path, "atomic_read(&count) == 1 ||
//    atomic_dec_and_test(&count)" (replaced by f57e515a1b56): the holder
//    that reads 1 frees without any acquire, so the other holder's accesses
//    are not ordered before the kfree(): free without acquire.
//  - refcount_dec_and_test(): the last decrement acquires: silent.
//  - skb_unref() as kfree_skb() does it: put_pid_skb.c.
// RUN: %slabsan-cc -O1 -g -DPUT_OLD %s -o %t.old
// RUN: %expect-exit 66 %t.old 2>&1 | %S/Inputs/check-lines %src/allocator/kmalloc.c -- FileCheck %s
// RUN: %slabsan-cc -O1 -g -DPUT_REFCOUNT %s -o %t.refcount
// RUN: %expect-exit 0 %t.refcount 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

struct pid {
	atomic_t count;
	int nr;
};

#if defined(PUT_OLD)
static void put_pid(struct pid *pid)
{
	if (atomic_read(&pid->count) == 1 || atomic_dec_and_test(&pid->count)) /* DEC */
		kfree(pid); /* OLD_FREE */
}
#elif defined(PUT_REFCOUNT)
static void put_pid(struct pid *pid)
{
	if (refcount_dec_and_test((refcount_t *)&pid->count))
		kfree(pid);
}
#else
/* include/linux/skbuff.h */
static bool skb_unref(refcount_t *users)
{
	if (refcount_read(users) == 1)
		smp_rmb();
	else if (!refcount_dec_and_test(users))
		return false;
	return true;
}

static void put_pid(struct pid *pid)
{
	if (skb_unref((refcount_t *)&pid->count))
		kfree(pid);
}
#endif

static int first_put_done;   /* relaxed: forces the order, orders nothing */
static int seen_nr;

static void *first_holder(void *arg)
{
	struct pid *pid = arg;
	seen_nr = pid->nr;
	put_pid(pid); /* FIRST_PUT */
	WRITE_ONCE(first_put_done, 1);
	return NULL;
}

static void *last_holder(void *arg)
{
	while (!READ_ONCE(first_put_done))
		sched_yield();
	put_pid(arg); /* LAST_PUT */
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	struct pid *pid = kmalloc(sizeof(*pid), GFP_KERNEL);
	atomic_set(&pid->count, 2);
	pid->nr = 42;
	pthread_create(&a, NULL, first_holder, pid);
	pthread_create(&b, NULL, last_holder, pid);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return seen_nr == 42 ? 0 : 1;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 8 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 put_pid {{.*}}put_pid.c:27
// CHECK-NEXT: #2 last_holder {{.*}}put_pid.c:69
// CHECK-NEXT: is not ordered after this atomic write at 0x{{[0-9a-f]+}} (offset 0, struct pid::count.counter) by thread T1:
// CHECK-NEXT: #0 put_pid {{.*}}put_pid.c:26
// CHECK-NEXT: #1 first_holder {{.*}}put_pid.c:60
// CHECK: SUMMARY: SlabSan: free without acquire {{.*}}put_pid.c:27 in put_pid
// CHECK-NOT: WARNING: SlabSan
