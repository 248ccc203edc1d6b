/** Outer envelope codes, as the DaxPay 2.0.x SDK knows them. */
export enum UnipayErrorCode {
  SUCCESS = 0,
  /** Generic failure: the server could not finish the request (never the caller's fault). */
  FAIL = 1,
  /** Validation failed: bad field, bad JSON, request time outside the window, replayed nonce. */
  VALIDATION = 10006,
  /** The same order is being synced right now by another caller. */
  SYNC_IN_PROGRESS = 10007,
  /**
   * Signature missing or wrong: DaxPay 2.0.8's answer on both endpoints (refund-sync.md
   * section 2; 2.0.0–2.0.7 answered 20000 未通过签名验证, and the SDK treats both alike).
   */
  SIGN_FAILED = 20052,
  /** Operator API: no valid bearer token. */
  UNAUTHORIZED = 40100,
  /** Operator API: no such record. */
  NOT_FOUND = 40400,
  /** Operator API: the record is busy or already in the state asked for. */
  CONFLICT = 40900,
}

export const DEFAULT_MESSAGES: Record<UnipayErrorCode, string> = {
  [UnipayErrorCode.SUCCESS]: 'success',
  [UnipayErrorCode.FAIL]: '系统繁忙，请稍后重试',
  [UnipayErrorCode.VALIDATION]: '参数校验失败',
  [UnipayErrorCode.SYNC_IN_PROGRESS]: '支付同步处理中，请勿重复操作',
  [UnipayErrorCode.SIGN_FAILED]: '验签失败',
  [UnipayErrorCode.UNAUTHORIZED]: '需要有效的运维令牌（Authorization: Bearer <token>）',
  [UnipayErrorCode.NOT_FOUND]: '记录不存在',
  [UnipayErrorCode.CONFLICT]: '记录正被处理或已是所求状态',
};
