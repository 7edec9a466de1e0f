// Prices (`GET /v1.0/invoke/gotham-bank/method/prices`): storage and flavors per currency.

export interface VentusFlavor {
  id: string;
  name: string;
  price: { base: number; windows: number };
}

export type VentusPrices = Record<string, { storage: number; flavors: VentusFlavor[] }>;

// The seed shows VC-1 and VC-4 in CHF; the rest follow the same pattern
// (base price per vCPU step, Windows at 1.5x).
const CHF_FLAVORS: Array<[id: string, name: string, base: number]> = [
  ["0000-0020-vc-1", "VC-1", 0.0121],
  ["0000-0030-vc-2", "VC-2", 0.0242],
  ["0000-0040-vc-4", "VC-4", 0.0484],
  ["0000-0050-vc-8", "VC-8", 0.0968],
  ["0000-0060-vc-16", "VC-16", 0.1936],
];
const EUR_PER_CHF = 1.06;

function round(value: number): number {
  return Number(value.toFixed(6));
}

export function ventusPrices(): VentusPrices {
  const flavors = (rate: number): VentusFlavor[] =>
    CHF_FLAVORS.map(([id, name, base]) => ({
      id,
      name,
      price: { base: round(base * rate), windows: round(base * rate * 1.5) },
    }));
  return {
    chf: { storage: 0.0003, flavors: flavors(1) },
    eur: { storage: round(0.0003 * EUR_PER_CHF), flavors: flavors(EUR_PER_CHF) },
  };
}
