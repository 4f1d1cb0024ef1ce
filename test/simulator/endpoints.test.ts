import { simulatorEndpoints } from '../../simulator/endpoints';

describe('simulator endpoints', () => {
  it('reads flags from the API where `npm run api` listens by default, not from port 3000', () => {
    expect(simulatorEndpoints({}, {})).toEqual({ ofrepUrl: 'http://127.0.0.1:8080', token: undefined });
  });

  it('follows RINGMASTER_API_URL and RINGMASTER_TOKEN as the CLI does', () => {
    expect(simulatorEndpoints({}, { RINGMASTER_API_URL: 'http://api:9000', RINGMASTER_TOKEN: 'rm_cli' })).toEqual({ ofrepUrl: 'http://api:9000', token: 'rm_cli' });
  });

  it('its own variables and options win', () => {
    const env = { RINGMASTER_API_URL: 'http://api:9000', RINGMASTER_OFREP_URL: 'http://flags:1', RINGMASTER_TOKEN: 'rm_cli', RINGMASTER_API_TOKEN: 'rm_sim' };
    expect(simulatorEndpoints({}, env)).toEqual({ ofrepUrl: 'http://flags:1', token: 'rm_sim' });
    expect(simulatorEndpoints({ ofrep: 'http://o:2', token: 't' }, env)).toEqual({ ofrepUrl: 'http://o:2', token: 't' });
  });
});
