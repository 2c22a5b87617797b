import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Action, authorize, authorizeConversation, can, canSeeConversation, type Actor } from '../identity/permissions';
import { errorResponses, noBody, noQuery } from '../platform/http';
import { AppError, badRequest, forbidden, notFound, unauthorized } from '../platform/errors';
import { maskPersonalData } from '../../../common/masking';
import { normalizePhone } from './channel-funnel';
import { newId, newToken } from '../platform/ids';
import { acceptConversation, assignWaiting } from './assign-conversation';
import { describeWebhook, removeWebhook, setWebhook } from './channel-webhooks';
import { closeConversation, rateConversation } from './close-conversation';
import { contactHistory } from './contact-history';
import { loadFunnelSettings, loadServiceHours, repoOf, SETTINGS, type ConversationDeps } from './deps';
import type { ConversationRecord } from './model';
import { presentConversation, presentMessages, textFormatOf } from './presenter';
import { receiveCustomerMessage } from './receive-customer-message';
import { markReadByAgent, markReadByCustomer, replyAsAgent } from './reply-as-agent';
import { robotTurn } from './robot-turn';
import * as s from './schema';
import { agentState, configureAgent, setAgentStatus } from './set-agent-status';
import { findOrCreateContact, startConversation } from './start-conversation';
import { takeOverConversation, transferConversation } from './transfer-conversation';
import { contactOfVisitor, hashVisitorToken, VISITOR_HEADER, VISITOR_NAMESPACE } from './web-visitor';


/** Conversations: the open channel API, the web widget's API, the agent workspace's API and the funnel's settings. */
export async function conversationRoutes(fastify: FastifyInstance, deps: ConversationDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const repo = repoOf(deps.ctx.db);
  const openTags = ['open channel'];
  const widgetTags = ['widget'];
  const agentTags = ['agent workspace'];
  const settingsTags = ['conversation settings'];

  async function conversationOr404(id: string): Promise<ConversationRecord> {
    const conversation = await repo.getConversation(id);
    if (!conversation) throw notFound('会话', 'conversation_not_found');
    return conversation;
  }

  // ── the robot API (a single question, or a robot session without a conversation) ──
  app.post('/api/v1/robot/ask', {
    config: { access: 'robot.ask' },
    schema: { tags: ['robot'], summary: '向机器人提问 / ask the robot', body: s.robotAskBody, response: { 200: s.robotTurnResponse, ...errorResponses } },
  }, async (request) => {
    const result = await robotTurn(deps.robot, request.actor, request.body);
    const { reasoning: _internal, ...visible } = result as typeof result & { reasoning?: string };
    return visible;
  });

  // ── open channel API: partner apps, authenticated by an API key with the `channel` scope ──
  /** A key sees only the conversations it opened (404 for the others: their existence is not revealed). */
  async function ownConversation(actor: Actor, id: string) {
    authorize(actor, 'conversations.openChannel');
    const conversation = await repo.getConversation(id);
    if (!conversation || actor.kind !== 'apiKey' || conversation.channel !== 'open' || conversation.channelRef !== actor.id) throw notFound('会话', 'conversation_not_found');
    return conversation;
  }

  app.post('/api/v1/open/conversations', {
    config: { access: 'conversations.openChannel' },
    schema: { tags: openTags, summary: '为合作方的用户开启会话 / open a conversation for a partner app’s user', body: s.openStartBody, response: { 200: s.openStartResponse, 201: s.openStartResponse, ...errorResponses } },
  }, async (request, reply) => {
    const actor = request.actor as Extract<Actor, { kind: 'apiKey' }>;
    const contactId = await findOrCreateContact(deps, { kind: 'open', namespace: actor.id, externalId: request.body.customer.externalId, name: request.body.customer.name });
    const open = await repo.latestOpenOfContact(contactId, 'open');
    if (open && open.channelRef === actor.id) return reply.status(200).send({ conversationId: open.id, isNew: false });
    const conversation = await startConversation(deps, { contactId, channel: 'open', channelRef: actor.id });
    return reply.status(201).send({ conversationId: conversation.id, isNew: true });
  });

  app.get('/api/v1/open/conversations/:id', {
    config: { access: 'conversations.openChannel' },
    schema: { tags: openTags, summary: '会话状态与排队位置 / status and place in the queue', params: s.conversationParams, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => presentConversation(deps, await ownConversation(request.actor, request.params.id), { forStaff: false }));

  app.post('/api/v1/open/conversations/:id/messages', {
    config: { access: 'conversations.openChannel' },
    schema: {
      tags: openTags,
      summary: '用户发来的消息（机器人的回复随之返回） / a user’s message, with the robot’s replies',
      description: 'Idempotent per `clientMessageId`: a resend returns the original message and its replies, and stores nothing.',
      params: s.conversationParams,
      body: s.customerMessageBody,
      response: { 200: s.postedMessageResponse, 201: s.postedMessageResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const conversation = await ownConversation(request.actor, request.params.id);
    const result = await receiveCustomerMessage(deps, request.actor, conversation, request.body);
    const view = { forStaff: false, format: textFormatOf('open') } as const;
    return reply.status(result.isDuplicate ? 200 : 201).send({ message: presentMessages([result.message], view)[0], replies: presentMessages(result.replies, view) });
  });

  app.get('/api/v1/open/conversations/:id/messages', {
    config: { access: 'conversations.openChannel' },
    schema: { tags: openTags, summary: '某序号之后的消息（含坐席回复，不含内部备注） / messages after a sequence number', params: s.conversationParams, querystring: s.afterQuery, response: { 200: s.messagesResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await ownConversation(request.actor, request.params.id);
    const messages = await repo.messagesAfter(conversation.id, request.query.after, { includePrivate: false, limit: request.query.limit });
    return { messages: presentMessages(messages, { forStaff: false, format: textFormatOf('open') }) };
  });

  app.post('/api/v1/open/conversations/:id/rating', {
    config: { access: 'conversations.openChannel' },
    schema: { tags: openTags, summary: '满意度评价 / satisfaction rating', params: s.conversationParams, body: s.ratingBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await rateConversation(deps, await ownConversation(request.actor, request.params.id), request.body);
    return reply.status(204).send(null);
  });

  // ── webhooks of partner apps' keys (admins) ──
  async function liveKey(id: string) {
    if (!(await deps.staff.isLiveApiKey(id))) throw notFound('API 密钥', 'api_key_not_found');
  }
  app.put('/api/v1/api-keys/:id/webhook', {
    config: { access: 'apiKeys.manage' },
    schema: {
      tags: openTags,
      summary: '设置新消息回调地址（密钥仅显示一次） / set the webhook for new messages (its secret is shown once)',
      description: 'Each delivery is a POST of `{"event":"message.created","deliveryId","conversationId","message"}` with header `x-zhixun-signature: sha256=<HMAC-SHA256 of the body with the secret>`; anything but 2xx is retried after 10 s, 1 min, 5 min, 30 min and 2 h.',
      params: s.apiKeyParams,
      body: s.webhookBody,
      response: { 200: s.webhookSetResponse, ...errorResponses },
    },
  }, async (request) => {
    await liveKey(request.params.id);
    const hook = await setWebhook(deps, request.params.id, request.body.url);
    await deps.ctx.audit.record(request.actor, { action: 'webhook.set', subjectType: 'api_key', subjectId: request.params.id, detail: { url: hook.url } });
    return hook;
  });
  app.get('/api/v1/api-keys/:id/webhook', {
    config: { access: 'apiKeys.manage' },
    schema: { tags: openTags, summary: '回调地址与最近的投递（含失败） / the webhook and its recent deliveries, failures included', params: s.apiKeyParams, response: { 200: s.webhookResponse, ...errorResponses } },
  }, async (request) => {
    return describeWebhook(deps, request.params.id);
  });
  app.delete('/api/v1/api-keys/:id/webhook', {
    config: { access: 'apiKeys.manage' },
    schema: { tags: openTags, summary: '删除回调地址 / remove the webhook', params: s.apiKeyParams, response: { 204: s.noContent, ...errorResponses } },
  }, async (request, reply) => {
    await removeWebhook(deps, request.params.id);
    await deps.ctx.audit.record(request.actor, { action: 'webhook.removed', subjectType: 'api_key', subjectId: request.params.id });
    return reply.status(204).send(null);
  });

  // ── web widget: anonymous visitors, known by a token kept in their browser ──
  /** The visitor's contact; the routes declare `conversations.chat`, which every caller but an API key has. */
  async function visitorContact(request: FastifyRequest): Promise<string> {
    const token = request.headers[VISITOR_HEADER];
    if (typeof token !== 'string' || token.length < 20) throw unauthorized('visitor_required', { zh: '请先打开会话', en: 'open a widget session first' });
    const contactId = await contactOfVisitor(repo, token);
    if (!contactId) throw unauthorized('visitor_unknown', { zh: '会话已失效，请刷新', en: 'unknown visitor, reload' });
    return contactId;
  }
  async function visitorConversation(request: FastifyRequest, id: string) {
    const contactId = await visitorContact(request);
    const conversation = await repo.getConversation(id);
    if (!conversation || conversation.contactId !== contactId || conversation.channel !== 'web') throw notFound('会话', 'conversation_not_found');
    return conversation;
  }
  const widgetView = { forStaff: false, format: 'markdown' } as const;

  app.post('/api/v1/widget/sessions', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '打开咨询窗口：访客身份与最近的会话 / open the widget: visitor and latest conversation', body: s.widgetSessionBody, response: { 200: s.widgetSessionResponse, ...errorResponses } },
  }, async (request) => {
    const site = await repo.widgetSite(request.body.siteKey);
    if (!site) throw badRequest('unknown_site', { zh: '站点密钥无效', en: 'unknown site key' }, 'siteKey');
    let token = request.body.visitorToken;
    let contactId = token ? await contactOfVisitor(repo, token) : undefined;
    if (!contactId) {
      token = newToken(24);
      contactId = await findOrCreateContact(deps, { kind: 'web', namespace: VISITOR_NAMESPACE, externalId: hashVisitorToken(token) });
    }
    const latest = await repo.latestOfContact(contactId, 'web');
    const messages = latest ? await repo.messagesAfter(latest.id, 0, { includePrivate: false, limit: 500 }) : [];
    return {
      visitorToken: token!,
      conversation: latest ? await presentConversation(deps, latest, { forStaff: false }) : null,
      messages: presentMessages(messages, widgetView),
    };
  });

  app.post('/api/v1/widget/conversations', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '开始新的会话 / start a new conversation', body: s.widgetStartBody, response: { 201: s.widgetStartResponse, ...errorResponses } },
  }, async (request, reply) => {
    const contactId = await visitorContact(request);
    const site = await repo.widgetSite(request.body.siteKey);
    if (!site) throw badRequest('unknown_site', { zh: '站点密钥无效', en: 'unknown site key' }, 'siteKey');
    const open = await repo.latestOpenOfContact(contactId, 'web');
    const conversation = open ?? (await startConversation(deps, { contactId, channel: 'web', channelRef: site.key }));
    if (request.actor.kind === 'citizen') await repo.setVerifiedPerson(conversation.id, request.actor.personId);
    const messages = await repo.messagesAfter(conversation.id, 0, { includePrivate: false, limit: 500 });
    return reply.status(201).send({ conversation: await presentConversation(deps, conversation, { forStaff: false }), messages: presentMessages(messages, widgetView) });
  });

  app.get('/api/v1/widget/conversations/:id', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '会话状态与排队位置 / status and place in the queue', params: s.conversationParams, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => presentConversation(deps, await visitorConversation(request, request.params.id), { forStaff: false }));

  app.post('/api/v1/widget/conversations/:id/messages', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '访客发送消息 / a visitor’s message', params: s.conversationParams, body: s.customerMessageBody, response: { 200: s.postedMessageResponse, 201: s.postedMessageResponse, ...errorResponses } },
  }, async (request, reply) => {
    const conversation = await visitorConversation(request, request.params.id);
    if (request.actor.kind === 'citizen') await repo.setVerifiedPerson(conversation.id, request.actor.personId);
    const result = await receiveCustomerMessage(deps, request.actor, conversation, request.body);
    return reply.status(result.isDuplicate ? 200 : 201).send({ message: presentMessages([result.message], widgetView)[0], replies: presentMessages(result.replies, widgetView) });
  });

  app.get('/api/v1/widget/conversations/:id/messages', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '某序号之后的消息 / messages after a sequence number', params: s.conversationParams, querystring: s.afterQuery, response: { 200: s.messagesResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await visitorConversation(request, request.params.id);
    return { messages: presentMessages(await repo.messagesAfter(conversation.id, request.query.after, { includePrivate: false, limit: request.query.limit }), widgetView) };
  });

  app.post('/api/v1/widget/conversations/:id/read', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '已读到某序号 / read up to a sequence number', params: s.conversationParams, body: s.readBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await markReadByCustomer(deps, await visitorConversation(request, request.params.id), request.body.seq);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/widget/conversations/:id/rating', {
    config: { access: 'conversations.chat' },
    schema: { tags: widgetTags, summary: '满意度评价 / satisfaction rating', params: s.conversationParams, body: s.ratingBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await rateConversation(deps, await visitorConversation(request, request.params.id), request.body);
    return reply.status(204).send(null);
  });

  // ── agent workspace ──
  function staffId(actor: Actor): string {
    if (actor.kind !== 'user') throw unauthorized();
    return actor.id;
  }
  const isSupervisor = (actor: Actor) => can(actor, 'conversations.supervise');
  /** Routes on one conversation: agents and supervisors (staffConversation decides which conversation). */
  const staffAccess: Action[] = ['conversations.handle', 'conversations.supervise'];
  /** Agents read the funnel's settings; those who configure it (admins) too. */
  const settingsReadAccess: Action[] = ['conversations.handle', 'conversations.configure'];
  /** The conversation, if this staff member may see it (an agent: theirs, or waiting for their skills). */
  async function staffConversation(actor: Actor, id: string) {
    authorize(actor, isSupervisor(actor) ? 'conversations.supervise' : 'conversations.handle');
    const conversation = await conversationOr404(id);
    const state = await agentState(deps, staffId(actor));
    authorizeConversation(actor, conversation, state.skills);
    return conversation;
  }
  const staffView = { forStaff: true, format: 'markdown' } as const;

  app.get('/api/v1/agent/queue', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '我可以接起的排队会话与留言 / waiting conversations and left messages I may take', querystring: noQuery, response: { 200: s.queueResponse, ...errorResponses } },
  }, async (request) => {
    const { skills } = await agentState(deps, staffId(request.actor));
    // the registry's rule decides which waiting conversations this agent may take
    const mayTake = async (leftMessages: boolean) => (await repo.queued({ leftMessages })).filter((c) => canSeeConversation(request.actor, c, skills));
    const [live, left] = [await mayTake(false), await mayTake(true)];
    return {
      items: await Promise.all(live.map((c) => presentConversation(deps, c, { forStaff: true }))),
      leftMessages: await Promise.all(left.map((c) => presentConversation(deps, c, { forStaff: true }))),
    };
  });

  app.get('/api/v1/agent/conversations', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '我正在服务的会话 / my open conversations', querystring: noQuery, response: { 200: s.listResponse, ...errorResponses } },
  }, async (request) => {
    const mine = await repo.assignedTo(staffId(request.actor));
    return { items: await Promise.all(mine.map((c) => presentConversation(deps, c, { forStaff: true }))) };
  });

  app.get('/api/v1/agent/conversations/:id', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '会话与全部消息（含内部备注） / a conversation with all its messages', params: s.conversationParams, response: { 200: s.conversationDetailResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    const messages = await repo.messagesAfter(conversation.id, 0, { includePrivate: true, limit: 500 });
    return { conversation: await presentConversation(deps, conversation, { forStaff: true }), messages: presentMessages(messages, staffView) };
  });

  app.get('/api/v1/agent/conversations/:id/messages', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '某序号之后的消息 / messages after a sequence number', params: s.conversationParams, querystring: s.afterQuery, response: { 200: s.messagesResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    return { messages: presentMessages(await repo.messagesAfter(conversation.id, request.query.after, { includePrivate: true, limit: request.query.limit }), staffView) };
  });

  app.get('/api/v1/agent/conversations/:id/history', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '该来电人在所有渠道的历史 / the contact’s history across channels', params: s.conversationParams, response: { 200: s.contactHistoryResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    return contactHistory(deps, conversation.contactId);
  });

  app.put('/api/v1/agent/conversations/:id/contact-phone', {
    config: { access: staffAccess },
    schema: {
      tags: agentTags,
      summary: '记录来电人的联系电话（用于跨渠道识别同一人） / record the contact’s phone number (joins their calls and chats)',
      params: s.conversationParams,
      body: s.contactPhoneBody,
      response: { 200: s.contactPhoneResponse, ...errorResponses },
    },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    if (conversation.assigneeId !== staffId(request.actor) && !isSupervisor(request.actor)) throw forbidden('not_assignee', { zh: '只能为自己接待的来电人记录电话', en: 'only for a citizen you serve' });
    const phone = normalizePhone(request.body.phone);
    const masked = maskPersonalData(phone);
    await repo.setContactPhone(conversation.contactId, { hash: deps.ctx.secrets.lookupHash(phone), masked });
    await deps.ctx.audit.record(request.actor, { action: 'contact.phone.record', subjectType: 'contact', subjectId: conversation.contactId, detail: { conversationId: conversation.id, phone: masked } });
    return { phone: masked };
  });

  app.post('/api/v1/agent/conversations/:id/accept', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '接起会话 / accept a waiting conversation', params: s.conversationParams, body: noBody, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    await acceptConversation(deps, staffId(request.actor), conversation, { isSupervisor: isSupervisor(request.actor) });
    return presentConversation(deps, (await repo.getConversation(conversation.id))!, { forStaff: true });
  });

  app.post('/api/v1/agent/conversations/:id/messages', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '回复或内部备注 / reply, or leave an internal note', params: s.conversationParams, body: s.agentMessageBody, response: { 201: s.agentMessageResponse, ...errorResponses } },
  }, async (request, reply) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    const { text, entryId, private: isPrivate, clientMessageId } = request.body;
    const message = await replyAsAgent(deps, staffId(request.actor), conversation, { text, entryId, isPrivate, clientMessageId });
    return reply.status(201).send({ message: presentMessages([message], staffView)[0] });
  });

  app.post('/api/v1/agent/conversations/:id/read', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '已读到某序号 / read up to a sequence number', params: s.conversationParams, body: s.readBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    if (conversation.assigneeId === staffId(request.actor)) await markReadByAgent(deps, conversation, request.body.seq);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/agent/conversations/:id/transfer', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '转接给坐席或技能组 / transfer to an agent or a skill', params: s.conversationParams, body: s.transferBody, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    await transferConversation(deps, staffId(request.actor), conversation, request.body, { isSupervisor: isSupervisor(request.actor) });
    return presentConversation(deps, (await repo.getConversation(conversation.id))!, { forStaff: true });
  });

  app.post('/api/v1/agent/conversations/:id/take-over', {
    config: { access: 'conversations.supervise' },
    schema: { tags: agentTags, summary: '班长接管会话 / a supervisor takes the conversation over', params: s.conversationParams, body: noBody, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    await takeOverConversation(deps, staffId(request.actor), conversation);
    await deps.ctx.audit.record(request.actor, { action: 'conversation.taken_over', subjectType: 'conversation', subjectId: conversation.id });
    return presentConversation(deps, (await repo.getConversation(conversation.id))!, { forStaff: true });
  });

  app.post('/api/v1/agent/conversations/:id/close', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '结束会话（分类与小结） / close with a category and a summary', params: s.conversationParams, body: s.closeBody, response: { 200: s.conversationResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    await closeConversation(deps, { userId: staffId(request.actor), isSupervisor: isSupervisor(request.actor) }, conversation, request.body);
    return presentConversation(deps, (await repo.getConversation(conversation.id))!, { forStaff: true });
  });

  app.get('/api/v1/agent/conversations/:id/suggestions', {
    config: { access: staffAccess },
    schema: { tags: agentTags, summary: '机器人对来电人最新消息的建议答案 / the robot’s suggestions for the latest citizen message', params: s.conversationParams, response: { 200: s.suggestionsResponse, ...errorResponses } },
  }, async (request) => {
    const conversation = await staffConversation(request.actor, request.params.id);
    const messages = await repo.messagesAfter(conversation.id, Math.max(0, conversation.lastSeq - 50), { includePrivate: false, limit: 100 });
    const latest = [...messages].reverse().find((m) => m.sender === 'customer' && !deps.robot.robot.wantsHuman(m.text));
    return { question: latest?.text ?? null, items: latest ? await deps.robot.robot.suggest(request.actor, latest.text) : [] };
  });

  app.get('/api/v1/agent/status', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '我的状态 / my status', querystring: noQuery, response: { 200: s.agentStateResponse, ...errorResponses } },
  }, async (request) => {
    const { userId, status, maxChats, skills } = await agentState(deps, staffId(request.actor));
    return { userId, status, maxChats, skills };
  });

  app.put('/api/v1/agent/status', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '设置在线、忙碌、离开 / set online, busy or away', body: s.agentStatusBody, response: { 200: s.agentStateResponse, ...errorResponses } },
  }, async (request) => {
    const { userId, status, maxChats, skills } = await setAgentStatus(deps, staffId(request.actor), request.body);
    if (status === 'online') void assignWaiting(deps).catch((err) => deps.ctx.log.error({ err }, 'assignment failed'));
    return { userId, status, maxChats, skills };
  });

  app.get('/api/v1/agent/colleagues', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '在岗的同事（转接对象） / colleagues on duty, to transfer to', querystring: noQuery, response: { 200: s.agentRowsResponse, ...errorResponses } },
  }, async (request) => {
    const me = staffId(request.actor);
    const onDuty = (await repo.allAgents()).filter((a) => a.userId !== me && (a.status === 'online' || a.status === 'busy'));
    const load = await repo.loadOf(onDuty.map((a) => a.userId));
    return {
      items: await Promise.all(onDuty.map(async (a) => ({ userId: a.userId, name: await deps.staff.displayName(a.userId), status: a.status, skills: a.skills, load: load.get(a.userId) ?? 0, maxChats: a.maxChats }))),
    };
  });

  app.get('/api/v1/agent/canned-replies', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '常用语（个人与共享） / canned replies, personal and shared', querystring: noQuery, response: { 200: s.cannedRepliesResponse, ...errorResponses } },
  }, async (request) => {
    return { items: await repo.cannedReplies(staffId(request.actor)) };
  });

  app.post('/api/v1/agent/canned-replies', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '新增常用语 / add a canned reply', body: s.cannedReplyBody, response: { 201: s.cannedReplySchema, ...errorResponses } },
  }, async (request, reply) => {
    if (request.body.shared) authorize(request.actor, 'conversations.configure');
    const item = { id: newId(), ownerId: request.body.shared ? null : staffId(request.actor), title: request.body.title, text: request.body.text };
    await repo.insertCannedReply(item);
    return reply.status(201).send(item);
  });

  app.delete('/api/v1/agent/canned-replies/:id', {
    config: { access: 'conversations.handle' },
    schema: { tags: agentTags, summary: '删除常用语 / delete a canned reply', params: s.conversationParams, response: { 204: s.noContent, ...errorResponses } },
  }, async (request, reply) => {
    const item = await repo.getCannedReply(request.params.id);
    if (!item) throw notFound('常用语');
    if (item.ownerId === null ? !can(request.actor, 'conversations.configure') : item.ownerId !== staffId(request.actor)) {
      throw new AppError(403, 'forbidden', { zh: '只能删除自己的常用语', en: 'you can delete only your own canned replies' });
    }
    await repo.deleteCannedReply(item.id);
    return reply.status(204).send(null);
  });

  // ── supervision and settings ──
  app.get('/api/v1/supervisor/conversations', {
    config: { access: 'conversations.supervise' },
    schema: { tags: agentTags, summary: '所有进行中的会话 / every open conversation', querystring: noQuery, response: { 200: s.listResponse, ...errorResponses } },
  }, async (request) => {
    const open = await repo.openConversations();
    return { items: await Promise.all(open.map((c) => presentConversation(deps, c, { forStaff: true }))) };
  });

  app.get('/api/v1/agents', {
    config: { access: 'conversations.supervise' },
    schema: { tags: settingsTags, summary: '坐席状态、技能与负载 / agents with status, skills and load', querystring: noQuery, response: { 200: s.agentRowsResponse, ...errorResponses } },
  }, async (request) => {
    const agents = await repo.allAgents();
    const load = await repo.loadOf(agents.map((a) => a.userId));
    return {
      items: await Promise.all(agents.map(async (a) => ({ userId: a.userId, name: await deps.staff.displayName(a.userId), status: a.status, maxChats: a.maxChats, skills: a.skills, load: load.get(a.userId) ?? 0 }))),
    };
  });

  app.put('/api/v1/agents/:userId', {
    config: { access: 'conversations.supervise' },
    schema: { tags: settingsTags, summary: '设置坐席技能组与并发数 / set an agent’s skills and seats', params: s.agentParams, body: s.configureAgentBody, response: { 200: s.configuredAgentResponse, ...errorResponses } },
  }, async (request) => {
    const state = await configureAgent(deps, request.params.userId, request.body);
    await deps.ctx.audit.record(request.actor, { action: 'agent.configured', subjectType: 'user', subjectId: request.params.userId, detail: request.body });
    void assignWaiting(deps).catch((err) => deps.ctx.log.error({ err }, 'assignment failed'));
    return state;
  });

  app.get('/api/v1/skills', {
    config: { access: settingsReadAccess },
    schema: { tags: settingsTags, summary: '技能组（知识分类 → 技能） / skills and the categories they serve', querystring: noQuery, response: { 200: s.skillsResponse, ...errorResponses } },
  }, async (request) => {
    return { items: await repo.skills() };
  });

  app.put('/api/v1/skills/:id', {
    config: { access: 'conversations.configure' },
    schema: { tags: settingsTags, summary: '新增或修改技能组 / create or change a skill', params: s.skillParams, body: s.skillBody, response: { 200: s.skillSchema, ...errorResponses } },
  }, async (request) => {
    const skill = { id: request.params.id, ...request.body };
    await repo.putSkill(skill);
    await deps.ctx.audit.record(request.actor, { action: 'skill.saved', subjectType: 'skill', subjectId: skill.id, detail: request.body });
    return skill;
  });

  app.delete('/api/v1/skills/:id', {
    config: { access: 'conversations.configure' },
    schema: { tags: settingsTags, summary: '删除技能组 / delete a skill', params: s.skillParams, response: { 204: s.noContent, ...errorResponses } },
  }, async (request, reply) => {
    await repo.deleteSkill(request.params.id);
    await deps.ctx.audit.record(request.actor, { action: 'skill.deleted', subjectType: 'skill', subjectId: request.params.id });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/conversations/settings/service-hours', {
    config: { access: settingsReadAccess },
    schema: { tags: settingsTags, summary: '人工服务时间、节假日与调休 / service hours, holidays and make-up days', querystring: noQuery, response: { 200: s.serviceHoursResponse, ...errorResponses } },
  }, async () => loadServiceHours(deps));

  app.put('/api/v1/conversations/settings/service-hours', {
    config: { access: 'conversations.configure' },
    schema: { tags: settingsTags, summary: '设置人工服务时间 / set service hours', body: s.serviceHoursBody, response: { 200: s.serviceHoursResponse, ...errorResponses } },
  }, async (request) => {
    await repo.putSetting(SETTINGS.serviceHours, request.body, `user:${staffId(request.actor)}`);
    await deps.ctx.audit.record(request.actor, { action: 'conversations.service_hours_changed', detail: request.body });
    return loadServiceHours(deps);
  });

  app.get('/api/v1/conversations/settings/funnel', {
    config: { access: settingsReadAccess },
    schema: { tags: settingsTags, summary: '空闲自动结束、默认并发等 / idle close, default seats', querystring: noQuery, response: { 200: s.funnelSettingsResponse, ...errorResponses } },
  }, async () => loadFunnelSettings(deps));

  app.put('/api/v1/conversations/settings/funnel', {
    config: { access: 'conversations.configure' },
    schema: { tags: settingsTags, summary: '设置空闲自动结束、默认并发等 / set idle close and default seats', body: s.funnelSettingsBody, response: { 200: s.funnelSettingsResponse, ...errorResponses } },
  }, async (request) => {
    await repo.putSetting(SETTINGS.general, request.body, `user:${staffId(request.actor)}`);
    await deps.ctx.audit.record(request.actor, { action: 'conversations.settings_changed', detail: request.body });
    return loadFunnelSettings(deps);
  });
}
