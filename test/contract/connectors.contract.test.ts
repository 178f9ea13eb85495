/**
 * The connector contract suite: every connector, against its emulator, passes the same cases. A new connector
 * is one subject in `subjects/` and one entry here.
 */
import type { ContractSubject } from './contract-subject.js';
import { describeReadContract } from './contract-reads.js';
import { describeWebhookContract } from './contract-webhooks.js';
import { describeWriteContract } from './contract-writes.js';
import { hubspotSubject } from './subjects/hubspot-subject.js';
import { mailchimpSubject } from './subjects/mailchimp-subject.js';

const subjects: ContractSubject[] = [
  hubspotSubject,
  mailchimpSubject,
];

for (const subject of subjects) {
  describeReadContract(subject);
  describeWriteContract(subject);
  describeWebhookContract(subject);
}
