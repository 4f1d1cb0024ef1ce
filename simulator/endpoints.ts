/**
 * Where the simulator process reads flags and whose token it sends, from its options and the
 * environment. The OFREP endpoints are mounted on the Ringmaster API, so without --ofrep or
 * RINGMASTER_OFREP_URL it reads them where the CLI finds the API (RINGMASTER_API_URL, default
 * port 8080 as `npm run api` listens), and it sends the CLI's token (RINGMASTER_TOKEN) unless
 * given its own.
 */
export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export function simulatorEndpoints(
  options: { ofrep?: string; token?: string },
  env: Record<string, string | undefined>,
): { ofrepUrl: string; token?: string } {
  return {
    ofrepUrl: options.ofrep ?? env.RINGMASTER_OFREP_URL ?? env.RINGMASTER_API_URL ?? DEFAULT_API_URL,
    token: options.token ?? env.RINGMASTER_API_TOKEN ?? env.RINGMASTER_TOKEN,
  };
}
