/* Tests of util/str.h: checked parsing, bounded copies, the capped buffer. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/str.h"

int
main(void)
{
	long long	 v = 0;
	uint64_t	 u = 0;
	char		 small[4], t[] = "  x y \n";
	struct buf	 b;
	char		*s;

	ok(str_to_ll("42", 0, 100, &v) == 0 && v == 42, "plain number");
	ok(str_to_ll("-5", -10, 10, &v) == 0 && v == -5, "negative");
	ok(str_to_ll("101", 0, 100, &v) == -1, "above max");
	ok(str_to_ll("", 0, 100, &v) == -1, "empty");
	ok(str_to_ll(" 1", 0, 100, &v) == -1, "leading space");
	ok(str_to_ll("1x", 0, 100, &v) == -1, "trailing garbage");
	ok(str_to_ll("99999999999999999999999", 0, 100, &v) == -1, "overflow");
	ok(str_to_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX, "u64 max");
	ok(str_to_u64("18446744073709551616", &u) == -1, "u64 overflow");
	ok(str_to_u64("-1", &u) == -1, "u64 negative");

	is_int(str_lcpy(small, "abcdef", sizeof(small)), 6, "lcpy returns source length");
	is_str(small, "abc", "lcpy truncates and terminates");
	is_str(str_trim(t), "x y", "trim");
	ok(str_has_prefix("/api/v1", "/api/"), "prefix");
	ok(!str_has_prefix("/ap", "/api/"), "not a prefix");

	buf_init(&b, 8);
	ok(buf_puts(&b, "12345") == 0, "append within cap");
	ok(buf_puts(&b, "6789") == -1, "append beyond cap refused");
	is_str(b.data, "12345", "nothing appended on refusal");
	ok(buf_printf(&b, "%d", 678) == 0 && strcmp(b.data, "12345678") == 0, "printf");
	s = buf_take(&b);
	is_str(s, "12345678", "take");
	ok(b.data == NULL && b.len == 0, "buffer reset after take");
	free(s);
	buf_cleanup(&b);
	return done_testing();
}
