/* The language of a post: see status_language.h. */
#include <stdlib.h>
#include <string.h>

#include "api/status_language.h"
#include "util/str.h"

/*
 * LanguagesHelper::SUPPORTED_LOCALES: ISO_639_1 and ISO_639_3, sorted for
 * bsearch. Codes are case-sensitive there too: "EN" is not a language.
 */
static const char *const language_codes[] = {
	"aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "ast", "av", "ay", "az",
	"ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs",
	"ca", "ce", "ch", "ckb", "cnr", "co", "cr", "cs", "cu", "cv", "cy",
	"da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu",
	"fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv",
	"ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
	"ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu",
	"ja", "jbo", "jv", "ka", "kab", "kg", "ki", "kj", "kk", "kl", "km", "kmr", "kn", "ko",
	"kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "ldn", "lfn", "lg", "li", "ln", "lo",
	"lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my",
	"na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny",
	"oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu",
	"rm", "rn", "ro", "ru", "rw", "sa", "sc", "sco", "sd", "se", "sg", "si", "sk", "sl",
	"sm", "sma", "smj", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "szl",
	"ta", "tai", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tok", "tr", "ts", "tt",
	"tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo",
	"za", "zba", "zgh", "zh", "zu",
};

static int
language_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Mastodon's valid_locale_or_nil: the code before any "_" or "-", if known. */
static int
language_valid(const char *s, char *out, size_t outsz)
{
	char	 code[API_LANGUAGE_MAX];
	size_t	 n;

	if (s == NULL)
		return -1;
	n = strcspn(s, "_-");
	if (n == 0 || n >= sizeof(code))
		return -1;
	memcpy(code, s, n);
	code[n] = '\0';
	if (bsearch(code, language_codes, sizeof(language_codes) / sizeof(language_codes[0]),
	    sizeof(language_codes[0]), language_cmp) == NULL)
		return -1;
	str_lcpy(out, code, outsz);
	return 0;
}

int
api_status_language(const char *const *candidates, size_t n, char *out, size_t outsz)
{
	for (size_t i = 0; i < n; i++)
		if (language_valid(candidates[i], out, outsz) == 0)
			return 0;
	if (outsz > 0)
		*out = '\0';
	return -1;
}
