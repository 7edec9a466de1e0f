// Reading Ventus requests and writing its error answers.
import type { EmulatorResponse } from "../types";
import { errorBody } from "../wire";

export function error(status: number, message: string, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers, body: errorBody(status, message) };
}

/** A percent-decoded path segment, or undefined when it is not valid percent-encoding. */
export function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
