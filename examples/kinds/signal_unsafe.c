/* A handler that keeps a record of the signal in a fresh allocation. */
#include <signal.h>
#include <stdlib.h>

struct event { int signal; struct event *next; };
static struct event *volatile events;

static void on_signal(int sig)
{
	struct event *e = malloc(sizeof *e);
	e->signal = sig;
	e->next = events;
	events = e;
}

int main(void)
{
	signal(SIGUSR1, on_signal);
	raise(SIGUSR1);
	return events == NULL;
}
