import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readYaml, readYamlFile, yamlFiles } from './examples';

describe('every YAML file reads the same in YAML 1.1 and 1.2, without errors or warnings', () => {
  const files = yamlFiles();
  test('there are files to check', () => assert.ok(files.length >= 8, files.join(', ')));
  for (const file of files) {
    test(file, () => assert.deepEqual(readYamlFile(file).problems, []));
  }
});

describe('the YAML check itself', () => {
  const cases: [string, string, boolean][] = [
    ['plain mapping', 'a: 1\nb: [x, "0440"]\n', true],
    ['octal-looking mode', 'defaultMode: 0440\n', false],
    ['yes as a boolean', 'enabled: yes\n', false],
    ['duplicate key', 'a: 1\na: 2\n', false],
    ['syntax error', 'a: [1, 2\n', false],
    ['several documents', 'a: 1\n---\nb: 2\n', true],
  ];
  for (const [name, text, clean] of cases) {
    test(name, () => assert.equal(readYaml(text).problems.length === 0, clean));
  }
});
