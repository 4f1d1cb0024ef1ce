/**
 * docker-compose.yml cannot be run here (no Docker engine), so at least every variable it sets
 * must be one the README documents: a misspelt name is silently ignored and each container falls
 * back to its own default store file.
 */
import fs from 'node:fs';
import { parse } from 'yaml';

const readme = fs.readFileSync('README.md', 'utf8');
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };

// Ringmaster's own containers; the Temporal ones read Temporal's variables.
const ours = ['worker', 'api'].flatMap((service) => Object.keys(compose.services[service].environment ?? {}).map((name) => ({ service, name })));

test.each(ours)('$service sets $name, which the README documents', ({ name }) => {
  expect(readme).toMatch(new RegExp('`' + name + '`'));
});

test('the worker and the API share one store file', () => {
  const file = (service: string) => compose.services[service].environment?.RINGMASTER_DB_FILE;
  expect(file('worker')).toBeDefined();
  expect(file('worker')).toBe(file('api'));
});
