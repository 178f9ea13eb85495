/**
 * The shipped example config and mappings are valid: with the shipped config (only hubspot and mailchimp
 * enabled, the other systems listed with enabled: false) and with every system enabled
 * (test/fixtures/config/all-systems.yaml), with no environment at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/config/problems.js';
import { checkWorkspace, loadWorkspace } from '../../../src/config/workspace.js';

const shipped = readdirSync('mappings').filter((f) => f.endsWith('.yaml')).sort();

describe('shipped example mappings', () => {
  it('include the families of DESIGN.md', () => {
    expect(shipped).toEqual([
      'googlecalendar-msgraph.events.yaml', 'hubspot-mailchimp.contacts.yaml', 'hubspot-quickbooks.customers.yaml',
      'hubspot-quickbooks.invoices.yaml', 'onec-woocommerce.products.yaml', 'shopify-woocommerce.stock.yaml',
    ]);
  });

  it('validate cleanly against the shipped config', async () => {
    const result = await checkWorkspace({ configPath: 'config/concord.yaml', env: {} });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.checkedFiles).toBe(1 + shipped.length);
  });

  it('compile for the daemon with every system enabled', async () => {
    const result = await loadWorkspace('test/fixtures/config/all-systems.yaml', {});
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.mappings.map((m) => m.pair).sort()).toEqual([
      'companies-customers', 'crm-marketing-contacts', 'deals-invoices', 'meetings', 'onec-woo-products', 'shop-stock',
    ]);
    const contacts = result.mappings.find((m) => m.pair === 'crm-marketing-contacts')!;
    expect(contacts.right.params).toEqual({ list_id: 'demolist01' });
  });

  it('each starts with the yaml-language-server comment naming the committed JSON Schema', () => {
    for (const file of shipped) {
      const first = readFileSync(`mappings/${file}`, 'utf8').split('\n')[0];
      expect(first, file).toBe('# yaml-language-server: $schema=../schema/mapping.schema.json');
    }
  });
});
