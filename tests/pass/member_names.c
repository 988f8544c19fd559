// SPDX-License-Identifier: Apache-2.0
// Every access to a struct member names the member in its site, so a report
// can say "(struct account::balance)" beside the address. The struct-path
// TBAA tag names it at -O1 and up, whatever the optimizer did to the address;
// at -O0 the GEP's struct type does, the innermost struct only; a constant
// offset into a global struct names it too. A union member that another
// member overlaps exactly, and anything without debug info, get no name
// rather than a guess (pass/MemberNames.cpp).
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O2,O2-%pointers --allow-unused-prefixes
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clang -O2 -g0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=NODEBUG

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

// The whole path from the outermost struct where TBAA says it.
// O2-DAG: c"struct account::in.b\00"
// O2-DAG: c"struct account::at.y\00"
// O0-DAG: c"struct inner::b\00"
// O0-DAG: c"point::y\00"
void nested(struct account *acct)
{
	acct->in.b = 1;
	acct->at.y = 2;
}

// An element at a computed index: the array member, where a struct GEP
// shows it (LLVM 15 on folds the member's offset to bytes at -O2).
// O0-DAG: c"struct account::name\00"
// O2-TYPED-DAG: c"struct account::name\00"
void rename(struct account *acct, long i)
{
	acct->name[i] = 'x';
}

// CHECK-DAG: c"struct stats::hits\00"
void hit(void)
{
	__atomic_fetch_add(&stats.hits, 1, __ATOMIC_RELAXED);
}

// CHECK-NOT: c"union word::
// NODEBUG-NOT: ::
int as_int(union word *w)
{
	return w->i;
}
