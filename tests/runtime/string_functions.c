// The <string.h> functions read and write for their caller, checked as the
// caller's accesses at the call: each over the bytes its definition must
// touch, no more. The writer changes byte 10 of a 16-byte-aligned string
// with no order to the main thread. Calls that stop before byte 10 (a
// search that finds earlier, a comparison that differs earlier, a bound)
// are silent; one that reads or writes it races. A string copied into a
// freed block is a use after free. _FORTIFY_SOURCE's __memcpy_chk, which
// the pass never sees, is checked too. Focused mode checks none of them.
// RUN: %slabsan-cc -O1 -g %s -o %t && %expect-exit 0 %t 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
// RUN: %slabsan-cc -O1 -g -DCALL=1 %s -o %t.len && %expect-exit 66 %t.len 2>&1 | FileCheck %s --check-prefixes=RACE,LEN
// RUN: %slabsan-cc -O1 -g -DCALL=2 %s -o %t.cmp && %expect-exit 66 %t.cmp 2>&1 | FileCheck %s --check-prefixes=RACE,CMP
// RUN: %slabsan-cc -O1 -g -DCALL=3 %s -o %t.chr && %expect-exit 66 %t.chr 2>&1 | FileCheck %s --check-prefixes=RACE,CHR
// RUN: %slabsan-cc -O1 -g -DCALL=4 %s -o %t.cpy && %expect-exit 66 %t.cpy 2>&1 | FileCheck %s --check-prefixes=RACE,CPY
// RUN: %slabsan-cc -O1 -g -DCALL=5 %s -o %t.cat && %expect-exit 66 %t.cat 2>&1 | FileCheck %s --check-prefixes=WRITE,NCPY
// RUN: %slabsan-cc -O2 -g -D_FORTIFY_SOURCE=2 -DCALL=6 %s -o %t.chk && %expect-exit 66 %t.chk 2>&1 | FileCheck %s --check-prefixes=WRITE,CHK
// RUN: %slabsan-cc -O1 -g -DCALL=7 %s -o %t.uaf && %expect-exit 66 %t.uaf 2>&1 | FileCheck %s --check-prefix=UAF
// RUN: %slabsan-cc -O1 -g -fslabsan-mode=focused -DCALL=1 %s -o %t.f && %expect-exit 0 %t.f 2>&1 | FileCheck %s --allow-empty --check-prefix=CLEAN
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

_Alignas(16) char text[64] = "a string of some length";
char copy[64];
static atomic_int changed; /* relaxed: orders nothing */
static volatile size_t runtime_len = 12; /* keeps calls real calls */

static void *writer(void *arg)
{
	(void)arg;
	text[10] = 'F'; /* CHANGE */
	atomic_store_explicit(&changed, 1, memory_order_relaxed);
	return NULL;
}

/* Calls that stop before byte 10: no report. */
__attribute__((noinline)) static size_t short_reads(void)
{
	size_t r = 0;
	r += strchr(text, 's') - text;                 /* 3 bytes */
	r += strrchr(copy, 'x') == NULL;               /* another buffer */
	r += (size_t)strncmp(text, "a strong", 8);     /* differs at 5: 6 bytes */
	r += (size_t)strcasecmp(text, "A STRX");       /* differs at 5 */
	r += (char *)memchr(text, 'r', sizeof text) - text; /* 5 bytes */
	r += strnlen(text, 8);                         /* 8 bytes */
	r += strstr(text, "str") - text;               /* 5 bytes */
	strncpy(copy, text, 9);                        /* 9 bytes */
	r += strlen(copy);
	return r;
}

__attribute__((noinline)) static size_t call(int which)
{
	char *volatile block;
	switch (which) {
	case 1: return strlen(text); /* STRLEN */
	case 2: return (size_t)strcmp(text, "a string of some length"); /* STRCMP */
	case 3: return (size_t)(strchr(text, 'h') - text); /* STRCHR */
	case 4: return strlen(strcpy(copy, text)); /* STRCPY */
	case 5: strncpy(text + 8, copy, runtime_len); return 0; /* STRNCPY */
	case 6: memcpy(text, copy, runtime_len); return 0; /* MEMCPY_CHK */
	case 7:
		block = malloc(32);
		free(block); /* FREE */
		strcpy(block, copy); /* UAF */
		return 0;
	}
	return 0;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (!atomic_load_explicit(&changed, memory_order_relaxed))
		sched_yield();
	size_t r = short_reads();
#ifdef CALL
	r += call(CALL);
#endif
	pthread_join(t, NULL);
	r += strlen(text) + (size_t)strcmp(text, copy); /* after the join */
	return r == 0;
}
// CLEAN-NOT: SlabSan
// RACE: WARNING: SlabSan: data race (pid={{[0-9]+}})
// RACE-NEXT: Read of size {{[0-9]+}} at 0x{{[0-9a-f]+}} by main thread (T0):
// LEN-NEXT: #0 call {{.*}}string_functions.c:57
// CMP-NEXT: #0 call {{.*}}string_functions.c:58
// CHR-NEXT: #0 call {{.*}}string_functions.c:59
// CPY-NEXT: #0 call {{.*}}string_functions.c:60
// WRITE: WARNING: SlabSan: data race (pid={{[0-9]+}})
// WRITE-NEXT: Write of size {{[0-9]+}} at 0x{{[0-9a-f]+}} by main thread (T0):
// NCPY-NEXT: #0 call {{.*}}string_functions.c:61
// CHK-NEXT: #0 memcpy {{.*}}string_fortified.h:{{[0-9]+}}
// CHK-NEXT: #1 call {{.*}}string_functions.c:62
// RACE: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// WRITE: Previous write at 0x{{[0-9a-f]+}} by thread T1:
// RACE-NEXT: #0 writer {{.*}}string_functions.c:32
// WRITE-NEXT: #0 writer {{.*}}string_functions.c:32
// RACE-NOT: WARNING: SlabSan
// WRITE-NOT: WARNING: SlabSan
// UAF: WARNING: SlabSan: use after free
// UAF-NEXT: Write of size {{[0-9]+}} at {{.*}} by main thread (T0):
// UAF-NEXT: #0 call {{.*}}string_functions.c:66
// UAF: Freed heap block of size 32 at {{.*}} (offset 0), freed by main thread (T0):
// UAF-NEXT: #0 call {{.*}}string_functions.c:65
