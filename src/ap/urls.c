/* The instance's own URLs: see urls.h. */
#include <stdio.h>

#include "ap/urls.h"
#include "util/config.h"

const char *
ap_url_base(const struct config *cfg, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "https://%s", cfg->domain);
	return buf;
}
