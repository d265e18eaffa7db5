// The question in a Slack message's text: mentions of Quarry removed, Slack's markup turned
// back into what the person typed (links and names to their labels, entities to characters).

export function questionOf(text: string | undefined, botUserId: string | undefined): string {
  if (!text) return '';
  const withoutBot = botUserId ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ') : text;
  return (
    withoutBot
      // <https://x|label>, <#C123|general>, <@U123|ana> → the label; bare <https://x> → the URL.
      .replace(/<[^>|]*\|([^>]*)>/g, '$1')
      .replace(/<([^>]*)>/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Whether the text mentions Quarry (such a message also arrives as an app_mention). */
export function mentionsBot(text: string | undefined, botUserId: string | undefined): boolean {
  return Boolean(text && botUserId && text.includes(`<@${botUserId}`));
}
