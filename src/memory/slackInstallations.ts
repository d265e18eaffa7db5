import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { DbSession } from '../db/client.ts';
import { onMemory } from './memoryErrors.ts';

// Workspaces that installed Quarry through Slack's OAuth flow, kept in the memory database so
// every replica sees every install. Bolt's InstallProvider calls this store.

/** An org-wide install is found by its enterprise id; any other by its team id. */
function installId(q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const id = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!id) throw new Error('A Slack installation needs a team id (or an enterprise id for an org install).');
  return id;
}

export function installationStore(db: DbSession): InstallationStore {
  return {
    async storeInstallation(installation) {
      return onMemory(async () => {
        await db.query(
          `INSERT INTO slack_installations (install_id, team_id, enterprise_id, is_enterprise_install, bot_user_id, installation)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb)
           ON CONFLICT (install_id) DO UPDATE SET
             team_id = EXCLUDED.team_id, enterprise_id = EXCLUDED.enterprise_id,
             is_enterprise_install = EXCLUDED.is_enterprise_install, bot_user_id = EXCLUDED.bot_user_id,
             installation = EXCLUDED.installation, updated_at = now()`,
          [
            installId({
              isEnterpriseInstall: installation.isEnterpriseInstall,
              enterpriseId: installation.enterprise?.id,
              teamId: installation.team?.id,
            }),
            installation.team?.id ?? null,
            installation.enterprise?.id ?? null,
            installation.isEnterpriseInstall ?? false,
            installation.bot?.userId ?? null,
            JSON.stringify(installation),
          ],
        );
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const rows = await onMemory(() =>
        db.query<{ installation: Installation<'v1' | 'v2', boolean> }>(
          'SELECT installation FROM slack_installations WHERE install_id = $1',
          [installId(query)],
        ),
      );
      if (!rows[0]) throw new Error(`No Slack installation for ${installId(query)}`);
      return rows[0].installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      return onMemory(async () => {
        await db.query('DELETE FROM slack_installations WHERE install_id = $1', [installId(query)]);
      });
    },
  };
}

/** The store with each fetched installation kept for `ttlMs`: Slack's events each ask for the
 *  workspace's token before they are acknowledged, and a database read each time would slow
 *  that down. A reinstall on another replica is seen here within `ttlMs`. */
export function cachedInstallationStore(store: InstallationStore, ttlMs = 60_000): InstallationStore {
  const cache = new Map<string, { at: number; installation: Installation<'v1' | 'v2', boolean> }>();
  return {
    async storeInstallation(installation, logger) {
      cache.clear();
      await store.storeInstallation(installation, logger);
    },
    async fetchInstallation(query, logger) {
      const key = installId(query);
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.installation;
      const installation = await store.fetchInstallation(query, logger);
      cache.set(key, { at: Date.now(), installation });
      return installation;
    },
    async deleteInstallation(query, logger) {
      cache.delete(installId(query));
      await store.deleteInstallation?.(query, logger);
    },
  };
}
