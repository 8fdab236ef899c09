/*
 * api/image.h: PNG, JPEG, GIF and WebP told apart by their bytes, their
 * sizes read, metadata stripped (and nothing else), and what is not an
 * image, or a broken one, refused.
 */
#include <stdlib.h>
#include <string.h>

#include "api/image.h"
#include "tap.h"

struct img {
	unsigned char	 b[512];
	size_t		 n;
};

static void
put(struct img *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put_be32(struct img *m, unsigned v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(m, b, 4);
}

static void
put_le32(struct img *m, unsigned v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(m, b, 4);
}

/* A PNG chunk; the CRC is not checked by the sniffer, so zeros do. */
static void
png_chunk(struct img *m, const char *type, const void *data, unsigned n)
{
	put_be32(m, n);
	put(m, type, 4);
	put(m, data, n);
	put_be32(m, 0);
}

static struct img
make_png(unsigned w, unsigned h, int with_text, int with_end)
{
	struct img	 m = { .n = 0 };
	unsigned char	 ihdr[13] = { 0 };

	put(&m, "\x89PNG\r\n\x1a\n", 8);
	ihdr[0] = w >> 24; ihdr[1] = w >> 16; ihdr[2] = w >> 8; ihdr[3] = w;
	ihdr[4] = h >> 24; ihdr[5] = h >> 16; ihdr[6] = h >> 8; ihdr[7] = h;
	ihdr[8] = 8;
	ihdr[9] = 2;
	png_chunk(&m, "IHDR", ihdr, 13);
	if (with_text) {
		png_chunk(&m, "tEXt", "GPS\0secret-place", 16);
		png_chunk(&m, "eXIf", "MM\0*secret", 10);
	}
	png_chunk(&m, "IDAT", "pixels", 6);
	if (with_end)
		png_chunk(&m, "IEND", "", 0);
	return m;
}

static struct img
make_jpeg(unsigned w, unsigned h, int with_exif)
{
	struct img	 m = { .n = 0 };
	unsigned char	 sof[] = { 0xff, 0xc0, 0, 11, 8, h >> 8, h, w >> 8, w, 1, 1, 0x11, 0 };

	put(&m, "\xff\xd8", 2);
	put(&m, "\xff\xe0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 18);
	if (with_exif) {
		put(&m, "\xff\xe1\x00\x10" "Exif\0\0secretGP", 18);
		put(&m, "\xff\xfe\x00\x08" "secret", 10);
	}
	put(&m, sof, sizeof(sof));
	put(&m, "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00", 10);
	put(&m, "scan-data", 9);
	put(&m, "\xff\xd9", 2);
	return m;
}

static struct img
make_webp(int with_exif)
{
	struct img	 m = { .n = 0 };
	unsigned char	 vp8x[10] = { 0x08 | 0x04, 0, 0, 0, 99, 0, 0, 49, 0, 0 };
	unsigned char	 vp8l[5] = { 0x2f, 0, 0, 0, 0 };

	put(&m, "RIFF", 4);
	put_le32(&m, 0);	/* filled in below */
	put(&m, "WEBP", 4);
	put(&m, "VP8X", 4);
	put_le32(&m, 10);
	put(&m, vp8x, 10);
	if (with_exif) {
		put(&m, "EXIF", 4);
		put_le32(&m, 7);
		put(&m, "secret\0", 8);	/* odd size, padded */
		put(&m, "XMP ", 4);
		put_le32(&m, 6);
		put(&m, "secret", 6);
	}
	put(&m, "VP8L", 4);
	put_le32(&m, 5);
	put(&m, vp8l, 5);
	put(&m, "\0", 1);
	m.b[4] = (unsigned char)(m.n - 8);
	return m;
}

static int
contains(const unsigned char *p, size_t n, const char *needle)
{
	size_t	 k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

static void
check_strip(const struct img *m, const char *what, size_t want_len)
{
	struct api_image	 img;
	unsigned char		*out;
	size_t			 n;

	ok(api_image_sniff(m->b, m->n, &img) == NULL, "%s: sniffed", what);
	out = api_image_strip(m->b, m->n, &img, &n);
	ok(out != NULL, "%s: stripped", what);
	if (out == NULL)
		return;
	ok(!contains(out, n, "secret"), "%s: no metadata left", what);
	if (want_len != 0)
		is_int(n, want_len, "%s: only the metadata went", what);
	ok(api_image_sniff(out, n, &img) == NULL, "%s: still an image", what);
	free(out);
}

int
main(void)
{
	struct api_image	 img;
	struct img		 m;
	unsigned char		*out;
	size_t			 n;

	m = make_png(640, 480, 0, 1);
	ok(api_image_sniff(m.b, m.n, &img) == NULL, "PNG accepted");
	is_int(img.type, API_IMAGE_PNG, "PNG type");
	is_str(img.mime, "image/png", "PNG mime");
	is_str(img.ext, "png", "PNG extension");
	is_int(img.width, 640, "PNG width");
	is_int(img.height, 480, "PNG height");
	m = make_png(640, 480, 1, 1);
	check_strip(&m, "PNG with tEXt and eXIf", make_png(640, 480, 0, 1).n);
	m = make_png(640, 480, 1, 0);
	ok(api_image_strip(m.b, m.n, &img, &n) == NULL, "PNG without IEND: refused by strip");
	m = make_png(0, 480, 0, 1);
	ok(api_image_sniff(m.b, m.n, &img) != NULL, "PNG of width 0 refused");
	m = make_png(100000, 100000, 0, 1);
	ok(api_image_sniff(m.b, m.n, &img) != NULL, "PNG of 10^10 pixels refused");
	m = make_png(640, 480, 0, 1);
	m.b[11] = 99;	/* IHDR length */
	ok(api_image_sniff(m.b, m.n, &img) != NULL, "PNG with a bad IHDR refused");
	m = make_png(640, 480, 0, 1);
	m.b[33 + 3] = 0xff;	/* IDAT length past the end */
	ok(api_image_sniff(m.b, m.n, &img) == NULL &&
	    api_image_strip(m.b, m.n, &img, &n) == NULL, "PNG chunk past the end: strip refuses");

	m = make_jpeg(1024, 768, 0);
	ok(api_image_sniff(m.b, m.n, &img) == NULL, "JPEG accepted");
	is_int(img.type, API_IMAGE_JPEG, "JPEG type");
	is_str(img.ext, "jpg", "JPEG extension");
	is_int(img.width, 1024, "JPEG width");
	is_int(img.height, 768, "JPEG height");
	m = make_jpeg(1024, 768, 1);
	check_strip(&m, "JPEG with Exif and a comment", make_jpeg(1024, 768, 0).n);
	out = api_image_strip(m.b, m.n, &img, &n);
	ok(out != NULL && contains(out, n, "JFIF") && contains(out, n, "scan-data"),
	    "JPEG: JFIF and the scan stay");
	free(out);
	m = make_jpeg(1024, 768, 0);
	m.n = 24;	/* cut inside the header segments */
	ok(api_image_sniff(m.b, m.n, &img) != NULL, "JPEG cut before its frame header refused");
	m = make_jpeg(1024, 768, 0);
	m.b[5] = 0xff;	/* APP0 length past the end */
	ok(api_image_sniff(m.b, m.n, &img) != NULL, "JPEG segment past the end refused");

	memcpy(m.b, "GIF89a\x40\x01\xf0\x00\x80\x00\x00", 13);
	memcpy(m.b + 13, "\x3b", 1);
	m.n = 14;
	ok(api_image_sniff(m.b, m.n, &img) == NULL, "GIF accepted");
	is_int(img.type, API_IMAGE_GIF, "GIF type");
	is_int(img.width, 320, "GIF width");
	is_int(img.height, 240, "GIF height");
	check_strip(&m, "GIF", m.n);

	m = make_webp(0);
	ok(api_image_sniff(m.b, m.n, &img) == NULL, "WebP accepted");
	is_int(img.type, API_IMAGE_WEBP, "WebP type");
	is_int(img.width, 100, "WebP width");
	is_int(img.height, 50, "WebP height");
	m = make_webp(1);
	check_strip(&m, "WebP with EXIF and XMP", make_webp(0).n);
	out = api_image_strip(m.b, m.n, &img, &n);
	ok(out != NULL && (out[20] & 0x0c) == 0, "WebP: the VP8X metadata flags are cleared");
	ok(out != NULL && out[4] == n - 8, "WebP: the RIFF size is the new size");
	free(out);

	ok(api_image_sniff((const unsigned char *)"<html><script>alert(1)</script></html>", 38,
	    &img) != NULL, "HTML refused");
	is_int(img.type, API_IMAGE_NONE, "HTML: no type");
	ok(api_image_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8, &img) != NULL,
	    "a bare PNG signature refused");
	ok(api_image_sniff(NULL, 0, &img) != NULL, "nothing refused");
	ok(api_image_strip((const unsigned char *)"x", 1, &img, &n) == NULL, "strip of nothing");
	return done_testing();
}
