import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('configuration', () => {
  it('defaults to port 8080, ./data and SQLite', () => {
    const config = loadConfig({}, {});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.revsLimit).toBe(1000);
  });

  it('reads the revision history depth', () => {
    expect(loadConfig({}, { NUAGE_REVS_LIMIT: '50' }).revsLimit).toBe(50);
    expect(() => loadConfig({}, { NUAGE_REVS_LIMIT: '0' })).toThrow(ConfigError);
  });

  it('takes flags over environment variables', () => {
    const config = loadConfig(
      { port: '9000' },
      { NUAGE_PORT: '7000', NUAGE_DATA: '/srv/nuage', NUAGE_DATABASE_URL: 'postgres://db/x' },
    );
    expect(config.port).toBe(9000);
    expect(config.dataDir).toBe('/srv/nuage');
    expect(config.databaseUrl).toBe('postgres://db/x');
  });

  it('reports every invalid value at once', () => {
    expect(() => loadConfig({ port: 'eighty', database: 'mysql://x' }, { NUAGE_LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError(
        'invalid port "eighty"; unsupported database URL "mysql://x": use postgres://… or leave it out for SQLite; invalid NUAGE_LOG_LEVEL "loud"',
      ),
    );
  });
});
