export { VehicleTrack, type GeoPoint, type VehicleTrackOptions } from './vehicle-track.ts';
export { createWorld, worldStimuli, type World } from './world.ts';
