import type { Logger } from "pino";
import { createAmqpBus } from "./amqp-bus";
import type { EventBus } from "./event-bus";
import { sharedInProcessBus } from "./in-process-bus";

/** How a service reaches the event bus. */
export interface EventBusConfig {
  /** AMQP_URL: RabbitMQ when set; otherwise the process's in-process bus. */
  amqpUrl?: string;
}

/** Reads AMQP_URL; each service's config.ts calls it. */
export function loadEventBusConfig(env: NodeJS.ProcessEnv): EventBusConfig {
  const amqpUrl = env.AMQP_URL?.trim();
  if (amqpUrl && !/^amqps?:\/\//.test(amqpUrl)) throw new Error("AMQP_URL must be an amqp:// or amqps:// URL");
  return amqpUrl ? { amqpUrl } : {};
}

/**
 * The bus a service publishes and consumes on: RabbitMQ when `amqpUrl` is set, else the shared
 * in-process bus, so every service of one `npm start` process sees the others' events.
 */
export function createEventBus(config: EventBusConfig, logger?: Logger): EventBus {
  return config.amqpUrl ? createAmqpBus({ url: config.amqpUrl, logger }) : sharedInProcessBus();
}
