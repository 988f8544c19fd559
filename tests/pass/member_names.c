// SPDX-License-Identifier: Apache-2.0
// Every access to a struct member names the member in its site, so a report
// can say "(struct account::balance)" beside the address. The struct-path
// TBAA tag names it at -O1 and up, whatever the optimizer did to the address;
// at -O0 the GEPs that computed the address do; through a pointer, the
// type debug info gives it; a constant offset into a global struct names it
// too. A union member that another member overlaps exactly, pointers of
// unrelated types, and anything without debug info get no name rather than
// a guess (pass/MemberNames.cpp).
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O2
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clang -O2 -g0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=NODEBUG
// What must stay unnamed is checked on its own, over the whole output (a
// CHECK-NOT after CHECK-DAGs would only look past the last of them).
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=UNNAMED,UNNAMED-O2
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=UNNAMED

struct inner {
	int a, b;
};
typedef struct {
	int x, y;
} point;
struct account {
	long id;
	char name[24];
	struct inner in;
	long balance;
	point at;
};
union word {
	int i;
	float f;
};
struct stats {
	long misses;
	long hits;
};
struct stats stats;

// CHECK-DAG: c"struct account::balance\00"
void deposit(struct account *acct, long amount)
{
	acct->balance += amount;
}

// The whole path from the outermost struct, from the TBAA tag at -O2 and
// from the GEPs the address was computed with at -O0.
// CHECK-DAG: c"struct account::in.b\00"
// CHECK-DAG: c"struct account::at.y\00"
// UNNAMED-NOT: c"struct inner::b\00"
void nested(struct account *acct)
{
	acct->in.b = 1;
	acct->at.y = 2;
}

// An element at a computed index: the array member it lies in.
// CHECK-DAG: c"struct account::name\00"
void rename(struct account *acct, long i)
{
	acct->name[i] = 'x';
}

// CHECK-DAG: c"struct stats::hits\00"
void hit(void)
{
	__atomic_fetch_add(&stats.hits, 1, __ATOMIC_RELAXED);
}

// UNNAMED-NOT: c"union word::
// NODEBUG-NOT: ::
int as_int(union word *w)
{
	return w->i;
}

// Through a pointer, where LLVM 15 on leaves an atomic's address a byte
// offset with no struct type in sight: the type debug info gives the
// pointer names the member. container_of()'s result says how far it lies
// from its argument, and of a pointer to an embedded member and one to the
// struct around it, the outer struct names the access.
struct list_head {
	struct list_head *next, *prev;
};
struct object {
	long key;
	struct list_head node;
	int refs;
	long hits;
};
#define container_of(p, type, member) ((type *)((char *)(p) - __builtin_offsetof(type, member)))

// CHECK-DAG: c"struct object::refs\00"
void get_object(struct list_head *l)
{
	struct object *o = container_of(l, struct object, node);
	__atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
}

// (inlined at -O2, where the outer struct is in sight; not at -O0)
// O2-DAG: c"struct object::node.prev\00"
// O0-DAG: c"struct list_head::prev\00"
static inline struct list_head *prev_of(struct list_head *l)
{
	return __atomic_load_n(&l->prev, __ATOMIC_ACQUIRE);
}
struct list_head *object_prev(struct object *o)
{
	return prev_of(&o->node);
}

// A pointer loaded from a global has the global's type.
struct stripe {
	long lock;
	long count;
};
struct stripe *current;
// CHECK-DAG: c"struct stripe::count\00"
long current_count(void)
{
	return __atomic_load_n(&current->count, __ATOMIC_ACQUIRE);
}

// Two pointers of unrelated types to one address: neither is trusted.
struct pair_a {
	int first, second;
};
struct pair_b {
	int left, right;
};
// (At -O0 only the GEP's type, pair_b, is in sight.)
// UNNAMED-O2-NOT: c"struct pair_b::right\00"
// UNNAMED-O2-NOT: c"struct pair_a::second\00"
int punned(struct pair_a *a)
{
	struct pair_b *b = (struct pair_b *)a;
	return __atomic_load_n(&b->right, __ATOMIC_RELAXED);
}
