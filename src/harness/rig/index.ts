export * from './rig-schema.ts';
export { loadRigFile, parseRig, RigFileError, type LoadedRig, type RigLoadOptions } from './rig-loader.ts';
export {
  FileIssuesError,
  closest,
  editDistance,
  formatIssue,
  formatIssues,
  formatPath,
  knownKeys,
  locate,
  parseYamlFile,
  sortIssues,
  toFileIssues,
  zodIssuesToFileIssues,
  zodIssuesToPathIssues,
  type FileIssue,
  type IssuePath,
  type Location,
  type ParsedYamlFile,
  type PathIssue,
  type ZodIssueContext,
} from './yaml-errors.ts';
