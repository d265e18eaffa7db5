import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION, FEEDBACK_ACTION, READING_ACTION, SQL_ACTION } from '../../blocks/actionIds.ts';
import type { BotServices } from '../../services.ts';
import { addToUsualCallback } from './addToUsual.ts';
import { downloadCsvCallback } from './downloadCsv.ts';
import { feedbackCallback } from './feedback.ts';
import { pickReadingCallback } from './pickReading.ts';
import { toggleSqlCallback } from './toggleSql.ts';
import { verifyAnswerCallback } from './verifyAnswer.ts';

export function register(app: App, services: BotServices): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: FEEDBACK_ACTION },
    feedbackCallback(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: SQL_ACTION },
    toggleSqlCallback(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION.downloadCsv },
    downloadCsvCallback(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION.addToUsual },
    addToUsualCallback(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION.verify },
    verifyAnswerCallback(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: READING_ACTION },
    pickReadingCallback(services),
  );
}
