import { XMLParser } from 'fast-xml-parser';

// every value stays a string: MsgId is a 64-bit number and CreateTime is compared as sent
const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: true, processEntities: true, htmlEntities: false });

/** The flat fields of a WeChat `<xml>` message (nested elements are left out); undefined when it is not one. */
export function parseWechatXml(raw: string): Record<string, string> | undefined {
  let doc: unknown;
  try {
    doc = parser.parse(raw);
  } catch {
    return undefined;
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== 'object') return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

/** A CDATA section holding any text (a "]]>" inside is split across two sections). */
export const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** A passive reply of type text to the citizen who sent `to` the message. */
export function textReplyXml(input: { toUser: string; fromUser: string; content: string; createTime?: number }): string {
  const time = input.createTime ?? Math.floor(Date.now() / 1000);
  return `<xml><ToUserName>${cdata(input.toUser)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName><CreateTime>${time}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(input.content)}</Content></xml>`;
}

/** The envelope of an encrypted (safe mode) reply. */
export function encryptedReplyXml(input: { encrypt: string; msgSignature: string; timestamp: string; nonce: string }): string {
  return `<xml><Encrypt>${cdata(input.encrypt)}</Encrypt><MsgSignature>${cdata(input.msgSignature)}</MsgSignature><TimeStamp>${input.timestamp}</TimeStamp><Nonce>${cdata(input.nonce)}</Nonce></xml>`;
}
