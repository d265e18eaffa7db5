import { QuarryError } from '../errors.ts';

// Errors of /usual commands and digests, each with the sentence the person sees.

/** A `/usual …` command that cannot be read: the message says what to type instead. */
export class UsualCommandError extends QuarryError {
  readonly kind = 'bad_command';
}

/** Slack says the digest's channel is gone or closed to Quarry; the schedule is paused. */
export class DigestChannelUnavailable extends QuarryError {
  readonly kind = 'channel_unavailable';
  constructor(
    userMessage: string,
    /** Slack's error code: channel_not_found, not_in_channel, is_archived. */
    readonly slackError: string,
  ) {
    super(userMessage, slackError);
  }
}
