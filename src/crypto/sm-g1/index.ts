export { authenticationCryptogram, openAuthenticationCryptogram, PRND_BYTES, SESSION_HALF_BYTES, signWithRecovery, tokenMessage, type OpenedToken, type TokenInput } from './authentication-token.ts';
export { desDecrypt, desEncrypt } from './des.ts';
export { cryptographicChecksumG1, G1_MAC_BYTES, padG1, retailMacFull } from './retail-mac.ts';
export { G1_SM_SW, sessionSpentG1, unwrapCommandG1, unwrapResponseG1, wrapCommandG1, wrapResponseG1, type UnwrapCommandG1Result, type UnwrapResponseG1Result } from './secure-messaging-g1.ts';
export { G1_SESSION_USES, initialSscG1, K_HALF_BYTES, sessionKeyG1, startSessionG1, type SmG1Session } from './session-key.ts';
