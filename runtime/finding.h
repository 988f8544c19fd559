/* SPDX-License-Identifier: Apache-2.0 */
/* A finding: one report as data. report_writer.c fills it while it prints the text
 * report; output.c renders every finding so far as JSON, SARIF and HTML.
 * Fixed sizes, so reporting never allocates in the middle of a report. */
#ifndef SLABSAN_FINDING_H
#define SLABSAN_FINDING_H

#include <stdint.h>

#include "internal.h"

#define SL_EVENT_FRAMES 16
#define SL_FINDING_EVENTS 12

struct sl_event {
	const char *role;   /* access previous allocation write free first-free publish consume thread */
	uint32_t tid;       /* 0xffff: unknown */
	char text[200];     /* the heading, e.g. "Write of size 8 at 0x... by thread T1" */
	char member[96];    /* the struct member its access reached, "" if none or unknown */
	/* publish, consume, release, acquire: the store's or load's memory order
	 * ("relaxed" ... "seq_cst", "volatile", "plain"); NULL for other roles */
	const char *order;
	bool fenced;        /* with the fence its text names: a release fence before the
			     * store, an acquire fence or smp_rmb() after the load */
	unsigned nframes;
	struct sl_frame_text frames[SL_EVENT_FRAMES];
};

#define SL_CAUSE_MISSING_EDGE "missing edge"
#define SL_CAUSE_STALE_POINTER "stale pointer"

struct sl_finding {
	const char *kind;   /* "data race", "free without acquire", ... */
	int pid;
	unsigned long occurrences;   /* 1 + duplicates dropped since */
	int edge_of;        /* index of the finding whose cause caused this one, or -1 */
	/* the cause findings are grouped by (SL_CAUSE_*), with its key
	 * (publishing store site, consuming load site); 0 if none */
	const char *cause;
	uint64_t edge_key;
	char note[1024];    /* the explanation, one paragraph */
	char fix[512];
	struct sl_frame_text summary;
	unsigned nevents;
	struct sl_event events[SL_FINDING_EVENTS];
};

/* suppress.c */
void sl_suppressions_init(void);
bool sl_suppressed(const struct sl_finding *f);
void sl_suppressions_print_stats(int fd);

/* output.c */
void sl_output_init(void);
void sl_output_write(struct sl_finding *const *findings, unsigned n);
void sl_output_after_fork_child(struct sl_finding *const *findings, unsigned n);

#endif
