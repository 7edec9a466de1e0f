// Loopback addresses and names, apart from the HTTP client so that the settings' rules can use
// them without loading undici (a program that only declares resources never makes a call).

/** Loopback addresses and names: traffic to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
