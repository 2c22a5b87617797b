import type { Redis } from 'ioredis';
import type { JsonStore } from './repo';

/** The JSON store in Redis with an idle expiry: for several instances behind a load balancer. */
export class RedisJsonStore implements JsonStore {
  constructor(
    private redis: Redis,
    private ttlSeconds = 30 * 60,
  ) {}
  private key = (id: string) => `zhixun:robot:${id}`;
  async get(id: string) {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  }
  async set(id: string, value: unknown) {
    await this.redis.set(this.key(id), JSON.stringify(value), 'EX', this.ttlSeconds);
  }
  async delete(id: string) {
    await this.redis.del(this.key(id));
  }
}
