export { localGitPlugin as default } from './plugin';
