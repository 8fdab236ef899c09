/*
 * libFuzzer target for ap/signature: the cavage Signature header parser,
 * the RFC 9421 Signature-Input / Signature parsers and the structured
 * field code under them, the signing string and signature base builders
 * (including @query-param decoding), the Mastodon checks, the Digest and
 * Content-Digest checks and the HTTP date parser. The input is split at
 * its first two newlines into: a header value, a second header value (the
 * RFC 9421 Signature), and a request target.
 *
 * sources: src/ap/signature.c src/ap/signature_cavage.c src/ap/signature_rfc9421.c src/ap/signature_sfv.c src/ap/signature_key.c src/ap/digest.c src/util/str.c src/util/mem.c src/util/log.c src/util/thread_slot.c
 * pkgs: libcrypto
 * seeds: http-signatures
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ap/digest.h"
#include "ap/signature_internal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses, and when that works, builds the base and runs the checks. */
static void
run(struct ap_signature_msg *msg)
{
	struct ap_signature		*sig = NULL;
	struct ap_signature_status	 st;
	char				*base = NULL;

	if (ap_signature_parse(msg, &sig, &st) == 0) {
		(void)ap_signature_key_id(sig);
		if (ap_signature_base(sig, msg, &base, &st) == 0)
			free(base);
		(void)ap_signature_check(sig, msg, 1750000000, &st);
	}
	ap_signature_free(sig);
}

static void
run_sfv(const char *s)
{
	struct sfv_dict	*d = malloc(sizeof(*d));
	struct buf	 b;

	if (d == NULL)
		abort();
	if (sfv_parse_dict(s, d) == NULL) {
		/* Everything parsed must serialise. */
		buf_init(&b, 4 * AP_SIGNATURE_MAX_FIELD);
		for (size_t i = 0; i < d->d_nitems; i++)
			if (sfv_serialize_bare(&b, &d->d_items[i].i_val) == -1)
				abort();
		if (sfv_serialize_params(&b, d->d_params, d->d_nparams) == -1)
			abort();
		buf_cleanup(&b);
	}
	sfv_dict_cleanup(d);
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_signature_header	 h[6];
	struct ap_signature_msg		 msg;
	char				*s, *second = "", *target = "/inbox?a=b&c=%41+d";
	char				*nl;
	time_t				 t;

	/* Past the header cap every parser gives up at once; no need to go further. */
	if (size > 2 * AP_SIGNATURE_MAX_FIELD)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		second = nl + 1;
		if ((nl = strchr(second, '\n')) != NULL) {
			*nl = '\0';
			if (nl[1] == '/')
				target = nl + 1;
		}
	}

	memset(&msg, 0, sizeof(msg));
	msg.msg_method = "POST";
	msg.msg_target = target;
	msg.msg_headers = h;
	msg.msg_body = "{}";
	msg.msg_body_len = 2;
	h[0].name = "Host";
	h[0].value = "meent.example";
	h[1].name = "Date";
	h[1].value = second;
	h[2].name = "Digest";
	h[2].value = second;
	h[3].name = "Content-Digest";
	h[3].value = second;

	/* The cavage parser, from both headers it can come in. */
	h[4].name = "Signature";
	h[4].value = s;
	msg.msg_nheaders = 5;
	run(&msg);
	h[4].name = "Authorization";
	run(&msg);

	/* RFC 9421: the first line as Signature-Input, the second as Signature. */
	h[4].name = "Signature-Input";
	h[5].name = "Signature";
	h[5].value = second;
	msg.msg_nheaders = 6;
	run(&msg);
	msg.msg_label = "sig1";
	run(&msg);

	run_sfv(s);
	(void)ap_digest_check(s, "{}", 2);
	(void)ap_digest_check_content(s, "{}", 2);
	(void)ap_signature_parse_date(s, &t);
	free(s);
	return 0;
}
