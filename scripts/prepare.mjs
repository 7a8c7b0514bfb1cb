// `prepare` runs on `npm ci` in a clone, before `npm pack`, and on `npm install -g .`. The
// last one links the clone and runs this script without installing the devDependencies
// that the build needs (the shipped package has none: dist/app.cjs bundles everything the
// bin loads). So when the build tools are missing, install them into the clone first, the
// way npm itself prepares a git dependency, then build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function hasBuildTools() {
  try {
    require.resolve('esbuild');
    require.resolve('ajv/dist/2020');
    return true;
  } catch {
    return false;
  }
}

if (!hasBuildTools()) {
  console.error('prepare: installing the build tools (devDependencies) into this clone first');
  // The outer `npm install -g` passes its own settings down as npm_config_*; a nested
  // install must be local to the clone, not global into the outer prefix.
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(global|prefix|location|omit|include|production|only)$/i.test(key)) delete env[key];
  }
  run('npm', ['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], env);
}
run(process.execPath, [join(root, 'scripts/build.mjs')]);
