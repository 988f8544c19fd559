// SPDX-License-Identifier: Apache-2.0
// tty_buffer_flush() before 9e6b7cd7e77d: the consumer walks the buffer list
// with a plain read of b->next, frees the buffer it leaves, and moves on,
// while the producer appends with a plain store to tail->next. The read races
// with the store, and the free is not ordered after the producer's write.
// With smp_store_release() on the link and smp_load_acquire() on the walk
// (the fix): silent.
// RUN: %slabsan-cc -O1 -g %s -o %t
// RUN: %expect-exit 66 %t 2>&1 | %S/Inputs/check-lines %src/allocator/kmalloc.c -- FileCheck %s
// RUN: %slabsan-cc -O1 -g -DFIXED %s -o %t.fixed
// RUN: %expect-exit 0 %t.fixed 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <slabsan/slab.h>

#define NR_BUFFERS 4

struct tty_buffer {
	struct tty_buffer *next;
	int used;
	char data[52];
};

static struct tty_buffer *head;   /* the consumer's end */
static struct tty_buffer *tail;   /* the producer's end */
static int produced;              /* relaxed: progress only, orders nothing */

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= NR_BUFFERS; i++) {
		struct tty_buffer *b = kzalloc(sizeof(*b), GFP_KERNEL); /* ALLOC */
		b->used = i;
#ifdef FIXED
		smp_store_release(&tail->next, b);
#else
		tail->next = b; /* LINK */
#endif
		tail = b;
		WRITE_ONCE(produced, i);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int n = 1; n <= NR_BUFFERS; n++) {
		struct tty_buffer *next;
		while (READ_ONCE(produced) < n)
			sched_yield();
#ifdef FIXED
		next = smp_load_acquire(&head->next);
#else
		next = head->next; /* WALK */
#endif
		kfree(head); /* FREE */
		head = next;
	}
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	head = tail = kzalloc(sizeof(*head), GFP_KERNEL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	kfree(head);
	return 0;
}
// CLEAN-NOT: SlabSan
// CHECK: WARNING: SlabSan: data race (pid={{[0-9]+}})
// CHECK-NEXT: Read of size 8 at 0x{{[0-9a-f]+}} (struct tty_buffer::next) by thread T2:
// CHECK-NEXT: #0 consumer {{.*}}tty_buffer_flush.c:55
// CHECK-NEXT: Previous write at 0x{{[0-9a-f]+}} (struct tty_buffer::next) by thread T1:
// CHECK-NEXT: #0 producer {{.*}}tty_buffer_flush.c:37
// CHECK: SUMMARY: SlabSan: data race {{.*}}tty_buffer_flush.c:55 in consumer
// The buffer the walk leaves is freed before the producer's link is ordered:
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 64 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 consumer {{.*}}tty_buffer_flush.c:57
// CHECK-NEXT: is not ordered after this write at 0x{{[0-9a-f]+}} (offset 0, struct tty_buffer::next) by thread T1:
// CHECK-NEXT: #0 producer {{.*}}tty_buffer_flush.c:37
// And the producer's own buffers, not ordered after their allocation:
// CHECK: WARNING: SlabSan: free without acquire (pid={{[0-9]+}})
// CHECK-NEXT: Free of heap block of size 64 at 0x{{[0-9a-f]+}} by thread T2:
// CHECK-NEXT: #0 kfree {{.*}}allocator/kmalloc.c:[[KFREE_USER]]
// CHECK-NEXT: #1 consumer {{.*}}tty_buffer_flush.c:57
// CHECK-NEXT: is not ordered after its allocation by thread T1:
// CHECK: #{{[0-9]+}} producer {{.*}}tty_buffer_flush.c:32
