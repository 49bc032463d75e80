// Regenerate package.json `contributes.configuration`, media/switchyard.schema.json and the README's
// settings table from the settings schema. test/unit/settings.test.ts fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { configFileSchema, contributesConfiguration, withSettingsTable } from './settings-schema';

const pkgPath = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
pkg.contributes = { ...(pkg.contributes ?? {}), configuration: contributesConfiguration() };
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(new URL('../media/switchyard.schema.json', import.meta.url), JSON.stringify(configFileSchema(), null, 2) + '\n');
const readmePath = new URL('../README.md', import.meta.url);
writeFileSync(readmePath, withSettingsTable(readFileSync(readmePath, 'utf8')));
console.log('wrote package.json contributes.configuration, media/switchyard.schema.json and the README settings table');
