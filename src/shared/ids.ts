/** Branded ids: strings that must not be mixed up with one another. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A system as named in the daemon config (`hubspot`, `googlecalendar`): no separators. */
export type SystemId = Brand<string, 'SystemId'>;
/** A record id as the remote system gives it. */
export type RemoteId = Brand<string, 'RemoteId'>;
/** A link between a left and a right record of one pair. */
export type LinkId = Brand<string, 'LinkId'>;
/** An opaque per-(system, object) change cursor. */
export type Cursor = Brand<string, 'Cursor'>;
/** A batch of writes made by one pass; rollback works by batch. */
export type BatchId = Brand<string, 'BatchId'>;

export const asSystemId = (s: string) => s as SystemId;
export const asRemoteId = (s: string) => s as RemoteId;
export const asLinkId = (s: string) => s as LinkId;
export const asCursor = (s: string) => s as Cursor;
export const asBatchId = (s: string) => s as BatchId;
