/** NPS arithmetic in one place: promoters 9–10, passives 7–8, detractors 0–6; NPS from −100 to 100. */

export interface NpsSummary {
  responses: number;
  nps: number | null;
  promoters: { count: number; percent: number };
  passives: { count: number; percent: number };
  detractors: { count: number; percent: number };
}

const pct = (n: number, total: number) => (total === 0 ? 0 : Math.round((n / total) * 1000) / 10);

export function summarize(promoters: number, passives: number, detractors: number): NpsSummary {
  const total = promoters + passives + detractors;
  return {
    responses: total,
    nps: total === 0 ? null : Math.round(((promoters - detractors) / total) * 100),
    promoters: { count: promoters, percent: pct(promoters, total) },
    passives: { count: passives, percent: pct(passives, total) },
    detractors: { count: detractors, percent: pct(detractors, total) },
  };
}
