// The kernel reads what write() sends and writes what read() receives,
// in the caller's name: a read() into a buffer another thread still reads
// (INTO_SHARED), or a write() of a buffer another thread is still writing
// (FROM_SHARED), is a data race, reported at the call. Handed over by a
// join instead, silent. Focused mode does not check plain accesses.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DINTO_SHARED %s -o %t.in && %expect-exit 66 %t.in 2>&1 | FileCheck %s --check-prefix=IN
// RUN: %slabsan-cc -O1 -g -DFROM_SHARED %s -o %t.out && %expect-exit 66 %t.out 2>&1 | FileCheck %s --check-prefix=OUT
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DINTO_SHARED %s -o %t.f && %expect-exit 0 %t.f 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static int fds[2];
char buf[16]; /* not static: LLVM would shrink it */
long seen;
static atomic_int step; /* relaxed: orders nothing */

static void *other(void *arg)
{
	(void)arg;
#if defined(INTO_SHARED)
	while (!atomic_load_explicit(&step, memory_order_relaxed))
		;
	if (read(fds[0], buf, 1) != 1) /* READ_CALL */
		return NULL;
#elif defined(FROM_SHARED)
	buf[0] = 'x'; /* BUFFER_WRITE */
	atomic_store_explicit(&step, 1, memory_order_relaxed);
#else
	buf[0] = 'x';
#endif
	return NULL;
}

int main(void)
{
	if (pipe(fds))
		return 1;
	pthread_t t;
	pthread_create(&t, NULL, other, NULL);
#if defined(INTO_SHARED)
	if (write(fds[1], "y", 1) != 1)
		return 1;
	seen = buf[0]; /* BUFFER_READ */
	atomic_store_explicit(&step, 1, memory_order_relaxed);
#elif defined(FROM_SHARED)
	while (!atomic_load_explicit(&step, memory_order_relaxed))
		;
	if (write(fds[1], buf, 1) != 1) /* WRITE_CALL */
		return 1;
#endif
	pthread_join(t, NULL);
#if !defined(INTO_SHARED) && !defined(FROM_SHARED)
	if (write(fds[1], buf, 1) != 1 || read(fds[0], buf, 1) != 1)
		return 1;
#endif
	return 0;
}
// CLEAN-NOT: SlabSan
// IN: WARNING: SlabSan: data race
// IN-NEXT: Write of size 1 at {{.*}} by thread T1:
// IN-NEXT: #0 other {{.*}}fd_buffers.c:25
// IN: Previous read at {{.*}} by main thread (T0):
// IN-NEXT: #0 main {{.*}}fd_buffers.c:45
// IN: Location is global 'buf'
// OUT: WARNING: SlabSan: data race
// OUT-NEXT: Read of size 1 at {{.*}} by main thread (T0):
// OUT-NEXT: #0 main {{.*}}fd_buffers.c:50
// OUT: Previous write at {{.*}} by thread T1:
// OUT-NEXT: #0 other {{.*}}fd_buffers.c:28
