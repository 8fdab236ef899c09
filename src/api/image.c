/*
 * Uploaded images: see image.h. Each format is a walk over its own
 * container (JPEG segments, PNG chunks, RIFF chunks) with every length
 * checked against what is left before it is used, because every byte
 * here comes from the network.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/image.h"
#include "util/mem.h"

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* ---- PNG (ISO/IEC 15948): signature, then length/type/data/CRC chunks */

static const char *
png_sniff(const unsigned char *p, size_t len, struct api_image *out)
{
	if (len < 33 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return "PNG without a header chunk";
	out->width = be32(p + 16);
	out->height = be32(p + 20);
	return NULL;
}

static int
png_drop(const unsigned char *type)
{
	static const char *const drop[] = { "tEXt", "zTXt", "iTXt", "eXIf", "tIME" };

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (memcmp(type, drop[i], 4) == 0)
			return 1;
	return 0;
}

static size_t
png_strip(const unsigned char *p, size_t len, unsigned char *out)
{
	size_t	 pos = 8, n = 8;

	memcpy(out, p, 8);
	while (len - pos >= 12) {
		uint32_t clen = be32(p + pos);

		if (clen > len - pos - 12)
			return 0;
		if (!png_drop(p + pos + 4)) {
			memcpy(out + n, p + pos, 12 + (size_t)clen);
			n += 12 + (size_t)clen;
		}
		if (memcmp(p + pos + 4, "IEND", 4) == 0)
			return n;	/* whatever follows IEND is not the image */
		pos += 12 + (size_t)clen;
	}
	return 0;
}

/* ---- JPEG (ITU T.81): marker segments up to the first scan */

static int
jpeg_is_sof(unsigned m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* Markers that stand alone, without a length. */
static int
jpeg_standalone(unsigned m)
{
	return m == 0x01 || m == 0xd8 || (m >= 0xd0 && m <= 0xd7);
}

/*
 * Walks the segments from offset 2. For each segment calls nothing: it
 * returns the offset of the next marker after the one at *pos, setting
 * *marker, *seg (start of its length field) and *seglen (0 for standalone
 * markers). 0 when the stream ends or is broken.
 */
static size_t
jpeg_next(const unsigned char *p, size_t len, size_t pos, unsigned *marker,
    size_t *seg, size_t *seglen)
{
	if (pos >= len || p[pos] != 0xff)
		return 0;
	while (pos < len && p[pos] == 0xff)	/* fill bytes */
		pos++;
	if (pos >= len)
		return 0;
	*marker = p[pos++];
	*seg = pos;
	*seglen = 0;
	if (jpeg_standalone(*marker))
		return pos;
	if (len - pos < 2)
		return 0;
	*seglen = (size_t)p[pos] << 8 | p[pos + 1];
	if (*seglen < 2 || *seglen > len - pos)
		return 0;
	return pos + *seglen;
}

static const char *
jpeg_sniff(const unsigned char *p, size_t len, struct api_image *out)
{
	size_t		 pos = 2, next, seg, seglen;
	unsigned	 m;

	while ((next = jpeg_next(p, len, pos, &m, &seg, &seglen)) != 0) {
		if (m == 0xda || m == 0xd9)
			break;
		if (jpeg_is_sof(m)) {
			if (seglen < 7)
				return "JPEG frame header too short";
			out->height = (unsigned)p[seg + 3] << 8 | p[seg + 4];
			out->width = (unsigned)p[seg + 5] << 8 | p[seg + 6];
			return NULL;
		}
		pos = next;
	}
	return "JPEG without a frame header";
}

/* APP1 (Exif, XMP), APP13 (Photoshop IPTC) and comments carry metadata. */
static int
jpeg_drop(unsigned m)
{
	return m == 0xe1 || m == 0xed || m == 0xfe;
}

static size_t
jpeg_strip(const unsigned char *p, size_t len, unsigned char *out)
{
	size_t		 pos = 2, next, seg, seglen, n = 2;
	unsigned	 m;

	out[0] = 0xff;
	out[1] = 0xd8;
	while ((next = jpeg_next(p, len, pos, &m, &seg, &seglen)) != 0) {
		if (m == 0xda) {
			/* The scans and what follows them are copied as they are. */
			out[n++] = 0xff;
			memcpy(out + n, p + seg - 1, len - (seg - 1));
			return n + len - (seg - 1);
		}
		if (!jpeg_drop(m)) {
			out[n++] = 0xff;
			out[n++] = (unsigned char)m;
			memcpy(out + n, p + seg, seglen);
			n += seglen;
		}
		if (m == 0xd9)
			return n;
		pos = next;
	}
	return 0;
}

/* ---- GIF (GIF89a): the logical screen descriptor */

static const char *
gif_sniff(const unsigned char *p, size_t len, struct api_image *out)
{
	if (len < 13)
		return "GIF too short";
	out->width = (unsigned)p[6] | (unsigned)p[7] << 8;
	out->height = (unsigned)p[8] | (unsigned)p[9] << 8;
	return NULL;
}

/* ---- WebP (RFC 9649): a RIFF container of chunks */

/* The end of the RIFF data: its declared size, or the file's end. */
static size_t
webp_end(const unsigned char *p, size_t len)
{
	uint32_t riff = le32(p + 4);

	return riff < len - 8 ? (size_t)riff + 8 : len;
}

static const char *
webp_sniff(const unsigned char *p, size_t len, struct api_image *out)
{
	size_t			 end = webp_end(p, len);
	const unsigned char	*c = p + 12, *d = p + 20;
	uint32_t		 size, bits;

	if (end < 20 || (size = le32(c + 4)) > end - 20)
		return "WebP without an image chunk";
	if (memcmp(c, "VP8 ", 4) == 0 && size >= 10 &&
	    d[3] == 0x9d && d[4] == 0x01 && d[5] == 0x2a) {
		out->width = ((unsigned)d[6] | (unsigned)d[7] << 8) & 0x3fff;
		out->height = ((unsigned)d[8] | (unsigned)d[9] << 8) & 0x3fff;
		return NULL;
	}
	if (memcmp(c, "VP8L", 4) == 0 && size >= 5 && d[0] == 0x2f) {
		bits = le32(d + 1);
		out->width = (bits & 0x3fff) + 1;
		out->height = ((bits >> 14) & 0x3fff) + 1;
		return NULL;
	}
	if (memcmp(c, "VP8X", 4) == 0 && size >= 10) {
		out->width = 1 + ((unsigned)d[4] | (unsigned)d[5] << 8 | (unsigned)d[6] << 16);
		out->height = 1 + ((unsigned)d[7] | (unsigned)d[8] << 8 | (unsigned)d[9] << 16);
		return NULL;
	}
	return "WebP without an image chunk";
}

#define WEBP_FLAG_EXIF	0x08
#define WEBP_FLAG_XMP	0x04

static size_t
webp_strip(const unsigned char *p, size_t len, unsigned char *out)
{
	size_t	 end = webp_end(p, len), pos = 12, n = 12;

	memcpy(out, p, 12);
	while (end - pos >= 8) {
		size_t	 size = le32(p + pos + 4), whole;

		if (size > end - pos - 8)
			return 0;
		/* Chunks are padded to an even size; the last pad may be missing. */
		whole = 8 + size + (size & 1);
		if (whole > end - pos)
			whole = end - pos;
		if (memcmp(p + pos, "EXIF", 4) != 0 && memcmp(p + pos, "XMP ", 4) != 0) {
			memcpy(out + n, p + pos, whole);
			if (memcmp(p + pos, "VP8X", 4) == 0 && size >= 1)
				out[n + 8] &= (unsigned char)~(WEBP_FLAG_EXIF | WEBP_FLAG_XMP);
			n += whole;
		}
		pos += whole;
	}
	put_le32(out + 4, (uint32_t)(n - 8));
	return n;
}

const char *
api_image_sniff(const unsigned char *p, size_t len, struct api_image *out)
{
	const char	*why;

	memset(out, 0, sizeof(*out));
	if (p == NULL || len < 12)
		return "not an image";
	if (memcmp(p, png_sig, 8) == 0) {
		out->type = API_IMAGE_PNG;
		out->mime = "image/png";
		out->ext = "png";
		why = png_sniff(p, len, out);
	} else if (p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		out->type = API_IMAGE_JPEG;
		out->mime = "image/jpeg";
		out->ext = "jpg";
		why = jpeg_sniff(p, len, out);
	} else if (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0) {
		out->type = API_IMAGE_GIF;
		out->mime = "image/gif";
		out->ext = "gif";
		why = gif_sniff(p, len, out);
	} else if (memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
		out->type = API_IMAGE_WEBP;
		out->mime = "image/webp";
		out->ext = "webp";
		why = webp_sniff(p, len, out);
	} else
		why = "not a PNG, JPEG, GIF or WebP image";
	if (why == NULL && (out->width == 0 || out->height == 0))
		why = "image without pixels";
	if (why == NULL && (unsigned long long)out->width * out->height > API_IMAGE_MAX_PIXELS)
		why = "image too large";
	if (why != NULL)
		memset(out, 0, sizeof(*out));
	return why;
}

unsigned char *
api_image_strip(const unsigned char *p, size_t len, const struct api_image *img,
    size_t *outlen)
{
	unsigned char	*out;
	size_t		 n = 0;

	*outlen = 0;
	if (p == NULL || len < 12)
		return NULL;
	/* Stripping only ever removes bytes: the copy fits in len. */
	out = xmalloc(len);
	switch (img->type) {
	case API_IMAGE_PNG:
		n = png_strip(p, len, out);
		break;
	case API_IMAGE_JPEG:
		n = jpeg_strip(p, len, out);
		break;
	case API_IMAGE_WEBP:
		n = webp_strip(p, len, out);
		break;
	case API_IMAGE_GIF:
		memcpy(out, p, len);
		n = len;
		break;
	case API_IMAGE_NONE:
		break;
	}
	if (n == 0) {
		free(out);
		return NULL;
	}
	*outlen = n;
	return out;
}
