import { defineErrors } from './error.js';

/** Error codes of the connector area. Keep the README's error table in step (a test checks it). */
export const connectorErrors = defineErrors({
  CONCORD_ERR_CONNECTOR_URL_INSECURE: {
    meaning: 'A system URL is not HTTPS, and the system is not marked as a local emulator.',
    action: 'Use an https:// base URL, or set `emulator: true` on the system if it is a local emulator.',
  },
  CONCORD_ERR_CONNECTOR_URL_PRIVATE_ADDRESS: {
    meaning: 'A system host resolves to a loopback, private, link-local or otherwise internal address.',
    action: 'Point the system at its public API host; only a system marked `emulator: true` may use internal addresses.',
  },
  CONCORD_ERR_CONNECTOR_URL_INVALID: {
    meaning: 'A system URL cannot be parsed or cannot be resolved by DNS.',
    action: 'Check the base URL of the system in the daemon config and that its host name resolves.',
  },
  CONCORD_ERR_CONNECTOR_NETWORK: {
    meaning: 'A request to a system failed before any HTTP answer came (connection refused, reset, DNS failure).',
    action: 'Check network access to the system; the request is retried with backoff.',
  },
  CONCORD_ERR_CONNECTOR_TIMEOUT: {
    meaning: 'A request to a system got no answer within its timeout.',
    action: 'The request is retried; if it keeps happening, check the system status or raise the timeout.',
  },
  CONCORD_ERR_CONNECTOR_HTTP_STATUS: {
    meaning: 'A system answered a read with an error status (its class says whether it is retried).',
    action: 'Read the status and the provider message in the log; auth errors need new credentials, rate limits pass by themselves.',
  },
  CONCORD_ERR_CONNECTOR_RESPONSE_INVALID: {
    meaning: 'A system answered with a body that does not have the documented shape.',
    action: 'Check that the base URL points at the right API and version; report the body (in the debug log) if it does.',
  },
  CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING: {
    meaning: 'A credential the connector needs for the chosen auth method is not set.',
    action: 'Set the named credential for the system (from a `*_file` or an environment variable).',
  },
  CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED: {
    meaning: 'Refreshing an OAuth2 access token failed (revoked or invalid refresh token, wrong client credentials).',
    action: 'Re-authorise the app for the system to obtain a new refresh token, and check the client id and secret.',
  },
  CONCORD_ERR_CONNECTOR_FACTS_INVALID: {
    meaning: 'A connector facts file (`<id>.connector.yaml`) does not match the facts schema.',
    action: 'Fix the named key in the connector facts file; the message lists what is allowed.',
  },
  CONCORD_ERR_CONNECTOR_UNKNOWN_KIND: {
    meaning: 'A system names a connector kind that is not registered.',
    action: 'Use one of the connector kinds the message lists.',
  },
  CONCORD_ERR_CONNECTOR_UNKNOWN_OBJECT: {
    meaning: 'An object name is not one the connector supports.',
    action: 'Use one of the objects the message lists for that system.',
  },
  CONCORD_ERR_CONNECTOR_PARAM_MISSING: {
    meaning: 'An object needs a parameter (such as a Mailchimp list_id) that the mapping does not give.',
    action: 'Add the parameter under `params` of that side in the mapping file.',
  },
  CONCORD_ERR_CONNECTOR_FIND_UNSUPPORTED: {
    meaning: 'The connector cannot look records up by the requested field.',
    action: 'Match on a field the message lists as searchable for that object.',
  },
  CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE: {
    meaning: 'More write operations were passed in one call than the connector declares it takes.',
    action: 'This is a bug in the caller: split writes by the declared maxWriteBatch.',
  },
  CONCORD_ERR_CONNECTOR_CHANGE_WINDOW_STUCK: {
    meaning: 'More records share one modification instant than the provider search can page through, so polling cannot move on.',
    action: 'Reconcile the object instead of polling it for this window, and report the case.',
  },
  CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED: {
    meaning: 'A webhook body could not be read as the provider documents it.',
    action: 'Nothing is stored; check the webhook configuration at the provider, and the request in the debug log.',
  },
});
