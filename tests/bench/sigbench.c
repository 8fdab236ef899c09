/*
 * Signature verifications per second: a Mastodon-style signed POST (cavage
 * rsa-sha256 over (request-target) host date digest, a 1 KiB body) checked
 * with ap_signature_verify_request, the whole inbox check minus the key
 * lookup. Compare with `openssl speed rsa2048` (verify/s): the parse,
 * digest and signing-string work should cost little next to RSA itself.
 * Usage: sigbench [seconds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ap/digest.h"
#include "ap/keys.h"
#include "ap/signature.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct ap_signature_header	 hdrs[4];
	struct ap_signature_msg		 msg;
	struct ap_signature_status	 st;
	struct ap_signature_key		*key;
	char				*priv, *pub, *sig, date[AP_SIGNATURE_DATE_LEN];
	char				 digest[AP_DIGEST_HEADER_LEN], body[1024];
	double				 secs = argc > 1 ? atof(argv[1]) : 3.0, start, t;
	long				 n = 0;

	memset(body, 'x', sizeof(body));
	if (ap_keys_generate(&priv, &pub) == -1 || (key = ap_signature_key_private(priv)) == NULL)
		return 1;
	ap_signature_date(time(NULL), date, sizeof(date));
	ap_digest_header(body, sizeof(body), digest, sizeof(digest));
	hdrs[0] = (struct ap_signature_header){ "Host", "b.example" };
	hdrs[1] = (struct ap_signature_header){ "Date", date };
	hdrs[2] = (struct ap_signature_header){ "Digest", digest };
	memset(&msg, 0, sizeof(msg));
	msg.msg_method = "POST";
	msg.msg_target = "/inbox";
	msg.msg_headers = hdrs;
	msg.msg_nheaders = 3;
	msg.msg_body = body;
	msg.msg_body_len = sizeof(body);
	if (ap_signature_sign(&msg, "https://a.example/users/alice#main-key", key, &sig) == -1)
		return 1;
	hdrs[3] = (struct ap_signature_header){ "Signature", sig };
	msg.msg_nheaders = 4;
	start = now();
	do {
		for (int i = 0; i < 100; i++) {
			if (ap_signature_verify_request(&msg, pub, time(NULL), &st) == -1) {
				fprintf(stderr, "sigbench: %s\n", st.st_reason);
				return 1;
			}
		}
		n += 100;
		t = now() - start;
	} while (t < secs);
	printf("%.0f\n", (double)n / t);
	free(sig);
	ap_signature_key_free(key);
	ap_keys_pem_free(priv);
	ap_keys_pem_free(pub);
	return 0;
}
