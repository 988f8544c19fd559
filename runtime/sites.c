// SPDX-License-Identifier: Apache-2.0
/* Registry of the sites the pass emitted (abi.h), so that a shadow slot can
 * name its site in 32 bits and a report can turn the id back; and of the
 * modules that registered them, the code SlabSan instruments. */
#include <link.h>
#include <string.h>

#include "shadow.h"

#define MAX_SITES (1u << 24)

static slabsan_site_t *sites_by_id;
static uint32_t next_site = 1;
atomic_bool sl_plain_checked;
SL_GLOBAL_LOCK(sites_lock);

/* The code SlabSan instruments, for sl_pc_in_instrumented_code(): the
 * executable segments of the module the runtime is linked into (the
 * program) and of each whose sites registered, appended and never removed
 * (a module that is unloaded leaves an address range nothing runs in). A
 * library with no sites (focused mode, no atomics) counts as
 * uninstrumented. */
struct sl_code_range sl_instrumented_code[SL_MAX_CODE_RANGES];
atomic_uint sl_instrumented_code_ranges;

struct code_search { uintptr_t addr, lo, hi; };

static int code_of_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct code_search *c = arg;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	bool holds = false;
	for (unsigned i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;
		holds |= c->addr - start < ph->p_memsz;
		if (ph->p_flags & PF_X) {
			lo = start < lo ? start : lo;
			hi = start + ph->p_memsz > hi ? start + ph->p_memsz : hi;
		}
	}
	if (holds && lo < hi)
		c->lo = lo, c->hi = hi;
	return holds;
}

static bool in_known_code(uintptr_t addr)
{
	unsigned n = atomic_load_explicit(&sl_instrumented_code_ranges, memory_order_acquire);
	for (unsigned i = 0; i < n; i++) {
		const struct sl_code_range *r = &sl_instrumented_code[i];
		if (addr - atomic_load_explicit(&r->lo, memory_order_relaxed) <
		    atomic_load_explicit(&r->size, memory_order_relaxed))
			return true;
	}
	return false;
}

bool sl_pc_in_other_instrumented_code(uintptr_t pc)
{
	return !atomic_load_explicit(&sl_instrumented_code_ranges, memory_order_acquire) ||
	       in_known_code(pc);
}

/* Written while others read it: one that meets a half-written range
 * misjudges one pc, which costs a stack its foreign frames, no more. */
static void set_range(struct sl_code_range *r, uintptr_t lo, uintptr_t size)
{
	atomic_store_explicit(&r->size, 0, memory_order_relaxed);
	atomic_store_explicit(&r->lo, lo, memory_order_relaxed);
	atomic_store_explicit(&r->size, size, memory_order_release);
}

/* Without sites_lock: dl_iterate_phdr takes the loader's. More modules
 * than fit: every pc counts as instrumented, as an empty table does
 * (before start-up noted the program's, sl_sites_init). */
static void note_code(const void *addr_in_module)
{
	struct code_search c = { .addr = (uintptr_t)addr_in_module };
	if (in_known_code(c.addr) || !dl_iterate_phdr(code_of_object, &c) || !c.hi)
		return;
	sl_spin_lock(&sites_lock);
	unsigned n = atomic_load_explicit(&sl_instrumented_code_ranges, memory_order_relaxed);
	if (in_known_code(c.addr))
		;                               /* another thread was first */
	else if (n == SL_MAX_CODE_RANGES)
		set_range(&sl_instrumented_code[0], 0, UINTPTR_MAX);   /* all */
	else {
		set_range(&sl_instrumented_code[n], c.lo, c.hi - c.lo);
		atomic_store_explicit(&sl_instrumented_code_ranges, n + 1, memory_order_release);
	}
	sl_spin_unlock(&sites_lock);
}

/* Start-up: the program's own code, the module the runtime is linked
 * into, counts as instrumented whether or not it has sites (focused mode,
 * no atomics): what else runs is foreign. */
void sl_sites_init(void)
{
	note_code((const void *)sl_sites_init);
}

SL_EXPORT void __slabsan_register_sites(struct slabsan_site *sites, size_t n)
{
	sl_init();   /* module constructors may run before our own */
	note_code(__builtin_return_address(0));   /* the module's constructor */
	sl_spin_lock(&sites_lock);
	if (!sites_by_id)
		sites_by_id = sl_mmap_reserve(MAX_SITES * sizeof *sites_by_id);
	for (size_t i = 0; i < n && next_site < MAX_SITES; i++) {
		if (sites[i].id)
			continue;              /* module registered twice */
		if (sites[i].flags & SLABSAN_SITE_PLAIN)
			atomic_store_explicit(&sl_plain_checked, true, memory_order_relaxed);
		sites[i].id = next_site;
		sites_by_id[next_site++] = &sites[i];
	}
	sl_spin_unlock(&sites_lock);
}

/* A string of an unloaded module, kept: runtime memory, never freed. */
static const char *kept_string(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(sl_alloc(n), s, n);
}

/* Module destructor: the module is going away (dlclose), and with it the
 * memory of its sites, which records in the shadow and reports still
 * name. Each site moves to runtime memory under its id. At the program's
 * exit nothing needs them any more. */
SL_EXPORT void __slabsan_unregister_sites(struct slabsan_site *sites, size_t n)
{
	if (atomic_load_explicit(&sl_exiting, memory_order_relaxed) || !sites_by_id)
		return;
	bool was = sl_runtime_work_begin();
	struct slabsan_site *copy = sl_alloc(n * sizeof *copy);
	const char *file = NULL, *kept_file = NULL;   /* neighbours share their file */
	for (size_t i = 0; i < n; i++) {
		copy[i] = sites[i];
		copy[i].function = kept_string(sites[i].function);
		copy[i].field = kept_string(sites[i].field);
		if (sites[i].file != file)
			kept_file = kept_string(file = sites[i].file);
		copy[i].file = kept_file;
		if (sites[i].inlined_at)
			copy[i].inlined_at = &copy[sites[i].inlined_at - sites];
	}
	sl_spin_lock(&sites_lock);
	for (size_t i = 0; i < n; i++)
		if (sites[i].id && sites_by_id[sites[i].id] == &sites[i])
			sites_by_id[sites[i].id] = &copy[i];
	sl_spin_unlock(&sites_lock);
	sl_runtime_work_end(was);
}

slabsan_site_t sl_site_get(uint32_t id)
{
	if (!sites_by_id || id == 0 || id >= next_site)
		return NULL;
	return sites_by_id[id];
}
