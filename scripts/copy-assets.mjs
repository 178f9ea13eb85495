// Copies the non-TypeScript files the built daemon reads at run time (connector facts) into dist/.
import { cpSync, statSync } from 'node:fs';

cpSync('src', 'dist/src', {
  recursive: true,
  filter: (path) => statSync(path).isDirectory() || /\.ya?ml$/.test(path),
});
