/**
 * Country calling codes and national trunk prefixes for the regions a default region may name. A trunk prefix is
 * dialled inside the country and dropped in international form (UK 020 7946 0000 -> +44 20 7946 0000; Russia's
 * 8 495 ... -> +7 495 ...). Italy keeps its leading 0 in international form, so it has no trunk prefix here.
 * Source: ITU-T E.164 assigned country codes and national numbering plans.
 */
export interface PhoneRegion {
  readonly callingCode: string;
  readonly trunkPrefix?: string;
  /** Digits of a national significant number, where the plan fixes it (NANP: 10, Russia: 10). */
  readonly nationalLength?: number;
}

export const phoneRegions: Readonly<Record<string, PhoneRegion>> = {
  US: { callingCode: '1', trunkPrefix: '1', nationalLength: 10 },
  CA: { callingCode: '1', trunkPrefix: '1', nationalLength: 10 },
  GB: { callingCode: '44', trunkPrefix: '0' },
  IE: { callingCode: '353', trunkPrefix: '0' },
  DE: { callingCode: '49', trunkPrefix: '0' },
  AT: { callingCode: '43', trunkPrefix: '0' },
  CH: { callingCode: '41', trunkPrefix: '0' },
  FR: { callingCode: '33', trunkPrefix: '0', nationalLength: 9 },
  BE: { callingCode: '32', trunkPrefix: '0' },
  NL: { callingCode: '31', trunkPrefix: '0', nationalLength: 9 },
  ES: { callingCode: '34', nationalLength: 9 },
  PT: { callingCode: '351', nationalLength: 9 },
  IT: { callingCode: '39' },
  DK: { callingCode: '45', nationalLength: 8 },
  NO: { callingCode: '47', nationalLength: 8 },
  SE: { callingCode: '46', trunkPrefix: '0' },
  FI: { callingCode: '358', trunkPrefix: '0' },
  PL: { callingCode: '48', nationalLength: 9 },
  CZ: { callingCode: '420', nationalLength: 9 },
  RU: { callingCode: '7', trunkPrefix: '8', nationalLength: 10 },
  KZ: { callingCode: '7', trunkPrefix: '8', nationalLength: 10 },
  BY: { callingCode: '375', trunkPrefix: '80' },
  UA: { callingCode: '380', trunkPrefix: '0', nationalLength: 9 },
  TR: { callingCode: '90', trunkPrefix: '0', nationalLength: 10 },
  IL: { callingCode: '972', trunkPrefix: '0' },
  AE: { callingCode: '971', trunkPrefix: '0' },
  IN: { callingCode: '91', trunkPrefix: '0', nationalLength: 10 },
  CN: { callingCode: '86', trunkPrefix: '0' },
  JP: { callingCode: '81', trunkPrefix: '0' },
  SG: { callingCode: '65', nationalLength: 8 },
  HK: { callingCode: '852', nationalLength: 8 },
  AU: { callingCode: '61', trunkPrefix: '0', nationalLength: 9 },
  NZ: { callingCode: '64', trunkPrefix: '0' },
  ZA: { callingCode: '27', trunkPrefix: '0', nationalLength: 9 },
  BR: { callingCode: '55', trunkPrefix: '0' },
  MX: { callingCode: '52', nationalLength: 10 },
};
