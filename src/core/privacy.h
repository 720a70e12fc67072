/* privacy.h — citizens' personal data as staff without the right to see it
 * get it: 张三 → 张*, 13812341234 → 138****1234. */
#ifndef HL_PRIVACY_H
#define HL_PRIVACY_H

#include <stddef.h>

#define HL_MASK_MAX 128

/* The first character (UTF-8 aware) and one star: 欧阳修 → 欧*. */
void hl_mask_name(const char *name, char *out, size_t size);
/* A mobile number keeps its first three and last four digits; anything
 * shorter (a landline) keeps only its last two; very short, nothing. */
void hl_mask_phone(const char *phone, char *out, size_t size);

#endif
