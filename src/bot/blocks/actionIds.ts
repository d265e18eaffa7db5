// The action_id of each button on an answer; the button's value is the answer's id.

export const ACTION = {
  feedbackUp: 'feedback_up',
  feedbackDown: 'feedback_down',
  downloadCsv: 'download_csv',
  addToUsual: 'add_to_usual',
} as const;

/** Matches both feedback buttons; the rating is the part after `feedback_`. */
export const FEEDBACK_ACTION = /^feedback_(up|down)$/;
