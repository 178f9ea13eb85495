/**
 * The daemon config names credentials in snake_case, as admins write YAML (`access_token`, `api_key`,
 * `client_secret`), while connectors' facts name them in camelCase (`accessToken`, `apiKey`). Both
 * spellings are handed to the connector, so a connector finds its credential whichever way the config
 * spelt it, and no connector needs to know about YAML conventions.
 */
export function connectorCredentials(configured: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(configured)) {
    out[key] = value;
    const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (!(camel in configured)) out[camel] = value;
  }
  return out;
}
