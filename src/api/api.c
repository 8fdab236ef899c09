/* Common client API helpers: see api.h. */
#include <stdio.h>
#include <string.h>

#include "ap/urls.h"
#include "api/api.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"

int
api_id_parse(const char *s, long long *out)
{
	unsigned long long v = 0;
	size_t		 n = 0;

	if (s == NULL)
		return -1;
	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 19)
			return -1;
		v = v * 10 + (unsigned long long)(s[n] - '0');
	}
	if (n == 0 || v == 0 || v > 9223372036854775807ULL)
		return -1;
	*out = (long long)v;
	return 0;
}

void
api_reply_not_found(struct http_req *req)
{
	http_reply_error(req, 404, "Record not found");
}

void
api_reply_invalid(struct http_req *req, const char *what)
{
	char	 msg[512];

	snprintf(msg, sizeof(msg), "Validation failed: %s", what);
	http_reply_error(req, 422, msg);
}

const char *
api_base(const struct http_req *req, char *buf, size_t bufsz)
{
	return ap_url_base(&req->req_meent->cfg, buf, bufsz);
}
