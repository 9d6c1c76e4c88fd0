export { AES_BLOCK, ZERO_IV, aesCbcDecrypt, aesCbcEncrypt, keyBitsOf, type AesKeyBits } from './aes.ts';
export { aesCmac } from './cmac.ts';
export { bytesEqual, concatBytes, fromHex, keyFromHex, toHex, xorBytes } from './bytes.ts';
export { padMethod2, padToBlock, unpadMethod2, unpadToLength, type UnpadResult } from './padding.ts';
export {
  CV_128,
  CV_192,
  CV_256,
  NS_LENGTH,
  PI_10,
  constantVector,
  decryptZeroIv,
  encryptZeroIv,
  identificationKey,
  masterKey,
  pairingInfoKey,
} from './motion-sensor-keys.ts';
export { TEST_MSCA_DEFAULT_SEED, TestMsca, type MasterKeyGeneration, type SensorKeyMaterial, type SensorPairingEntry, type VersionedKey } from './test-msca.ts';
export { hkdf, hashLengthOf, type HkdfHash } from './hkdf.ts';
