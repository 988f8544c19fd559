// A module built in full mode for focused_heap.c: its plain read is checked.
struct obj;
long plain_peek(const long *p)
{
	return *p; /* PLAIN_PEEK */
}
