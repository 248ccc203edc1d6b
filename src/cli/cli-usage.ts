export const SIGN_USAGE = `Usage: unipay sign [--json '<object>' | --file PATH] [options]

Prints the DaxPay string to sign and the signature of a JSON object. Without --json or
--file the object is read from stdin. The last line of the output is the signature alone.

  --json TEXT        the object to sign, as JSON
  --file PATH        read the object from a file
  --secret S         sign secret (default: env UNIPAY_SIGN_SECRET)
  --sign-type T      HMAC_SHA256 | MD5 | SM3 (default: env UNIPAY_SIGN_TYPE, else HMAC_SHA256)
  --show-secret      print the secret in the string to sign instead of ***`;

export const SYNC_USAGE = `Usage: unipay sync (--order-no NO | --biz-order-no NO | --refund-no NO | --biz-refund-no NO) [options]

Sends a signed POST /unipay/sync/pay (order numbers) or POST /unipay/sync/refund (refund
numbers) to a running server, prints the answer and checks the signature of its data with
the same secret.

  --url URL          server base URL (default: env UNIPAY_URL, else http://127.0.0.1:9999)
  --order-no NO      the gateway's order number
  --biz-order-no NO  the merchant's order number (orderNo wins when both are given)
  --refund-no NO     the gateway's refund number: a refund sync
  --biz-refund-no NO the merchant's refund number (refundNo wins unless blank)
  --client-ip IP     the client IP to pass on to the channel
  --secret S         sign secret (default: env UNIPAY_SIGN_SECRET)
  --sign-type T      HMAC_SHA256 | MD5 | SM3 (default: env UNIPAY_SIGN_TYPE, else HMAC_SHA256)`;

export const SWEEP_USAGE = `Usage: unipay sweep

Runs one round of the scheduled sync now, with the server's settings (the same UNIPAY_*
environment variables) and database, and prints how many orders were due, synced,
repaired and failed (and, when refunds were due, a line for them). Safe to run beside
running servers: it claims orders and refunds like they do.`;

export const USAGE = `Usage: unipay <command> [options]

Commands:
  sign    print the string to sign and the signature of a JSON object
  sync    send a signed pay sync request to a running server and verify the answer
  sweep   run one round of the scheduled sync of stuck orders now
  help    show this help

Run 'unipay <command> --help' for the options of a command.

Exit codes: 0 success, 1 failure (network error, error answer, signature not verified),
2 wrong usage (bad flag or input, missing secret, unknown sign type).`;
