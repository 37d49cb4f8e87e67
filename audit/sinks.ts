import type { Finding } from "../rules/model";
import type { AuditRow } from "./audit-row";
import { sarifLog, sarifNotEvaluated, sarifNotices, sarifResult } from "../cli/reporters/sarif";
import { VERSION } from "../cli/version";

/** Where audit rows go as they finish: each writes its row at once and keeps nothing but counts. */
export interface RowSink {
  begin(): void;
  row(row: AuditRow): void;
  /**
   * The summary, and the run's notices (run-audit.ts AuditResult.notices): JSON and SARIF carry them, for a reader of
   * the report alone (a scheduled pipeline); the table and CSV leave them to stderr, where the command writes them.
   */
  end(summary: AuditSummary, notices: readonly string[]): void;
}

export interface AuditSummary {
  subscriptions: number;
  associated: number;
  notAssociated: number;
  /** Readable subscriptions whose association was not judged (PL007 did not run: turned off in config). */
  notJudged: number;
  /** Unreadable subscriptions: not judged either, counted here only. */
  errors: number;
  /** Registration assignments read but not in effect (still provisioning, failed, being deleted): not counted. */
  delegationsNotInEffect: number;
  findings: { error: number; warning: number; info: number; suppressed: number };
  /** The PAL link of each identity, with the findings on the link itself (linked to another partner ID), if any. */
  links: { identity: string; partnerId: string; objectId: string; findings?: Finding[] }[];
  /** Rules that did not run on any subscription, and why (as `partnerlink check --format json` lists them). */
  notEvaluated: { ruleId: string; reason: string }[];
}

type Out = { write(s: string): unknown };

const COLUMNS = ["subscription", "name", "associated", "pec principal", "role", "permanent", "dpor", "findings"];

function cells(r: AuditRow): string[] {
  const ids = [...new Set(r.findings.filter((f) => !f.suppressed && f.severity !== "info").map((f) => f.ruleId))].join(",");
  return [
    r.subscriptionId,
    r.displayName,
    r.error ? "error" : r.associated === null ? "not judged" : r.associated ? (r.partialAssociation ? "yes (RGs only)" : "yes") : !r.visible ? "NO (not delegated)" : r.notInEffect?.some((n) => n.effect === "provisioning") ? "NO (provisioning)" : "NO",
    r.pecPrincipal ?? "-",
    r.pecRole ?? "-",
    r.permanent === undefined ? "-" : r.permanent ? "yes" : "JIT only",
    r.dpor,
    ids || "-",
  ];
}

/** One line on a registration assignment that is not in effect: what it is, and what to do. */
export function notInEffectText(n: NonNullable<AuditRow["notInEffect"]>[number]): string {
  return n.effect === "provisioning"
    ? `registration assignment ${n.assignmentId} is ${n.provisioningState}: still provisioning, so not counted. Fix: audit again once it has succeeded.`
    : `registration assignment ${n.assignmentId} is ${n.provisioningState}: it gives the partner no access and is not counted. Fix: deploy the onboarding again if the delegation should exist.`;
}

/** One line on a subscription associated at resource groups only (PL014): where PEC is earned, and what to do. */
export function partialAssociationText(p: NonNullable<AuditRow["partialAssociation"]>): string {
  return `associated at resource group${p.resourceGroups.length === 1 ? "" : "s"} ${p.resourceGroups.join(", ")} only: PEC is earned on ${p.resourceGroups.length === 1 ? "its" : "their"} consumption alone (PL014). Fix: delegate the subscription if the partner manages all of it; otherwise waive PL014 for it.`;
}

/** One line on a finding on a PAL link (under the table's `PAL:` line; on stderr beside a CSV report). */
export function linkFindingText(f: Finding): string {
  return `${f.ruleId}${f.suppressed ? " (suppressed)" : ""}: ${f.message}`;
}

/** A table for terminals: fixed widths so rows can stream. */
export function tableSink(out: Out): RowSink {
  const widths = [36, 24, 18, 36, 28, 9, 12, 20];
  const line = (cols: string[]) => cols.map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + "…" : c.padEnd(widths[i]))).join("  ").trimEnd() + "\n";
  return {
    begin() {
      out.write(line(COLUMNS));
    },
    row(r) {
      out.write(line(cells(r)));
      if (r.error) out.write(`  ! ${r.error}\n`);
      for (const n of r.notInEffect ?? []) out.write(`  ~ ${notInEffectText(n)}\n`);
      // Not when the finding is waived: the partner has accepted it (the JSON and CSV reports still list the groups).
      if (r.partialAssociation && r.findings.some((f) => f.ruleId === "PL014" && !f.suppressed)) out.write(`  i ${partialAssociationText(r.partialAssociation)}\n`);
    },
    end(s) {
      out.write(
        `\n${s.subscriptions} subscriptions: ${s.associated} associated, ${s.notAssociated} not associated, ` +
          (s.notJudged > 0 ? `${s.notJudged} not judged, ` : "") +
          `${s.errors} unreadable; ` +
          (s.delegationsNotInEffect > 0 ? `${s.delegationsNotInEffect} delegation(s) not in effect; ` : "") +
          `findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info, ${s.findings.suppressed} suppressed\n`,
      );
      for (const l of s.links) {
        out.write(`PAL: identity ${l.identity} (${l.objectId}) linked to partner ID ${l.partnerId}\n`);
        for (const f of l.findings ?? []) out.write(`  ! ${linkFindingText(f)}\n`);
      }
      for (const n of s.notEvaluated) out.write(`not evaluated: ${n.ruleId} (${n.reason})\n`);
    },
  };
}

/**
 * `{"subscriptions":[...],"summary":{...},"notices":[...]}`, written row by row: `notices` beside `summary`, as
 * `partnerlink check --format json` has them (an empty array when there is none). Both come at the end, once known;
 * a report cut short (an interrupt) has neither.
 */
export function jsonSink(out: Out): RowSink {
  let first = true;
  return {
    begin() {
      out.write('{"subscriptions":[');
    },
    row(r) {
      out.write((first ? "\n" : ",\n") + JSON.stringify(r));
      first = false;
    },
    end(s, notices) {
      out.write(`\n],"summary":${JSON.stringify(s)},"notices":${JSON.stringify(notices)}}\n`);
    },
  };
}

function csvCell(v: string): string {
  // Quote everything that could break a row, and defuse spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvSink(out: Out): RowSink {
  return {
    begin() {
      // New columns go last (seenBy, then partialAssociation): the columns before them keep their places for readers of
      // earlier reports.
      out.write("subscriptionId,displayName,tenantId,associated,pecPrincipal,pecRole,pecRoleId,permanent,agreement,dpor,ruleIds,error,notInEffect,notJudged,seenBy,partialAssociation\n");
    },
    row(r) {
      const ids = [...new Set(r.findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].join(" ");
      const vals = [r.subscriptionId, r.displayName, r.tenantId ?? "", r.associated === null ? "" : String(r.associated), r.pecPrincipal ?? "", r.pecRole ?? "", r.pecRoleId ?? "",
        r.permanent === undefined ? "" : String(r.permanent), r.agreement, r.dpor, ids, r.error ?? "",
        (r.notInEffect ?? []).map((n) => `${n.assignmentId} (${n.provisioningState})`).join(" "), r.notJudged ?? "", r.seenBy ?? "",
        // The resource groups of an association at resource groups only, space-separated (ARM's group names hold no space).
        (r.partialAssociation?.resourceGroups ?? []).join(" ")];
      out.write(vals.map(csvCell).join(",") + "\n");
    },
    end() {},
  };
}

/**
 * SARIF 2.1.0, streamed: the driver (rules from rules/metadata.ts, as `partnerlink check` writes it) first, then one
 * result per finding as rows finish. Live findings have no file: the location is logical (the delegation's ARM ID).
 * The invocation comes last, once the summary is known: not successful when a subscription could not be read, and a
 * configuration notification per rule that did not run (PL007 among them: no association was judged), and the run's
 * notices as execution notifications of level "note", as `partnerlink check` writes them (sarif.ts sarifNotices).
 */
export function sarifSink(out: Out): RowSink {
  let first = true;
  return {
    begin() {
      const head = sarifLog([], VERSION);
      const text = JSON.stringify(head);
      // Everything up to the empty results array; the rest is closed in end().
      out.write(text.slice(0, text.lastIndexOf('"results":[]') + '"results":['.length));
    },
    row(r) {
      for (const f of r.findings) {
        out.write((first ? "\n" : ",\n") + JSON.stringify(sarifResult(f)));
        first = false;
      }
    },
    end(s, notices) {
      for (const f of s.links.flatMap((l) => l.findings ?? [])) {
        out.write((first ? "\n" : ",\n") + JSON.stringify(sarifResult(f)));
        first = false;
      }
      const invocation: Record<string, unknown> = { executionSuccessful: s.errors === 0 };
      if (s.notEvaluated.length > 0) invocation.toolConfigurationNotifications = sarifNotEvaluated(s.notEvaluated);
      if (notices.length > 0) invocation.toolExecutionNotifications = sarifNotices(notices);
      out.write(`\n],"invocations":[${JSON.stringify(invocation)}]}]}\n`);
    },
  };
}
