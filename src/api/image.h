/*
 * Uploaded images: what a file really is, judged by its bytes and never by
 * the name or Content-Type the client gave it (a file called avatar.png
 * may be HTML), and a copy without the metadata cameras write into it
 * (Exif with GPS positions, XMP, IPTC, comments). PNG, JPEG, GIF and WebP,
 * the types Mastodon takes for avatars and headers
 * (app/models/concerns/account/avatar.rb). Pure: bytes in, bytes out.
 * Decoding the pixels is not done here and not needed for either.
 */
#ifndef MEENT_API_IMAGE_H
#define MEENT_API_IMAGE_H

#include <stddef.h>

/* Mastodon's image matrix limit (MediaAttachment::IMAGE_LIMIT pixels):
 * bigger canvases are refused rather than handed to apps to decode. */
#define API_IMAGE_MAX_PIXELS	33177600ULL

enum api_image_type {
	API_IMAGE_NONE,
	API_IMAGE_PNG,
	API_IMAGE_JPEG,
	API_IMAGE_GIF,
	API_IMAGE_WEBP,
};

struct api_image {
	enum api_image_type	 type;
	const char		*mime;		/* "image/png"; static */
	const char		*ext;		/* "png", without the dot; static */
	unsigned		 width;
	unsigned		 height;
};

/*
 * Reads the type and the canvas size of the len bytes at p into out.
 * Returns NULL for a PNG, JPEG, GIF or WebP whose header is well formed
 * and whose size is sane (1 to API_IMAGE_MAX_PIXELS pixels), otherwise
 * the reason (static text); out->type is then API_IMAGE_NONE.
 */
const char	*api_image_sniff(const unsigned char *p, size_t len, struct api_image *out);

/*
 * A copy of the image (sniffed into img) without its metadata: JPEG APP1
 * (Exif, XMP), APP13 (IPTC) and comments; PNG text, eXIf and tIME chunks;
 * WebP EXIF and XMP chunks (and their VP8X flags). GIF is copied as is.
 * Colour profiles stay. Returns the new bytes (free them) with *outlen,
 * or NULL when the file's structure is broken (chunk lengths that run
 * past the end, a missing end marker).
 */
unsigned char	*api_image_strip(const unsigned char *p, size_t len,
		    const struct api_image *img, size_t *outlen);

#endif
