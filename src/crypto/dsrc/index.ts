export { VU_DSRC_ID_LENGTH, deriveVuDsrcKeys, dsrcHashOf, dsrcMacLength, type VuDsrcKeys } from './keys.ts';
export { RTM_COUNTER_MAX, decryptRtmPayload, encryptRtmPayload, rtmIv, rtmMac } from './rtm-protection.ts';
