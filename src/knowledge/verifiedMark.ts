// How a verified answer is marked, the same words in Slack and the terminal.

export const VERIFIED_MARK = '✓ Verified by the data team';

/** The mark, with who verified it and the day when it was verified in Slack. `who` renders
 *  the user id for the surface (a Slack mention, or the id itself in a terminal). */
export function verifiedMark(v: { by?: string; at?: string }, who: (userId: string) => string): string {
  if (!v.by) return VERIFIED_MARK;
  return `${VERIFIED_MARK} (${who(v.by)}${v.at ? `, ${v.at.slice(0, 10)}` : ''})`;
}
