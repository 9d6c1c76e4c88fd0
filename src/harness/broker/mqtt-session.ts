import { fromCallback } from 'xstate';
import type { TopicGrants } from './embedded-broker.ts';
import type { DeviceNetwork } from './network.ts';

/**
 * An MQTT session as an XState actor, for devices to invoke: the client is I/O, the machine sees events.
 * It connects once (no automatic reconnect: the device's machine decides when to try again, on the rig
 * clock), subscribes, then reports `mqtt.up`; it ends with `mqtt.down`. Invoke it in the state that needs
 * the connection; leaving that state closes it.
 *
 *   to the parent:   mqtt.up | mqtt.down {reason} | mqtt.message {topic, payload} | mqtt.puback {tag} | mqtt.pubfail {tag, reason}
 *   from the parent: mqtt.publish {topic, payload, tag}
 */
export interface MqttSessionInput {
  clientId: string;
  grants: TopicGrants;
  subscriptions: string[];
}

export type MqttSessionEvent =
  | { type: 'mqtt.up' }
  | { type: 'mqtt.down'; reason: string }
  | { type: 'mqtt.message'; topic: string; payload: Uint8Array }
  | { type: 'mqtt.puback'; tag: string }
  | { type: 'mqtt.pubfail'; tag: string; reason: string };

export type MqttSessionCommand = { type: 'mqtt.publish'; topic: string; payload: Uint8Array; tag: string };

export function mqttSession(network: DeviceNetwork) {
  return fromCallback<MqttSessionCommand, MqttSessionInput, MqttSessionEvent>(({ input, sendBack, receive }) => {
    let live = true;
    const send = (event: MqttSessionEvent) => {
      if (live) sendBack(event);
    };
    let client: ReturnType<DeviceNetwork['connect']>;
    try {
      client = network.connect({ clientId: input.clientId, grants: input.grants });
    } catch (error) {
      // No broker: the same as one that cannot be reached, reported on the next turn like any refusal.
      queueMicrotask(() => send({ type: 'mqtt.down', reason: (error as Error).message }));
      return () => (live = false);
    }
    client.on({
      connect: () =>
        client.subscribe(input.subscriptions, (error, granted) => {
          const refused = input.subscriptions.filter((s) => !granted.includes(s));
          if (error || refused.length) {
            client.end();
            send({ type: 'mqtt.down', reason: error?.message ?? `subscription refused: ${refused.join(', ')}` });
          } else send({ type: 'mqtt.up' });
        }),
      message: (topic, payload) => send({ type: 'mqtt.message', topic, payload }),
      close: (reason) => send({ type: 'mqtt.down', reason }),
    });
    receive((command) => {
      client.publish(command.topic, command.payload, (error) =>
        send(error ? { type: 'mqtt.pubfail', tag: command.tag, reason: error.message } : { type: 'mqtt.puback', tag: command.tag }),
      );
    });
    return () => {
      live = false;
      client.end();
    };
  });
}
