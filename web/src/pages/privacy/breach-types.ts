/**
 * OBLIGATIONS BRE-1: the fields of a breach as the API gives them (features/breaches/model.ts), shared
 * by the operator's register (OperatorBreaches.tsx) and the customer's log (Breaches.tsx).
 */
export interface BreachFields {
  startedAt: string;
  discoveredAt: string;
  description: string;
  cause: string;
  categories: string[];
  subjectsApprox: number | null;
  recordsApprox: number | null;
  consequences: string;
  encrypted: boolean;
  measuresTaken: string;
  measuresPlanned: Array<{ what: string; when: string }>;
  expectedRecovery: string;
  contactPoint: { name: string; email: string; phone: string | null };
}
