export * from './recording.ts';
export { Recorder, type RecorderSetup } from './recorder.ts';
