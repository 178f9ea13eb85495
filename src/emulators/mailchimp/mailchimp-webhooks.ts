import type { EmulatorClock } from '../emulator-clock.js';
import type { RetryPolicy, WebhookQueue } from '../webhook-queue.js';
import type { MemberEvent } from './mailchimp-members.js';
import type { AudienceList, WebhookRegistration } from './mailchimp-store.js';

/**
 * Webhooks as Mailchimp sends them (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/;
 * PROVIDERS.md §5.7): a POST `application/x-www-form-urlencoded` with `type`, `fired_at`
 * ("2009-03-26 21:35:57", UTC) and `data[...]` keys, no signature (the secret lives in the URL),
 * sent only for the event types and sources the registration enables. An unreachable URL or one that
 * takes over 10 s is retried at growing intervals (over 75 minutes at Mailchimp; here from
 * `retryBaseDelayMs`, doubling).
 */
export interface MailchimpWebhookSettings {
  retryBaseDelayMs: number;
  timeoutMs: number;
  maxAttempts: number;
}

export function mailchimpRetryPolicy(settings: () => MailchimpWebhookSettings): RetryPolicy {
  return {
    // Getters, so settings changed through the admin API apply to the next attempt.
    get maxAttempts() { return settings().maxAttempts; },
    get timeoutMs() { return settings().timeoutMs; },
    shouldRetry: () => true,
    delayMs: (attempt) => settings().retryBaseDelayMs * 2 ** (attempt - 1),
  };
}

export function firedAt(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The form fields of one event, in Mailchimp's order and names. */
export function eventForm(event: MemberEvent, list: AudienceList, at: Date): URLSearchParams {
  const m = event.member;
  const form = new URLSearchParams();
  form.append('type', event.type);
  form.append('fired_at', firedAt(at));
  form.append('data[id]', m.unique_email_id);
  form.append('data[list_id]', list.id);
  form.append('data[email]', m.email_address);
  form.append('data[email_type]', m.email_type);
  if (event.type !== 'upemail' && event.type !== 'cleaned') {
    form.append('data[web_id]', String(m.web_id));
    form.append('data[merges][EMAIL]', m.email_address);
    for (const [tag, value] of Object.entries(m.merge_fields)) appendMerge(form, `data[merges][${tag}]`, value);
    form.append('data[ip_opt]', m.ip_opt);
    form.append('data[ip_signup]', m.ip_signup);
  }
  for (const [key, value] of Object.entries(event.extra)) form.append(`data[${key}]`, value);
  return form;
}

function appendMerge(form: URLSearchParams, key: string, value: unknown): void {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) appendMerge(form, `${key}[${k}]`, v);
    return;
  }
  form.append(key, value === null || value === undefined ? '' : String(value));
}

export function wants(reg: WebhookRegistration, event: MemberEvent): boolean {
  return reg.events[event.type] === true && reg.sources[event.origin] === true;
}

export function createMailchimpWebhookSender(deps: { clock: EmulatorClock; queue: WebhookQueue }) {
  const send = (reg: WebhookRegistration, describe: string, body: string): void => {
    deps.queue.enqueue({
      describe,
      build: () => ({
        method: 'POST',
        url: reg.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'MailChimp' },
        body,
      }),
    });
  };
  return {
    publish(list: AudienceList, event: MemberEvent): void {
      // The payload is fixed when the event happens; retries resend the same body.
      const body = eventForm(event, list, deps.clock.now()).toString();
      for (const reg of list.webhooks) if (wants(reg, event)) send(reg, `${event.type} ${event.member.email_address}`, body);
    },
    /** A campaign sending status change: `data[id]`, `data[subject]`, `data[status]`, `data[reason]`, `data[list_id]`. */
    publishCampaign(list: AudienceList, campaign: { id: string; subject: string; status: string; reason: string }): void {
      const form = new URLSearchParams();
      form.append('type', 'campaign');
      form.append('fired_at', firedAt(deps.clock.now()));
      form.append('data[id]', campaign.id);
      form.append('data[subject]', campaign.subject);
      form.append('data[status]', campaign.status);
      form.append('data[reason]', campaign.reason);
      form.append('data[list_id]', list.id);
      for (const reg of list.webhooks) if (reg.events.campaign) send(reg, `campaign ${campaign.id}`, form.toString());
    },
  };
}

/**
 * Mailchimp GETs a webhook URL when it is registered and refuses the registration unless it answers 200.
 */
export async function checkWebhookUrl(url: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'User-Agent': 'MailChimp' } });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 200 ? { ok: true } : { ok: false, reason: `answered ${res.status}` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
