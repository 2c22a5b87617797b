// The baseline of `npm run bench:chat`: a bare Socket.IO server with the same socket.io version, the
// same namespaces and path, a room per conversation and the same message pattern as the platform, but
// no storage, no robot and no authentication. What it measures is Socket.IO and Node on this machine.
//
// Started by bench/chat.ts in its own process: `node --import tsx bench/chat-echo-server.ts <port>`.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 3950);

/** A canned robot answer about as long as a typical knowledge-base answer. */
const ANSWER = '职工基本养老保险由用人单位和职工共同缴纳：单位按缴费基数的16%缴纳，计入统筹基金；个人按本人缴费工资的8%缴纳，计入个人账户。'.repeat(3);

interface EchoConversation {
  seq: number;
  status: 'bot' | 'assigned';
  assigneeId?: string;
}
const conversations = new Map<string, EchoConversation>();
const conversationOf = (id: string) => {
  let c = conversations.get(id);
  if (!c) conversations.set(id, (c = { seq: 1, status: 'bot' }));
  return c;
};

function message(conversationId: string, sender: string, text: string, clientMessageId: string | null = null) {
  const c = conversationOf(conversationId);
  c.seq += 1;
  return { id: randomUUID(), conversationId, seq: c.seq, sender, text, format: sender === 'customer' ? 'text' : 'markdown', clientMessageId, entryId: null, createdAt: new Date().toISOString() };
}

const server = http.createServer((req, res) => {
  // the agent's reply, over HTTP as in the workspace: POST /api/v1/agent/conversations/:id/messages
  const match = req.method === 'POST' && req.url?.match(/^\/api\/v1\/agent\/conversations\/([^/]+)\/messages$/);
  if (!match) {
    res.writeHead(req.url === '/api/v1/health' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const agentId = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const conversation = conversationOf(match[1]);
    if (conversation.assigneeId !== agentId) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{"code":"not_assignee"}}');
      return;
    }
    const m = { ...message(match[1], 'agent', (JSON.parse(body) as { text: string }).text), senderName: agentId };
    widget.to(`conv:${match[1]}`).emit('message', m);
    agents.to(`agent:${agentId}`).emit('message', m);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ message: m }));
  });
});

const io = new Server(server, { path: '/socket.io', serveClient: false, transports: ['websocket', 'polling'] });
const widget = io.of('/widget');
const agents = io.of('/agent');
const onDuty: string[] = [];
let nextAgent = 0;

widget.on('connection', async (socket) => {
  const id = String((socket.handshake.auth as { conversationId?: string }).conversationId);
  await socket.join(`conv:${id}`);
  const c = conversationOf(id);
  socket.emit('conversation', { id, status: c.status, lastSeq: c.seq });
  socket.on('send', (input: { clientMessageId: string; text: string }, ack?: (reply: unknown) => void) => {
    const conversation = conversationOf(id);
    const m = message(id, 'customer', input.text, input.clientMessageId);
    widget.to(`conv:${id}`).emit('message', m);
    if (conversation.assigneeId) agents.to(`agent:${conversation.assigneeId}`).emit('message', m);
    const replies = [];
    if (conversation.status === 'bot' && input.text === '转人工' && onDuty.length) {
      // hand-off and assignment in one step: round robin over the agents on duty
      conversation.status = 'assigned';
      conversation.assigneeId = onDuty[nextAgent++ % onDuty.length];
      const notice = message(id, 'system', `人工客服${conversation.assigneeId}为您服务。`);
      replies.push(notice);
      widget.to(`conv:${id}`).emit('conversation', { id, status: 'assigned', assignee: { id: conversation.assigneeId }, lastSeq: conversation.seq });
      widget.to(`conv:${id}`).emit('message', notice);
      agents.to(`agent:${conversation.assigneeId}`).emit('message', notice);
    } else if (conversation.status === 'bot') {
      const answer = message(id, 'robot', ANSWER);
      replies.push(answer);
      widget.to(`conv:${id}`).emit('message', answer);
    }
    ack?.({ message: m, replies });
  });
});

agents.on('connection', async (socket) => {
  const agentId = String((socket.handshake.auth as { token?: string }).token);
  await socket.join(`agent:${agentId}`);
  if (!onDuty.includes(agentId)) onDuty.push(agentId);
  socket.on('disconnect', () => {
    const i = onDuty.indexOf(agentId);
    if (i >= 0) onDuty.splice(i, 1);
  });
});

server.listen(port, '127.0.0.1', () => console.log(`echo server on ${port}`));
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
