export const SIGN_TYPES = ['HMAC_SHA256', 'MD5', 'SM3'] as const;

/** DaxPay 2.0.x sign types; SM3 is an addition of ours (SM3 digest, like MD5). */
export type SignType = (typeof SIGN_TYPES)[number];
