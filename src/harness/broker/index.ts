export { EmbeddedBroker, type Credentials, type TopicGrants } from './embedded-broker.ts';
export { TcpRelay } from './tcp-relay.ts';
export { topicMatches, filterCovers } from './topic-filter.ts';
export {
  BrokerNetwork,
  NetworkClient,
  BROKER_LINK_ID,
  DEFAULT_BROKER_SETTLE_TIMEOUT_MS,
  type DeviceNetwork,
  type NetworkClientHandlers,
} from './network.ts';
export { mqttSession, type MqttSessionCommand, type MqttSessionEvent, type MqttSessionInput } from './mqtt-session.ts';
export { startMosquitto, type MosquittoProcess } from './mosquitto-process.ts';
