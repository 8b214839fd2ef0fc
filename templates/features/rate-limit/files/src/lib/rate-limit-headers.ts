/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers (drafts 10 to 12):
 * Structured Field lists (RFC 9651) whose items are the policy name as a String, with parameters
 * `q` (quota) and `w` (window, seconds) for the policy, `r` (remaining) and `t` (seconds until reset)
 * for the current state. The old X-RateLimit-* and RateLimit-Limit/-Remaining/-Reset are not sent.
 */
export function policyField(name: string, quota: number, windowSeconds: number): string {
  return `"${name}";q=${quota};w=${windowSeconds}`;
}

export function stateField(name: string, remaining: number, resetSeconds: number): string {
  return `"${name}";r=${remaining};t=${resetSeconds}`;
}
