/* sort.c - qsort (introspective: quicksort with median-of-three, insertion
 * sort for short runs, heapsort when recursion gets too deep, so the worst
 * case stays O(n log n)), bsearch, and abs/labs/llabs. */
#include <stdlib.h>
#include <string.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

static void heapsort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, size, cmp);
	for (size_t end = n; end-- > 1;) {
		swap(base, base + end * size, size);
		sift_down(base, 0, end, size, cmp);
	}
}

static void insertion(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap(base + (j - 1) * size, base + j * size, size);
}

static void introsort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > 12) {
		if (depth-- == 0) {
			heapsort(base, n, size, cmp);
			return;
		}
		/* Median of first, middle, last moved to the front as the pivot. */
		char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
		if (cmp(mid, lo) < 0)
			swap(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap(mid, lo, size);
		}
		swap(base, mid, size);
		/* Hoare partition around base[0]. */
		size_t i = 0, j = n;
		for (;;) {
			do i++; while (i < n && cmp(base + i * size, base) < 0);
			do j--; while (cmp(base + j * size, base) > 0);
			if (i >= j)
				break;
			swap(base + i * size, base + j * size, size);
		}
		swap(base, base + j * size, size);
		/* Recurse into the smaller side, loop on the larger. */
		size_t left = j, right = n - j - 1;
		if (left < right) {
			introsort(base, left, size, cmp, depth);
			base += (j + 1) * size;
			n = right;
		} else {
			introsort(base + (j + 1) * size, right, size, cmp, depth);
			n = left;
		}
	}
	insertion(base, n, size, cmp);
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	int depth = 0;
	for (size_t m = n; m; m >>= 1)
		depth += 2;
	if (n > 1 && size)
		introsort(base, n, size, cmp, depth);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, cmp_fn cmp)
{
	const char *lo = base;
	while (n) {
		const char *mid = lo + (n / 2) * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			lo = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }
