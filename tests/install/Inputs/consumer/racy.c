// SPDX-License-Identifier: Apache-2.0
// A shared library built by slabsan_instrument(): no runtime of its own.
void racy_write(int *p)
{
	*p = 1;
}
