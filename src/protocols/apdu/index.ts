export * from './command.ts';
export * from './commands.ts';
export * from './response.ts';
