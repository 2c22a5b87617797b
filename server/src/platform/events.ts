import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { EventName } from '../../../common/events';

/**
 * Domain events, delivered after the change committed. In-process by default; with Redis they
 * also reach every other instance, so caches such as the search index stay in step.
 */
export class EventBus {
  private local = new EventEmitter();
  /** only the events published by this instance */
  private origin = new EventEmitter();
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly instanceId = Math.random().toString(36).slice(2);
  private readonly channel = 'zhixun:events';

  async connectRedis(url: string) {
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', (_channel, raw) => {
      const message = JSON.parse(raw) as { from: string; name: EventName; payload: unknown };
      if (message.from !== this.instanceId) this.local.emit(message.name, message.payload);
    });
  }

  /** Every occurrence, wherever it was published: for caches and realtime pushes on each instance. */
  on(name: EventName, handler: (payload: any) => void) {
    this.local.on(name, handler);
  }

  /**
   * Only occurrences published by this instance. The outbox dispatches each event once across all
   * instances, so work that must happen once (enqueueing a webhook delivery) subscribes here.
   */
  onOwn(name: EventName, handler: (payload: any) => void) {
    this.origin.on(name, handler);
  }

  /** Call after the transaction that made the change has committed. */
  emit(name: EventName, payload: unknown = {}) {
    this.local.emit(name, payload);
    this.origin.emit(name, payload);
    this.publisher?.publish(this.channel, JSON.stringify({ from: this.instanceId, name, payload })).catch(() => {});
  }

  async close() {
    await Promise.all([this.publisher?.quit(), this.subscriber?.quit()].filter(Boolean));
  }
}
