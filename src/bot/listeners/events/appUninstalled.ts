import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { pauseWorkspaceDigests } from '../../../usual/workspaceRemoved.ts';
import type { BotServices } from '../../services.ts';

// Quarry was removed from a workspace (or its bot token revoked): forget the installation so
// nothing tries its dead token, and pause the workspace's digests.

export const appUninstalledCallback =
  (services: BotServices) =>
  async ({
    context,
    body,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>) => {
    const teamId = context.teamId ?? body.team_id;
    if (!teamId) return;
    await services.installations?.deleteInstallation?.({
      teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall ?? false,
    });
    const paused = await pauseWorkspaceDigests(services.memoryDb, teamId, services.digests);
    services.log.info({ teamId, pausedDigests: paused }, 'Quarry was removed from a workspace');
  };
