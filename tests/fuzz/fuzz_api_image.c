/*
 * sources: src/api/image.c src/util/mem.c
 *
 * libFuzzer target for the image sniffer and metadata stripper: avatar
 * and header uploads are bytes from the network, walked as JPEG segments,
 * PNG chunks and RIFF chunks. A stripped image must still sniff as the
 * same type and never be longer than what came in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "api/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_image	 img, again;
	unsigned char		*out;
	size_t			 n;

	if (api_image_sniff(data, size, &img) != NULL)
		return 0;
	if ((out = api_image_strip(data, size, &img, &n)) == NULL)
		return 0;
	if (n > size)
		abort();
	/* Stripping keeps the header the sniffer reads, so the type stays. */
	if (api_image_sniff(out, n, &again) == NULL && again.type != img.type)
		abort();
	free(out);
	return 0;
}
