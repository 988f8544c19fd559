/* Freeing a pointer into the middle of a block. */
#include <stdlib.h>

char *line;

int main(void)
{
	line = malloc(64);
	char *word = line + 8;
	free(word);
	free(line);
	return 0;
}
