export * from './link.ts';
export { Wire, type WireOptions } from './wire.ts';
export { LinkBase, Endpoint, type LinkContext } from './link-base.ts';
export { byteArrivals, type LineClock, type LineModel } from './line-times.ts';
export { AnswerMeter, answerTimes, meterLink, nearestRank, type AnswerMeterOptions, type AnswerTimes, type AnswerWindow, type FrameCodec, type PortTiming } from './answer-timing.ts';
export { MemoryLink } from './memory-link.ts';
export { PtyPair, SocatMissingError, PtyPairStartError, type PtyPairOptions, type PtyPairExit } from './pty-pair.ts';
export { PtyLink, type PtyLinkOptions, DEFAULT_PTY_DELIVERY_QUANTUM_MS, DEFAULT_PTY_SETTLE_TIMEOUT_MS, DEFAULT_PTY_TIMING_ALLOWANCE_MS } from './pty-link.ts';
export {
  SerialLink,
  type SerialLinkOptions,
  DEFAULT_SERIAL_POLL_INTERVAL_MS,
  DEFAULT_SERIAL_TIMING_ALLOWANCE_MS,
} from './serial-link.ts';
export { openSerialPort, closeSerialPort, isMissingDeviceError } from './os-port.ts';
// issue 19: NDTP over TCP
export { TcpLink, parseTcpUrl, DEFAULT_TCP_DELIVERY_QUANTUM_MS, DEFAULT_TCP_SETTLE_TIMEOUT_MS } from './tcp-link.ts';
