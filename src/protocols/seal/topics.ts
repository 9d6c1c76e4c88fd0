/**
 * MQTT topics of the seal uplink (rig-defined). The home state is in the seal's topics so that an operator
 * subscribes to its own seals with one filter and a seal's data goes home wherever the vehicle is
 * (Decision 141 item 22).
 *
 *   seal/<home>/<sealId>/up     seal → its home operator: position, event and activation reports
 *   seal/<home>/<sealId>/down   home operator → seal: acknowledgements
 *   operator/<state>/in         operator → operator of <state>: forwarded documents, corrections, acks
 */
export const sealUpTopic = (home: string, sealId: string) => `seal/${home}/${sealId}/up`;
export const sealDownTopic = (home: string, sealId: string) => `seal/${home}/${sealId}/down`;
export const operatorInTopic = (state: string) => `operator/${state}/in`;
/** The operator's filter for its own seals' uplink. */
export const homeSealsFilter = (state: string) => `seal/${state}/+/up`;

export const sealClientId = (sealId: string) => `seal-${sealId}`;
export const operatorClientId = (state: string) => `operator-${state}`;

/** `seal/RU/RU-0001/up` → { home: RU, sealId: RU-0001 }. */
export function parseSealTopic(topic: string): { home: string; sealId: string; direction: 'up' | 'down' } | undefined {
  const m = /^seal\/([^/]+)\/([^/]+)\/(up|down)$/.exec(topic);
  return m ? { home: m[1]!, sealId: m[2]!, direction: m[3] as 'up' | 'down' } : undefined;
}

/** Topic segments may not hold MQTT wildcards or separators. */
export const TOPIC_SEGMENT = /^[^/+#\s]+$/;
