#!/usr/bin/env node
// The rig is written in TypeScript and runs from source: tsx compiles on load, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
