import type { z } from 'zod';
import type { QqBotRecord } from './repo';
import type { botResponse } from './schema';

/** The callback path of a bot on this server: what the QQ bot platform posts events to. */
export const webhookPathOf = (botId: string) => `/api/v1/channels/qq/${botId}`;

/** A bot as the console sees it: the callback address to paste into the platform, never the secret or the token. */
export function presentBot(bot: QqBotRecord, publicUrl: string | undefined): z.infer<typeof botResponse> {
  const webhookPath = webhookPathOf(bot.id);
  return {
    id: bot.id,
    name: bot.name,
    appId: bot.appId,
    apiBaseUrl: bot.apiBaseUrl,
    tokenUrl: bot.tokenUrl,
    activeAllowance: bot.activeAllowance,
    webhookPath,
    webhookUrl: publicUrl ? `${publicUrl}${webhookPath}` : null,
    createdAt: bot.createdAt,
    updatedAt: bot.updatedAt,
  };
}
