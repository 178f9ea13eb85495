/**
 * What one member of the connector contract suite supplies: its connector, wired to its emulator, and the few
 * provider-specific things the suite cannot know (how a record is seeded, what a bad one looks like, the
 * provider's published webhook examples). Everything else is asserted the same way for every connector, as
 * kysely runs one suite per dialect. Adding a connector is one subject file and one line in the suite's list.
 */
import type { ChangeHint, Connector, ConnectorContext, RemoteRecord, Verification, WebhookRequest, WebhookSecrets } from '../../src/connectors/contract.js';
import type { RemoteId } from '../../src/shared/ids.js';

/** A webhook example published by the provider, with what verify and parse must make of it. */
export interface PublishedWebhookExample {
  name: string;
  request: WebhookRequest;
  secrets: WebhookSecrets;
  now: Date;
  /** `true`: verify says ok; otherwise the reason verify must give. */
  verifies: true | Extract<Verification, { ok: false }>['reason'];
  /** Hints parse must return (each matched as a subset, in order); absent: parse is not checked. */
  hints?: Array<Partial<ChangeHint>>;
}

/** One way the emulator can sign deliveries, and the secrets the connector verifies them with. */
export interface WebhookMode {
  name: string;
  /** Body of `PUT /__emulator/webhooks` besides `url`. */
  emulatorSettings: Record<string, unknown>;
  secrets: WebhookSecrets;
  /** How far a delivery's signed time may be from now; undefined when the signature carries no time. */
  timestampWindowMs?: number;
}

export interface ContractHarness {
  connector: Connector;
  /** The same connector kind with credentials the emulator refuses. */
  badConnector: Connector;
  ctx: ConnectorContext;
  badCtx: ConnectorContext;
  /** Base URL of the emulator; its admin API is under `/__emulator/`. */
  emulatorUrl: string;
  object: string;
  /** Field used for identity matching (HubSpot `email`, Mailchimp `email_address`). */
  matchField: string;
  /** Records one `listChanged` page carries at most. */
  pageSize: number;
  /** Admin-API seed body of one record with this email and first name. */
  seedRecord(email: string, name: string): Record<string, unknown>;
  /** Admin-API edit body that sets the first name, as a user in the provider's UI would. */
  userEdit(name: string): Record<string, unknown>;
  /** The first name a read record carries. */
  nameOf(record: RemoteRecord): unknown;
  /** Write fields of a new record / of a first-name change. */
  createFields(email: string, name: string): Record<string, unknown>;
  updateFields(name: string): Record<string, unknown>;
  /** Write fields the provider refuses for one record (an invalid email, an unknown property). */
  invalidCreateFields(email: string): Record<string, unknown>;
  /** An id that never existed on the system. */
  absentId: RemoteId;
  /** The path, after `/webhooks/<system>`, the emulator is told to deliver to (Mailchimp: the URL secret). */
  webhookPath: string;
  webhookModes: WebhookMode[];
  /** Makes the emulator send its URL check (Mailchimp's GET on registration), when the provider has one. */
  triggerHandshake?(deliveryUrl: string): Promise<void>;
  publishedExamples: PublishedWebhookExample[];
  close(): Promise<void>;
}

export interface ContractSubject {
  /** System id, also the webhook path segment. */
  system: string;
  start(): Promise<ContractHarness>;
}
